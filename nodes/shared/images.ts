import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { sniffMimeType } from './media';

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
	const parts = Array.isArray(value)
		? value.map(String)
		: typeof value === 'string'
			? value.split(/[\n,]+/)
			: [];
	return parts.map((part) => part.trim()).filter(Boolean);
}

function describeSize(bytes: number): string {
	return bytes >= 1024 * 1024
		? `${(bytes / 1024 / 1024).toFixed(1)} MB`
		: `${Math.ceil(bytes / 1024)} KB`;
}

/** One image as the node asks for it: a binary field of the incoming item, or a link. */
export interface ImageInput {
	source?: string;
	inputBinaryField?: string;
	imageUrl?: string;
}

/** The entries of a "Reference Images" list (a fixed collection), or of one frame. */
export function readImageInputParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
): ImageInput[] {
	const value = ctx.getNodeParameter(path, itemIndex, []) as unknown;
	const entries = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
	return entries.filter(
		(entry): entry is ImageInput => Boolean(entry) && typeof entry === 'object',
	);
}

/**
 * Collects the images of one item for a provider that takes images inline: links are passed on
 * as they are, binary fields of the input item become `data:` URLs. Everything is checked
 * (count, type, size) before any request is sent.
 */
export async function readImageInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	entries: ImageInput[],
	rules: InputImageRules,
): Promise<string[]> {
	const node = ctx.getNode();
	// An "Input Binary Field" may name several fields ("data, data_1", as Aggregate makes them).
	const sources = entries.flatMap(
		(entry): Array<{ url: string } | { field: string }> =>
			entry.source === 'url'
				? [{ url: String(entry.imageUrl ?? '').trim() }]
				: (splitList(entry.inputBinaryField).length
						? splitList(entry.inputBinaryField)
						: ['data']
					).map((field) => ({ field })),
	);
	if (rules.max !== undefined && sources.length > rules.max) {
		throw new NodeOperationError(
			node,
			`${rules.label}: at most ${rules.max} images are allowed, ${sources.length} were given`,
			{
				itemIndex,
			},
		);
	}
	const images: string[] = [];
	for (const source of sources) {
		if ('url' in source) {
			const link = source.url;
			if (!link)
				throw new NodeOperationError(node, `${rules.label}: "Image URL" is empty`, { itemIndex });
			if (!/^https?:\/\/\S+$/i.test(link) && !/^data:image\/[\w.+-]+;base64,/i.test(link)) {
				throw new NodeOperationError(
					node,
					`${rules.label}: "${link.slice(0, 80)}" is not an http(s) URL`,
					{ itemIndex },
				);
			}
			images.push(link);
			continue;
		}
		const file = await readBinaryImage(ctx, itemIndex, source.field, rules);
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
		throw new NodeOperationError(
			node,
			`${rules.label}: the input item has no binary field "${field}"`,
			{
				itemIndex,
				description: available.length
					? `Binary fields of this item: ${available.join(', ')}.`
					: 'This item has no binary data. Connect a node that outputs a file, or give an Image URL instead.',
			},
		);
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, field);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	const mimeType = sniffMimeType(data) ?? metadata.mimeType;
	const allowed = rules.mimeTypes ?? ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
	if (!allowed.includes(mimeType)) {
		throw new NodeOperationError(
			node,
			`${rules.label}: "${field}" is ${mimeType}, not one of ${allowed.join(', ')}`,
			{
				itemIndex,
			},
		);
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
