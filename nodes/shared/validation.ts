import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/** Checks an optional whole number against its documented range; unset values pass. */
export function checkIntegerRange(
	node: INode,
	itemIndex: number,
	label: string,
	value: unknown,
	min: number,
	max: number,
): void {
	if (value === undefined || value === '' || value === null) return;
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new NodeOperationError(node, `${label} must be a whole number from ${min} to ${max} (got ${String(value)})`, {
			itemIndex,
		});
	}
}

/** Returns the URL when it is an absolute http(s) URL, throws otherwise. */
export function checkHttpUrl(node: INode, itemIndex: number, label: string, value: string): string {
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new NodeOperationError(node, `${label} must be an http(s) URL (got "${value}")`, { itemIndex });
	}
	return value;
}
