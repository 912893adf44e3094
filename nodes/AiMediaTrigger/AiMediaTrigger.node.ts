import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { defApiAdapter } from '../DefApi/adapter';
import { genApiAdapter } from '../GenApi/adapter';
import { miniMaxAdapter } from '../MiniMax/adapter';
import { WEBHOOK_EVENTS, generateAdapter as nalitekAdapter } from '../Nalitek/adapter';
import { TaskSession } from '../shared/engine';
import { compactRaw, toFileItem } from '../shared/operations';
import { settle } from '../shared/timing';
import type { TaskAdapter, TaskState } from '../shared/types';
import { MAX_BODY_BYTES, parseCallbackBody, sameSecret, verifyNalitekSignature } from './verify';

const ADAPTERS: Record<string, TaskAdapter> = {
	defApi: defApiAdapter,
	genApi: genApiAdapter,
	miniMax: miniMaxAdapter,
	nalitek: nalitekAdapter,
};

const CREDENTIALS: Record<string, string> = {
	defApi: 'defApiApi',
	genApi: 'genApiApi',
	miniMax: 'miniMaxApi',
	nalitek: 'nalitekApi',
};

const PROVIDER_NAMES: Record<string, string> = { defApi: 'DefAPI', genApi: 'Gen-API', miniMax: 'MiniMax', nalitek: 'Nalitek' };

const otherProviders = (provider: string) => Object.keys(PROVIDER_NAMES).filter((other) => other !== provider);

/** A repeated callback for the same task and status within this time starts nothing. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

type Reply = { status: number; body: IDataObject };

function reply(ctx: IWebhookFunctions, { status, body }: Reply): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

function header(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : typeof value === 'string' ? value : undefined;
}

/** The provider credential, when one is set on the node. */
async function optionalCredentials(ctx: IWebhookFunctions, type: string): Promise<IDataObject | undefined> {
	const outcome = await settle(async () => await ctx.getCredentials(type));
	return outcome.ok ? (outcome.value as IDataObject) : undefined;
}

