import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeCredentialDescription,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CALLBACK_PROVIDERS } from '../providers';
import type { CallbackContract, CallbackRequest, ParsedCallback } from '../shared/callbacks';
import {
	givenToken,
	readCallbackRequest,
	replyJson as reply,
	sameSecret,
} from '../shared/callbacks';
import { TaskSession } from '../shared/engine';
import { toNodeError } from '../shared/errors';
import { compactRaw, fileBaseName, toFileItem } from '../shared/operations';
import { isFinal } from '../shared/states';
import { settle } from '../shared/timing';
import type { CallbackProvider, ProviderClient, TaskState } from '../shared/types';

/** A provider that calls back, with its name and credential at hand; the receiver knows providers only through these. */
type Receiver = ProviderClient & CallbackProvider;

const RECEIVERS: Receiver[] = CALLBACK_PROVIDERS.map((entry) => ({
	...entry.tasks.client,
	...entry,
}));
const byProvider = (provider: string) =>
	RECEIVERS.find((receiver) => receiver.provider === provider);
const otherProviders = (provider: string) =>
	RECEIVERS.map((receiver) => receiver.provider).filter((other) => other !== provider);
const providersWhere = (test: (contract: CallbackContract) => boolean) =>
	RECEIVERS.filter((receiver) => test(receiver.callback)).map((receiver) => receiver.provider);

/** "Gen-API, DefAPI, MiniMax or Nalitek", in the order of nodes/providers.ts. */
function providerNames(): string {
	const names = RECEIVERS.map((receiver) => receiver.displayName);
	return names.length > 1
		? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
		: names.join('');
}

/** A repeated callback for the same task and status within this time starts nothing. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
const DEFAULT_MAX_FILE_MB = 200;

function properties(): INodeProperties[] {
	const show = (providers: string[]) => ({ show: { provider: providers } });
	const providers = RECEIVERS.map((receiver) => ({
		name: receiver.displayName,
		value: receiver.provider,
		description: receiver.callback.description,
	})).sort((a, b) => a.name.localeCompare(b.name));
	const firstProvider = providers[0].value;
	const list: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			noDataExpression: true,
			options: providers,
			default: firstProvider,
			description:
				'The provider whose Create Task nodes send their callbacks here. Providers that do not call back (GPTunnel) are not listed.',
		},
		...RECEIVERS.map(
			(receiver): INodeProperties => ({
				displayName: receiver.callback.instructions,
				name: `${receiver.provider}Notice`,
				type: 'notice',
				default: '',
				displayOptions: show([receiver.provider]),
			}),
		),
		{
			displayName: 'Secret Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A secret of your choice that only you and the provider know. Add it to the URL you paste into Create Task: &lt;Production URL&gt;?token=&lt;this secret&gt;. Callbacks without it are refused with 401.',
			displayOptions: show(providersWhere((contract) => contract.authentication === 'token')),
		},
		{
			displayName: 'Secret Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. When set, add it to the URL you paste into Create Task (&lt;Production URL&gt;?token=&lt;this secret&gt;); callbacks without it are refused with 401. Without a token, each callback is confirmed with the provider before anything is fetched.',
			displayOptions: show(
				providersWhere((contract) => contract.authentication === 'optionalToken'),
			),
		},
		{
			displayName: 'Verify Signature',
			name: 'verifySignature',
			type: 'boolean',
			default: true,
			description:
				'Whether to refuse callbacks whose "sha256=" signature does not match the Webhook Secret of the credential (or its API key when no secret is set). When off, each callback is confirmed with the provider before anything is fetched.',
			displayOptions: show(providersWhere((contract) => contract.authentication === 'signature')),
		},
	];
	for (const receiver of RECEIVERS.filter((candidate) => candidate.callback.events)) {
		const events = receiver.callback.events!;
		list.push({
			displayName: `${receiver.displayName} Events`,
			name: 'events',
			type: 'multiOptions',
			options: events.all.map((event) => ({ name: event, value: event })),
			default: [...events.default],
			description: `Which ${receiver.displayName} events start the workflow; others are acknowledged and ignored`,
			displayOptions: show([receiver.provider]),
		});
	}
	list.push({
		displayName: 'Include Progress Updates',
		name: 'progressUpdates',
		type: 'boolean',
		default: false,
		description:
			'Whether callbacks that only report progress (e.g. Preparing, Queueing, Processing) also start the workflow. When off, only the final callback of a task does.',
		displayOptions: show(providersWhere((contract) => contract.progress === true)),
	});
	list.push({
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
					"Whether to fetch the finished file into the item as binary data. Files are fetched only from a verified callback or from the provider's own answer, and need the provider credential where the callback carries no link.",
			},
			{
				displayName: 'Ignore Duplicates',
				name: 'ignoreDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether a repeated callback for the same task and status within 10 minutes starts the workflow only once',
			},
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_FILE_MB,
				description: 'A larger result file is not downloaded: the item says so and keeps its link',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The name of the binary property that receives the file',
			},
		],
	});
	return list;
}

/** The provider credential, when one is set on the node. */
async function optionalCredentials(
	ctx: IWebhookFunctions,
	type: string,
): Promise<IDataObject | undefined> {
	const outcome = await settle(async () => await ctx.getCredentials(type));
	return outcome.ok ? (outcome.value as IDataObject) : undefined;
}

