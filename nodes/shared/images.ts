import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { sniffMimeType } from './binary';

export interface InputImageRules {
	/** Shown in messages, e.g. "Reference images". */
	label: string;
	/** Most images the provider takes in one request. */
	max?: number;
	/** Largest file in bytes. */
	maxBytes?: number;
	/** Accepted mime types; defaults to any image. */
	mimeTypes?: string[];
}

/** Splits "a, b" or "a\nb" or an array (from an expression) into clean entries. */
export function splitList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\n,]+/) : [];
	return parts.map((part) => part.trim()).filter(Boolean);
}

function describeSize(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Collects the images of one item for a provider that takes images inline: links are passed on
 * as they are, binary fields of the input item become `data:` URLs. Everything is checked
 * (count, type, size) before any request is sent.
 */
export async function readInputImages(
	ctx: IExecuteFunctions,
	itemIndex: number,
	urls: unknown,
	binaryFields: unknown,
	rules: InputImageRules,
): Promise<string[]> {
	const node = ctx.getNode();
	const links = splitList(urls);
	const fields = splitList(binaryFields);
	if (rules.max !== undefined && links.length + fields.length > rules.max) {
		throw new NodeOperationError(
			node,
			`${rules.label}: at most ${rules.max} images are allowed, ${links.length + fields.length} were given`,
			{ itemIndex, description: `${links.length} link(s) and ${fields.length} binary field(s).` },
		);
	}
	for (const link of links) {
		if (!/^https?:\/\/\S+$/i.test(link) && !/^data:image\/[\w.+-]+;base64,/i.test(link)) {
			throw new NodeOperationError(node, `${rules.label}: "${link.slice(0, 80)}" is not an http(s) link`, { itemIndex });
		}
	}
	const images = [...links];
	for (const field of fields) {
		const file = await readBinaryImage(ctx, itemIndex, field, rules);
		images.push(`data:${file.mimeType};base64,${file.data.toString('base64')}`);
	}
	return images;
}

/** One image from a binary field of the input item, checked for presence, type and size. */
export async function readBinaryImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	rules: InputImageRules,
): Promise<{ data: Buffer; mimeType: string; fileName: string }> {
	const node = ctx.getNode();
	const item = ctx.getInputData()[itemIndex];
	if (!item?.binary?.[field]) {
		const available = Object.keys(item?.binary ?? {});
		throw new NodeOperationError(node, `${rules.label}: the input item has no binary field "${field}"`, {
			itemIndex,
			description: available.length
				? `Binary fields of this item: ${available.join(', ')}.`
				: 'This item has no binary data. Connect a node that outputs a file, or use links instead.',
		});
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, field);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	const mimeType = sniffMimeType(data) ?? metadata.mimeType;
	const allowed = rules.mimeTypes ?? ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
	if (!allowed.includes(mimeType)) {
		throw new NodeOperationError(node, `${rules.label}: "${field}" is ${mimeType}, not one of ${allowed.join(', ')}`, {
			itemIndex,
		});
	}
	if (rules.maxBytes !== undefined && data.length > rules.maxBytes) {
		throw new NodeOperationError(
			node,
			`${rules.label}: "${field}" is ${describeSize(data.length)}, more than the ${describeSize(rules.maxBytes)} allowed`,
			{ itemIndex },
		);
	}
	return { data, mimeType, fileName: metadata.fileName ?? `${field}.${mimeType.split('/')[1]}` };
}
