import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { apiUrl } from '../../shared/http';

/** The LoRA models of GET /api/loras, for the "LoRA Names or IDs" list. */
export async function getLoras(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentials = await this.getCredentials('nalitekApi');
	const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'nalitekApi', {
		method: 'GET',
		url: apiUrl(String(credentials.baseUrl ?? ''), '/api/loras'),
		json: true,
	})) as IDataObject;
	const loras = (
		Array.isArray(body?.loras)
			? body.loras
			: Array.isArray((body?.data as IDataObject)?.loras)
				? (body.data as IDataObject).loras
				: []
	) as IDataObject[];
	return loras
		.filter((lora) => lora.is_active !== false)
		.map((lora) => ({
			name: String(lora.name ?? lora.id),
			value: String(lora.id),
			description: [lora.category, lora.description].filter(Boolean).join(' — ') || undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