export class AiMediaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Media Trigger',
		name: 'aiMediaTrigger',
		icon: { light: 'file:aiMediaTrigger.svg', dark: 'file:aiMediaTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ "When " + ${JSON.stringify(PROVIDER_NAMES)}[$parameter["provider"]] + " calls back" }}`,
		description: 'Starts the workflow when Gen-API, DefAPI, MiniMax or Nalitek calls back with a finished task',
		defaults: { name: 'AI Media Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Each credential is hidden for the other providers rather than shown for its own: the editor
		// takes a field that credentials "show" on for the authentication selector and moves it into
		// the credential box, where the Provider field could not be chosen without a credential.
		credentials: [
			{ name: 'defApiApi', required: false, displayOptions: { hide: { provider: otherProviders('defApi') } } },
			{ name: 'genApiApi', required: false, displayOptions: { hide: { provider: otherProviders('genApi') } } },
			{ name: 'miniMaxApi', required: false, displayOptions: { hide: { provider: otherProviders('miniMax') } } },
			{ name: 'nalitekApi', required: true, displayOptions: { hide: { provider: otherProviders('nalitek') } } },
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'callback' }],
		properties: [
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'DefAPI', value: 'defApi', description: 'Nano Banana and other Gemini image models' },
					{ name: 'Gen-API', value: 'genApi', description: 'Z-image and every other Gen-API network' },
					{ name: 'MiniMax', value: 'miniMax', description: 'Hailuo videos; answers the challenge MiniMax sends first' },
					{ name: 'Nalitek', value: 'nalitek', description: 'FLUX images; checks the signature with the Webhook Secret of the credential' },
				],
				default: 'defApi',
				description: 'The provider whose Create Task nodes send their callbacks here. GPTunnel has no callbacks.',
			},
			{
				displayName:
					'Paste this node\'s Production URL, followed by ?token= and your Secret Token, into the "Callback URL" of a Create Task node. The provider must reach n8n: run n8n with WEBHOOK_URL set to its public address.',
				name: 'tokenNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['defApi', 'genApi'] } },
			},
			{
				displayName:
					'Paste this node\'s Production URL into the "Callback URL" of a MiniMax Create Task node. MiniMax checks the URL before it starts the task, so the workflow must be active and n8n reachable (WEBHOOK_URL set to its public address).',
				name: 'miniMaxNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['miniMax'] } },
			},
			{
				displayName:
					'Paste this node\'s Production URL into the "Callback URL" of a Nalitek Create Task node. Nalitek signs each callback with the Webhook Secret of your Nalitek credential. n8n must be reachable: set WEBHOOK_URL to its public address.',
				name: 'nalitekNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { provider: ['nalitek'] } },
			},
			{
				displayName: 'Secret Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description:
					'A secret of your choice that only you and the provider know. Add it to the URL you paste into Create Task: &lt;Production URL&gt;?token=&lt;this secret&gt;. Callbacks without it are refused with 401.',
				displayOptions: { show: { provider: ['defApi', 'genApi'] } },
			},
			{
				displayName: 'Secret Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Optional. When set, add it to the URL you paste into Create Task (&lt;Production URL&gt;?token=&lt;this secret&gt;); callbacks without it are refused with 401.',
				displayOptions: { show: { provider: ['miniMax'] } },
			},
			{
				displayName: 'Verify Signature',
				name: 'verifySignature',
				type: 'boolean',
				default: true,
				description: 'Whether to refuse webhooks whose "sha256=" signature does not match the Webhook Secret of the credential',
				displayOptions: { show: { provider: ['nalitek'] } },
			},
			{
				displayName: 'Nalitek Events',
				name: 'events',
				type: 'multiOptions',
				options: WEBHOOK_EVENTS.map((event) => ({ name: event, value: event })),
				default: ['generation.complete', 'generation.failed', 'upscale.complete', 'upscale.failed'],
				description: 'Which Nalitek events start the workflow; others are acknowledged and ignored',
				displayOptions: { show: { provider: ['nalitek'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Files',
						name: 'download',
						type: 'boolean',
						default: true,
						description:
							'Whether to fetch the finished file into the item as binary data. Gen-API and MiniMax callbacks carry no link, so this needs the provider credential.',
					},
					{
						displayName: 'Ignore Duplicates',
						name: 'ignoreDuplicates',
						type: 'boolean',
						default: true,
						description: 'Whether a repeated callback for the same task and status within 10 minutes starts the workflow only once',
					},
					{
						displayName: 'Put Output File in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'The name of the binary property that receives the file',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Providers take the callback URL with each task; there is nothing to register with them.
			// Activation only resets the memory of callbacks already seen.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').activatedAt !== undefined;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				data.activatedAt = Date.now();
				data.seen = {};
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				delete data.activatedAt;
				delete data.seen;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const provider = this.getNodeParameter('provider', 'defApi') as string;
		const adapter = ADAPTERS[provider];
		const request = this.getRequestObject() as unknown as { rawBody?: Buffer; body?: unknown };
		const rawBody = request.rawBody;
		if ((rawBody?.length ?? 0) > MAX_BODY_BYTES) return reply(this, { status: 400, body: { message: 'Body too large' } });
		const body = parseCallbackBody(rawBody, request.body ?? this.getBodyData());
		if (!adapter || !body) return reply(this, { status: 400, body: { message: 'Expected a JSON object' } });

		// Checks: nothing of the secret is echoed, and a failed check starts nothing.
		const denied: Reply = { status: 401, body: { message: 'Unauthorized' } };
		if (provider === 'nalitek') {
			if (this.getNodeParameter('verifySignature', true) !== false) {
				const credentials = await optionalCredentials(this, CREDENTIALS.nalitek);
				const secret = String(credentials?.webhookSecret ?? '');
				const signature = header(this, 'x-signature') ?? header(this, 'x-nalitek-signature') ?? header(this, 'x-webhook-signature');
				if (!verifyNalitekSignature(rawBody ?? Buffer.from(JSON.stringify(body)), body, signature, secret)) return reply(this, denied);
			}
		} else {
			const expected = String(this.getNodeParameter('token', '') ?? '');
			const query = this.getQueryData() as IDataObject;
			const given = typeof query.token === 'string' ? query.token : header(this, 'x-webhook-token') ?? '';
			const tokenRequired = provider === 'genApi' || provider === 'defApi';
			if ((tokenRequired || expected) && !sameSecret(given, expected)) return reply(this, denied);
		}
		if (provider === 'miniMax' && typeof body.challenge === 'string' && body.status === undefined) {
			// MiniMax checks the URL before it accepts a task: echo the challenge at once, start nothing.
			return reply(this, { status: 200, body: { challenge: body.challenge } });
		}

		const parsed = await settle(async () => adapter.parseCallback!(body as IDataObject));
		if (!parsed.ok) return reply(this, { status: 400, body: { message: 'Not a callback of this provider' } });
		const { taskId, event } = parsed.value;
		let state: TaskState | undefined = parsed.value.state;
		if (provider === 'nalitek' && event) {
			const events = this.getNodeParameter('events', []) as string[];
			if (!events.includes(event)) return reply(this, { status: 200, body: { received: true, ignored: event } });
		}

		const options = this.getNodeParameter('options', {}) as IDataObject;
		if (options.ignoreDuplicates !== false) {
			const data = this.getWorkflowStaticData('node');
			const seen = (data.seen ?? {}) as Record<string, number>;
			const key = `${taskId}:${state?.status ?? event ?? 'callback'}`;
			const now = Date.now();
			for (const [entry, at] of Object.entries(seen)) if (now - at > DUPLICATE_WINDOW_MS) delete seen[entry];
			if (seen[key] !== undefined) return reply(this, { status: 200, body: { received: true, duplicate: true } });
			seen[key] = now;
			data.seen = seen;
		}

		const credentials = await optionalCredentials(this, CREDENTIALS[provider]);
		const download = options.download !== false && credentials !== undefined;
		// The engine's helpers work with any context that offers HTTP and binary helpers.
		const ctx = this as unknown as IExecuteFunctions;
		const session = new TaskSession(ctx, adapter);
		if (!state && credentials) {
			const read = await settle(async () => session.readTask(taskId));
			if (read.ok) state = read.value;
		}
		const json: IDataObject = {
			provider,
			taskId,
			status: state?.status ?? 'running',
			outputs: [],
			raw: compactRaw(state?.raw ?? body),
		};
		if (event) json.event = event;
		if (state?.error) json.error = state.error;
		const items: INodeExecutionData[] = [];
		if (state?.status === 'succeeded' && state.outputs?.length) {
			const binaryPropertyName = String(options.binaryPropertyName ?? 'data') || 'data';
			for (const [index, output] of state.outputs.entries()) {
				const baseName = `${provider}-${taskId}${state.outputs.length > 1 ? `-${index + 1}` : ''}`;
				const file = await settle(async () =>
					toFileItem(ctx, session, credentials ? await session.resolveOutput(output) : output, baseName, { download, binaryPropertyName }, json, { item: 0 }),
				);
				if (file.ok) items.push({ json: file.value.json, binary: file.value.binary });
				else items.push({ json: { ...json, outputs: [{ url: output.url || null, fileId: output.fileId ?? null }], error: (file.error as Error).message } });
			}
		} else {
			items.push({ json });
		}
		return { workflowData: [items] };
	}
}
