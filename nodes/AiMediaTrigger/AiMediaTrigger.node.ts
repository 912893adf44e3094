import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeCredentialDescription,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CALLBACK_PROVIDERS, PROVIDERS } from '../providers';
import type { CallbackContract, ParsedCallback } from '../shared/callbacks';
import { DEFAULT_REPLAY_WINDOW_MINUTES, DEFAULT_REPLAY_WINDOW_MS } from '../shared/callbacks';
import { DEFAULT_MAX_FILE_MB, maxFileSizeOption } from '../shared/descriptions';
import { hostOf } from '../shared/host';
import {
	CallbackMemory,
	confirmTask,
	optionalCredentials,
	receiveCallback,
	replyJson as reply,
} from '../shared/intake';
import { failedItem } from '../shared/items';
import type { FailureRule } from '../shared/items';
import { compactRaw, fileBaseName, toFileItem } from '../shared/outputs';
import { TaskSession } from '../shared/session';
import { isFinal } from '../shared/states';
import { settle } from '../shared/timing';
import type { CallbackProvider, ProviderClient, TaskState } from '../shared/types';
import { exactNumber } from '../shared/validation';

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

/** "DefAPI, Gen-API, MiniMax or Nalitek", in the order of nodes/providers.ts. */
function providerNames(): string {
	const names = RECEIVERS.map((receiver) => receiver.displayName);
	return names.length > 1
		? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
		: names.join('');
}

/** A repeated callback for the same task and status within this time starts nothing. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** Confirming reads of a callback the caller proved nothing for: a stranger's guess costs one. */
const UNPROVEN_READ_ATTEMPTS = 3;
/** Confirming reads of a proven callback: providers call back once, so a passing failure is waited out. */
const PROVEN_READ_ATTEMPTS = 8;

function properties(): INodeProperties[] {
	const show = (providers: string[]) => ({ show: { provider: providers } });
	const providers = RECEIVERS.map((receiver) => ({
		name: receiver.displayName,
		value: receiver.provider,
		description: receiver.callback.description,
	}));
	const firstProvider = providers[0].value;
	const silent = PROVIDERS.filter((client) => !byProvider(client.provider)).map(
		(client) => client.displayName,
	);
	const list: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			noDataExpression: true,
			options: providers,
			default: firstProvider,
			description: `The provider whose Create Task nodes send their callbacks here.${silent.length ? ` Providers that do not call back (${silent.join(', ')}) are not listed.` : ''}`,
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
			displayName: 'Verify Signature',
			name: 'verifySignature',
			type: 'boolean',
			default: true,
			description:
				'Whether to refuse callbacks whose "sha256=" signature does not match the Webhook Secret of the credential (or its API key when no secret is set). When off, each callback is confirmed with the provider before anything is fetched, and one that names no task of yours is refused.',
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
					'Whether a repeated callback for the same task and status within 10 minutes (or the replay window, when longer) starts the workflow only once, also when the copies arrive at the same moment',
			},
			maxFileSizeOption,
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The name of the binary property that receives the file',
			},
			{
				displayName: 'Replay Window (Minutes)',
				name: 'replayWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_REPLAY_WINDOW_MINUTES,
				description:
					'How old a signed callback may be, by its timestamp. Older ones, and signed ones without a timestamp, are refused with 401 as possible replays. 0 turns the check off (then a copy of a signed callback can start the workflow again once Ignore Duplicates has forgotten it).',
				displayOptions: {
					show: {
						'/provider': providersWhere((contract) => contract.authentication === 'signature'),
					},
				},
			},
		],
	});
	return list;
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
				CallbackMemory.clear(memoryScope(this));
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
	 * Takes the callback in (intake.ts: size, token, shape, signature, replay window), confirms
	 * what the caller did not prove, lets each callback start the workflow once, answers the
	 * provider, and only then reads the task and fetches its files: a provider never waits for
	 * downloads, and a failure there becomes an item with an error.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receiver = byProvider(this.getNodeParameter('provider', '') as string);
		if (!receiver) return reply(this, 404, { message: 'Not found' });
		const contract = receiver.callback;
		const host = hostOf(this);
		const now = host.clock.now();
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const token =
			contract.authentication === 'token'
				? String(this.getNodeParameter('token', '') ?? '')
				: undefined;
		const verifySignature =
			contract.authentication === 'signature' &&
			this.getNodeParameter('verifySignature', true) !== false;
		const credentials = await optionalCredentials(host, receiver.credentialType);
		const replayWindowMs =
			(exactNumber(options.replayWindowMinutes) ?? DEFAULT_REPLAY_WINDOW_MINUTES) * 60_000;

		const intake = receiveCallback(this, contract, credentials, {
			token,
			verifySignature,
			requireProof: token !== undefined || verifySignature,
			replayWindowMs: Number.isFinite(replayWindowMs) ? replayWindowMs : DEFAULT_REPLAY_WINDOW_MS,
			now,
		});
		if (!intake.ok) return reply(this, intake.status, { message: intake.message });
		if (intake.handshake) return reply(this, 200, intake.handshake);
		const { callback, verified } = intake;

		if (contract.events && callback.event) {
			const events = this.getNodeParameter('events', contract.events.default) as string[];
			if (!events.includes(callback.event))
				return reply(this, 200, { received: true, ignored: callback.event });
		}
		const includeProgress =
			contract.progress === true && this.getNodeParameter('progressUpdates', false) === true;
		if (!callback.final && !contract.events && !includeProgress)
			return reply(this, 200, { received: true, ignored: 'progress' });

		const session = new TaskSession(host, receiver.tasks);
		// A caller that proved nothing: only a task the provider knows starts anything.
		let state: TaskState | undefined = verified && contract.trustsBody ? callback.state : undefined;
		if (!verified) {
			if (!credentials) return reply(this, 401, { message: 'Unauthorized' });
			const read = await confirmTask(session, callback.taskId, {
				attempts: UNPROVEN_READ_ATTEMPTS,
				proven: false,
			});
			if (!read.ok) return reply(this, read.status, { message: read.message });
			state = read.state;
			// A signal about a task that is not finished yet starts nothing (progress aside).
			if (!isFinal(state) && callback.final && !contract.events)
				return reply(this, 200, { received: true, ignored: 'not finished' });
		}

		if (options.ignoreDuplicates !== false) {
			const key = `${callback.taskId}:${callback.event ?? state?.status ?? callback.state?.status ?? 'callback'}`;
			const windowMs = Math.max(DUPLICATE_WINDOW_MS, replayWindowMs || 0);
			const first = CallbackMemory.claim(
				memoryScope(this),
				key,
				now,
				windowMs,
				this.getWorkflowStaticData('node'),
			);
			if (!first) return reply(this, 200, { received: true, duplicate: true });
		}

		// The provider has its answer; what follows may take minutes, and a failure in it is an item.
		reply(this, 200, { received: true });
		const collected = await settle(
			async () => await collect(session, receiver, callback, state, credentials, options),
		);
		const items = collected.ok
			? collected.value
			: [
					failedJson(session, collected.error, {
						provider: receiver.provider,
						taskId: callback.taskId,
						status: 'failed',
					}),
				];
		if (!items.length) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [items] };
	}
}