/**
 * Checks who is calling. Returns whether the caller proved to be the provider, or undefined when
 * the request must be refused.
 */
async function authenticate(
	ctx: IWebhookFunctions,
	receiver: Receiver,
	request: CallbackRequest,
): Promise<boolean | undefined> {
	const contract = receiver.callback;
	if (contract.authentication === 'signature') {
		if (ctx.getNodeParameter('verifySignature', true) === false) return false;
		const credentials = await optionalCredentials(ctx, receiver.credentialType);
		const secret = String(credentials?.webhookSecret || credentials?.apiKey || '');
		return contract.verifySignature?.(request, secret, Date.now()) === true ? true : undefined;
	}
	const expected = String(ctx.getNodeParameter('token', '') ?? '');
	if (!expected) return contract.authentication === 'optionalToken' ? false : undefined;
	return sameSecret(givenToken(request), expected) ? true : undefined;
}

export class AiMediaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Media Trigger',
		name: 'aiMediaTrigger',
		icon: {
			light: 'file:../../icons/aimediatrigger.svg',
			dark: 'file:../../icons/aimediatrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: `={{ "When " + ${JSON.stringify(Object.fromEntries(RECEIVERS.map((receiver) => [receiver.provider, receiver.displayName])))}[$parameter["provider"]] + " calls back" }}`,
		description: `Starts the workflow when ${providerNames()} calls back with a finished task`,
		defaults: { name: 'AI Media Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Each credential is hidden for the other providers rather than shown for its own: the editor
		// takes a field that credentials "show" on for the authentication selector and moves it into
		// the credential box, where the Provider field could not be chosen without a credential.
		credentials: RECEIVERS.map(
			(receiver): INodeCredentialDescription => ({
				name: receiver.credentialType,
				required: receiver.callback.credential === 'required',
				displayOptions: { hide: { provider: otherProviders(receiver.provider) } },
			}),
		),
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'callback',
			},
		],
		properties: properties(),
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

	/**
	 * Checks the caller, answers it at once, and only then reads the task and fetches its files:
	 * a provider never waits for downloads, and a failure there becomes an item with an error.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receiver = byProvider(this.getNodeParameter('provider', '') as string);
		const request = readCallbackRequest(this);
		if (!receiver || !request) return reply(this, 400, { message: 'Expected a JSON object' });
		const contract = receiver.callback;

		// Nothing of a secret is echoed, and a failed check starts nothing.
		const verified = await authenticate(this, receiver, request);
		if (verified === undefined) return reply(this, 401, { message: 'Unauthorized' });
		const handshake = contract.handshake?.(request.body);
		if (handshake) return reply(this, 200, handshake);

		const parsed = await settle(async () => contract.parse(request.body));
		if (!parsed.ok) return reply(this, 400, { message: 'Not a callback of this provider' });
		const callback: ParsedCallback = parsed.value;
		if (contract.events && callback.event) {
			const events = this.getNodeParameter('events', contract.events.default) as string[];
			if (!events.includes(callback.event))
				return reply(this, 200, { received: true, ignored: callback.event });
		}
		const includeProgress =
			contract.progress === true && this.getNodeParameter('progressUpdates', false) === true;
		if (!callback.final && !contract.events && !includeProgress)
			return reply(this, 200, { received: true, ignored: 'progress' });

		const options = this.getNodeParameter('options', {}) as IDataObject;
		if (options.ignoreDuplicates !== false) {
			const data = this.getWorkflowStaticData('node');
			const seen = (data.seen ?? {}) as Record<string, number>;
			const key = `${callback.taskId}:${callback.event ?? callback.state?.status ?? 'callback'}`;
			const now = Date.now();
			for (const [entry, at] of Object.entries(seen))
				if (now - at > DUPLICATE_WINDOW_MS) delete seen[entry];
			if (seen[key] !== undefined) return reply(this, 200, { received: true, duplicate: true });
			seen[key] = now;
			data.seen = seen;
		}

		// The provider has its answer; what follows may take minutes, and a failure in it is an item.
		reply(this, 200, { received: true });
		const collected = await settle(
			async () => await collect(this, receiver, callback, verified, options),
		);
		const items = collected.ok
			? collected.value
			: [
					{
						json: {
							provider: receiver.provider,
							taskId: callback.taskId,
							status: 'failed',
							error: toNodeError(this.getNode(), collected.error, receiver.displayName, 0).message,
						},
					},
				];
		if (!items.length) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [items] };
	}
}

/**
 * The items of one callback. The state in the body is used only when the caller is verified and
 * the provider's body can be trusted; otherwise the task is read through the provider's API with
 * the credential, and only what that read returns is fetched.
 */
