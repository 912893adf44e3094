import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

/** The LoRA models of GET /api/loras, for the "LoRA Names or IDs" list. */
export async function getLoras(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentials = await this.getCredentials('nalitekApi');
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'nalitekApi', {
		method: 'GET',
		url: `${baseUrl}/api/loras`,
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