/** The memory of callbacks taken is kept per trigger node of a workflow. */
function memoryScope(ctx: IHookFunctions | IWebhookFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
}

/** A trigger cannot be stopped by the node: a failure is an item, by the one failure rule. */
function failedJson(session: TaskSession, error: unknown, json: IDataObject): INodeExecutionData {
	const rule: FailureRule = {
		node: session.host.node,
		displayName: session.client.displayName,
		continueOnFail: true,
	};
	return { json: failedItem(rule, error, 0, json).json };
}

/**
 * The items of one callback. The state in the body is used only when the caller proved to be the
 * provider and the provider's body can be trusted; otherwise it is the state read through the
 * provider's API with the credential, and only what that read returns is fetched.
 */
async function collect(
	session: TaskSession,
	receiver: Receiver,
	callback: ParsedCallback,
	known: TaskState | undefined,
	credentials: IDataObject | undefined,
	options: IDataObject,
): Promise<INodeExecutionData[]> {
	const { taskId } = callback;
	const json: IDataObject = { provider: receiver.provider, taskId };
	if (callback.event) json.event = callback.event;

	let state = known;
	if (!state && credentials) {
		const read = await confirmTask(session, taskId, {
			attempts: PROVEN_READ_ATTEMPTS,
			proven: true,
		});
		if (!read.ok) {
			return [
				{
					json: {
						...json,
						status: 'failed',
						confirmed: false,
						outputs: [],
						error: `Could not read the task to confirm the callback: ${read.message}`,
						raw: compactRaw(callback.state?.raw ?? {}),
					},
				},
			];
		}
		state = read.state;
		// A signal about a task that is not finished yet starts nothing (progress aside).
		if (!isFinal(state) && callback.final && !receiver.callback.events) return [];
	}
	if (!state) {
		// A proven caller whose body is not used as it is, and no credential to read the task with.
		return [
			{
				json: {
					...json,
					status: callback.state?.status ?? 'running',
					confirmed: false,
					outputs: [],
					hint: `Add the ${receiver.displayName} credential so the callback can be confirmed and its file fetched.`,
					raw: compactRaw(callback.state?.raw ?? {}),
				},
			},
		];
	}
	Object.assign(json, {
		status: state.status,
		confirmed: true,
		outputs: [],
		raw: compactRaw(state.raw),
	});
	if (state.error) json.error = state.error;
	if (state.status !== 'succeeded' || !state.outputs?.length) return [{ json }];

	const download = options.download !== false;
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data') || 'data';
	const maxBytes =
		Math.max(1, exactNumber(options.maxFileSizeMb) || DEFAULT_MAX_FILE_MB) * 1024 * 1024;
	const items: INodeExecutionData[] = [];
	for (const [index, output] of state.outputs.entries()) {
		const baseName = fileBaseName(receiver.provider, taskId, output, index, state.outputs.length);
		// A file id needs the credential to become a link.
		const canFetch = download && (output.url !== '' || credentials !== undefined);
		const file = await settle(async () =>
			toFileItem(
				session,
				credentials ? await session.resolveOutput(output) : output,
				baseName,
				{ download: canFetch, binaryPropertyName, maxBytes },
				json,
				{ item: 0 },
			),
		);
		if (file.ok) items.push({ json: file.value.json, binary: file.value.binary });
		else
			items.push(
				failedJson(session, file.error, {
					...json,
					outputs: [{ url: output.url || null, fileId: output.fileId ?? null }],
				}),
			);
	}
	return items;
}
