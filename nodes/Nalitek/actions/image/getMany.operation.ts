import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { hostOf } from '../../../shared/host';
import { ProviderSession } from '../../../shared/session';
import { forEachItem } from '../../../shared/items';
import { nalitekClient } from '../../adapter';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['getMany'] } },
	[
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Only Upscaled',
					name: 'isUpscaled',
					type: 'boolean',
					default: true,
					description:
						'Whether to return only upscaled images (on) or only images that were not upscaled (off)',
				},
				{
					displayName: 'Sort',
					name: 'sort',
					type: 'options',
					options: [
						{ name: 'Newest First', value: 'date_desc' },
						{ name: 'Oldest First', value: 'date_asc' },
					],
					default: 'date_desc',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					options: [
						{ name: 'Completed', value: 'completed' },
						{ name: 'Failed', value: 'failed' },
						{ name: 'Generating', value: 'generating' },
					],
					default: 'completed',
				},
			],
		},
	],
);

const PAGE_SIZE = 100;
export const IMAGES_PER_MINUTE = 60;

/** Reads page after page of GET /api/images until the limit or the last page; one item per image. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// "/api/images: 60 requests a minute" (the document's limits): pages are paced to it.
	const session = new ProviderSession(hostOf(this), nalitekClient, {
		pollsPerMinute: IMAGES_PER_MINUTE,
	});
	return await forEachItem(this, nalitekClient, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
		if (!returnAll && (!Number.isInteger(limit) || limit < 1)) {
			throw new NodeOperationError(this.getNode(), 'Limit must be a whole number of 1 or more', {
				itemIndex,
			});
		}
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const found: IDataObject[] = [];
		const seen = new Set<string>();
		// One page size for the whole walk: a server that caps per_page must not shift the pages.
		const perPage = Math.min(PAGE_SIZE, limit);
		for (let page = 1; found.length < limit; page++) {
			const qs: IDataObject = { page, per_page: perPage };
			if (filters.status) qs.status = filters.status;
			if (typeof filters.isUpscaled === 'boolean') qs.is_upscaled = filters.isUpscaled;
			if (filters.sort) qs.sort = filters.sort;
			const body = ((await session.read({ method: 'GET', path: '/api/images', qs })) ??
				{}) as IDataObject;
			const images = (Array.isArray(body.images) ? body.images : []) as IDataObject[];
			// A server that ignores "page" (or stops at a last page) answers with images already
			// listed: that is the end, whatever total it claims.
			const fresh = images.filter((image) => {
				const id = String(image.id ?? image.image_id ?? JSON.stringify(image));
				if (seen.has(id)) return false;
				seen.add(id);
				return true;
			});
			found.push(...fresh.slice(0, limit - found.length));
			const totalPages = Number(body.total_pages ?? 0);
			// A short page is the last one — short against the page size the server says it used.
			const pageSize = Math.min(perPage, Number(body.per_page) || perPage);
			if (!fresh.length || images.length < pageSize || (totalPages && page >= totalPages)) break;
		}
		return found.map((image) => ({
			provider: 'nalitek',
			imageId: image.id ?? image.image_id ?? null,
			...image,
		}));
	});
}