async function collect(
	ctx: IWebhookFunctions,
	receiver: Receiver,
	callback: ParsedCallback,
	verified: boolean,
	options: IDataObject,
): Promise<INodeExecutionData[]> {
	const credentials = await optionalCredentials(ctx, receiver.credentialType);
	// The engine's helpers work with any context that offers HTTP and binary helpers.
	const executeCtx = ctx as unknown as IExecuteFunctions;
	const session = new TaskSession(executeCtx, receiver.tasks);
	const { taskId } = callback;
	const json: IDataObject = { provider: receiver.provider, taskId };
	if (callback.event) json.event = callback.event;

	let state: TaskState | undefined =
		verified && receiver.callback.trustsBody ? callback.state : undefined;
	let confirmed = state !== undefined;
	if (!state && credentials) {
		const read = await settle(async () => await session.readTask(taskId));
		if (read.ok) {
			state = read.value;
			confirmed = true;
			// A signal about a task that is not finished yet starts nothing (progress aside).
			const finished = isFinal(state);
			if (!finished && callback.final && !receiver.callback.events) return [];
		} else {
			const error = toNodeError(ctx.getNode(), read.error, receiver.displayName, 0);
			return [
				{
					json: {
						...json,
						status: 'failed',
						confirmed: false,
						outputs: [],
						error: `Could not read the task to confirm the callback: ${error.message}`,
						raw: compactRaw(callback.state?.raw ?? {}),
					},
				},
			];
		}
	}
	if (!state) {
		// Neither verified nor confirmable: report what was said, fetch nothing.
		return [
			{
				json: {
					...json,
					status: callback.state?.status ?? 'running',
					confirmed: false,
					outputs: [],
					hint: `Add the ${receiver.displayName} credential (or a secret token) so the callback can be confirmed and its file fetched.`,
					raw: compactRaw(callback.state?.raw ?? {}),
				},
			},
		];
	}
	Object.assign(json, { status: state.status, confirmed, outputs: [], raw: compactRaw(state.raw) });
	if (state.error) json.error = state.error;
	if (state.status !== 'succeeded' || !state.outputs?.length) return [{ json }];

	const download = options.download !== false;
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data') || 'data';
	const maxBytes = Math.max(1, Number(options.maxFileSizeMb ?? DEFAULT_MAX_FILE_MB)) * 1024 * 1024;
	const items: INodeExecutionData[] = [];
	for (const [index, output] of state.outputs.entries()) {
		const baseName = fileBaseName(receiver.provider, taskId, output, index, state.outputs.length);
		// A file id needs the credential to become a link.
		const canFetch = download && (output.url !== '' || credentials !== undefined);
		const file = await settle(async () =>
			toFileItem(
				executeCtx,
				session,
				credentials ? await session.resolveOutput(output) : output,
				baseName,
				{ download: canFetch, binaryPropertyName, maxBytes },
				json,
				{ item: 0 },
			),
		);
		if (file.ok) items.push({ json: file.value.json, binary: file.value.binary });
		else {
			const error = toNodeError(ctx.getNode(), file.error, receiver.displayName, 0);
			items.push({
				json: {
					...json,
					outputs: [{ url: output.url || null, fileId: output.fileId ?? null }],
					error: error.message,
				},
			});
		}
	}
	return items;
}
