import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { CallbackContract } from './callbacks';
import { DEFAULT_REPLAY_WINDOW_MS } from './callbacks';
import { TaskSession } from './engine';
import { optionalCredentials, rawCallback, replyJson, takeIn } from './intake';
import { secretsOf } from './secrets';
import { isFinal } from './states';
import { clockOf, settle } from './timing';
import { isToolRun } from './tool';
import type { TaskProtocol, TaskResult, TaskState } from './types';

/**
 * "Provider Callback" wait mode: the node creates its tasks with the execution's resume URL as
 * callback URL and parks the execution (n8n's Wait-node mechanism). Each callback is a hint: the
 * task it names is confirmed with the provider's API (a verified signed body may be used as it
 * is), and the execution resumes once every task of the run is final.
 */
export type WaitMode = 'poll' | 'callback';

/**
 * The webhook a parked execution is resumed through: `…/webhook-waiting/<execution id>/<node id>`.
 * `restartWebhook` keeps it out of the workflow's own webhooks; `responseData: ''` keeps n8n from
 * answering "firstEntryJson" when the node leaves the answer to n8n.
 */
export const PARKED_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
	},
];

/** The Wait Mode choice and what it needs, for the operations that create tasks and wait. */
export function waitModeFields(
	show: Record<string, string[]>,
	providerName: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Wait Mode',
			name: 'waitMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Poll',
					value: 'poll',
					description:
						'Keep the execution running and ask the provider every few seconds until the files are ready',
				},
				{
					name: 'Provider Callback',
					value: 'callback',
					description: `Pause the execution until ${providerName} calls back: nothing polls while it waits, and the wait survives a restart of n8n`,
				},
			],
			default: 'poll',
			description: 'How the node learns that the tasks have finished',
			displayOptions: { show },
		},
		{
			displayName: `The execution pauses (status "Waiting") until ${providerName} calls back for every task, then goes on with the files. ${providerName} must reach this n8n: run n8n with WEBHOOK_URL set to its public address. Tasks not finished after "Max Wait" come out with status "timeout" and their task ID, for a "Wait for Task" node to finish.`,
			name: 'callbackNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, waitMode: ['callback'] } },
		},
	];
}

/** The node's resume URL for its tasks' callbacks; the query (n8n 2.x's signature) is kept. */
export function parkedCallbackUrl(ctx: IExecuteFunctions): string {
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
	return url.toString();
}

/** Whether this run may park: not as an AI Agent's tool, whose caller waits for an answer. */
export function canPark(ctx: IExecuteFunctions): boolean {
	return !isToolRun(ctx);
}

interface Parked {
	/** Final states confirmed for the tasks of this execution, by task id. */
	states: Map<string, TaskState>;
	/** Set once the last task is final: the execution is resumed (or being resumed) by this process. */
	resuming: boolean;
	/** After this the entry is dropped: the execution has resumed on its own (timeout). */
	expiresAt: number;
}

/**
 * What this n8n process knows of its parked executions. Only a saving of requests: a process
 * that does not know an execution (after a restart, or another webhook process) reads its tasks
 * once instead, so nothing depends on this memory.
 */
const PARKED = new Map<string, Parked>();
const FORGET_AFTER_MS = 60 * 60_000;

const parkedKey = (executionId: string, nodeId: string) => `${executionId}:${nodeId}`;

function forgetExpired(now: number): void {
	for (const [key, entry] of PARKED) if (entry.expiresAt < now) PARKED.delete(key);
}

/** The JSON of a parked item, which is also what a timeout passes on unchanged. */
export function parkedJson(provider: string, result: TaskResult): IDataObject {
	return { provider, taskId: result.taskId ?? null, status: 'timeout', outputs: [] };
}

/**
 * Stores the items n8n keeps with the waiting execution (and passes on at the timeout) and parks
 * it until `waitTill`.
 */
export async function parkExecution(
	ctx: IExecuteFunctions,
	stored: INodeExecutionData[],
	waitTill: Date,
	known: Map<string, TaskState>,
): Promise<void> {
	forgetExpired(clockOf(ctx).now());
	PARKED.set(parkedKey(ctx.getExecutionId(), ctx.getNode().id), {
		states: known,
		resuming: false,
		expiresAt: waitTill.getTime() + FORGET_AFTER_MS,
	});
	ctx.getExecuteData().data.main[0] = stored;
	await ctx.putExecutionToWait(waitTill);
}

/** The items stored with the waiting execution (its input, as n8n gives it to the webhook). */
function storedItems(ctx: IWebhookFunctions): INodeExecutionData[] {
	const value = ctx.evaluateExpression('{{ $input.all() }}', 0) as unknown;
	return Array.isArray(value) ? (value as INodeExecutionData[]) : [];
}

export interface ResumeHandler {
	/** The protocol of the parked operation, for the confirming reads. */
	tasks: TaskProtocol;
	callback: CallbackContract;
	/** Turns the final states into the node's output items, as Poll mode gives them. */
	finish(
		ctx: IWebhookFunctions,
		session: TaskSession,
		stored: INodeExecutionData[],
		states: Map<string, TaskState>,
	): Promise<INodeExecutionData[]>;
}

/**
 * Reads of a task a callback names. The task is known to be this execution's, so "not found" is
 * a passing answer here too; providers call back once, so a callback is not given up lightly.
 */
const CONFIRM_ATTEMPTS = 8;

/**
 * The webhook of a parked execution. Never throws: n8n would break the waiting execution for
 * good. A callback that names a waiting task of the execution is acknowledged at once; the task is
 * then confirmed (a verified signed body is used as it is, anything else is read through the
 * API, passing failures tried again), and the execution resumes once every task is final.
 */
export async function resumeParked(
	ctx: IWebhookFunctions,
	handler: ResumeHandler,
): Promise<IWebhookResponseData> {
	let answered = false;
	const answer = (status: number, body: IDataObject) => {
		answered = true;
		return replyJson(ctx, status, body);
	};
	const outcome = await settle(async () => await handleCallback(ctx, handler, answer));
	if (outcome.ok) return outcome.value;
	ctx.logger?.warn(
		`${handler.tasks.client.displayName}: a callback could not be handled (${(outcome.error as Error)?.message ?? 'unknown error'}); the execution keeps waiting`,
	);
	if (answered) return { noWebhookResponse: true };
	return replyJson(ctx, 503, { message: 'The callback could not be handled now; send it again' });
}

async function handleCallback(
	ctx: IWebhookFunctions,
	handler: ResumeHandler,
	answer: (status: number, body: IDataObject) => IWebhookResponseData,
): Promise<IWebhookResponseData> {
	const { callback: contract, tasks } = handler;
	const credentials = await optionalCredentials(ctx, tasks.client.credentialType);
	const now = clockOf(ctx).now();
	// No token here: a parked execution's URL is n8n's own. A callback proves itself by a
	// signature, or is confirmed through the provider's API.
	const intake = takeIn(rawCallback(ctx), {
		contract,
		signingSecret:
			contract.authentication === 'signature'
				? String(credentials?.webhookSecret || credentials?.apiKey || '')
				: undefined,
		requireProof: false,
		replayWindowMs: DEFAULT_REPLAY_WINDOW_MS,
		now,
		secrets: secretsOf(credentials),
	});
	if (!intake.ok) return answer(intake.status, { message: intake.message });
	if (intake.handshake) return answer(200, intake.handshake);
	const { callback, verified } = intake;

	const stored = storedItems(ctx);
	const pending = stored
		.filter((item) => item.json?.status === 'timeout' && item.json.taskId !== null)
		.map((item) => String(item.json.taskId));
	// A stray or forged callback names no task of this execution: it changes nothing.
	if (!pending.includes(callback.taskId))
		return answer(200, { received: true, ignored: 'not a task of this execution' });
	if (!callback.final) return answer(200, { received: true, ignored: 'progress' });

	forgetExpired(now);
	const key = parkedKey(ctx.getExecutionId(), ctx.getNode().id);
	let entry = PARKED.get(key);
	const known = entry !== undefined;
	if (!entry) {
		entry = { states: new Map(), resuming: false, expiresAt: now + FORGET_AFTER_MS };
		PARKED.set(key, entry);
	}
	if (entry.resuming) return answer(200, { received: true, duplicate: true });
	// The provider has its answer: confirming reads and downloads follow.
	answer(200, { received: true });

	const session = new TaskSession(ctx as unknown as IExecuteFunctions, tasks);
	const read = async (taskId: string) =>
		await session.retrying(CONFIRM_ATTEMPTS, async () => await session.readTask(taskId));
	const trusted =
		verified && contract.trustsBody && callback.state && isFinal(callback.state)
			? callback.state
			: undefined;
	// A task confirmed already (by an earlier read of this process) is not read again.
	const state = entry.states.get(callback.taskId) ?? trusted ?? (await read(callback.taskId));
	if (isFinal(state)) entry.states.set(callback.taskId, state);
	if (!known) {
		// This process has not seen the execution (n8n restarted, or another webhook process parked
		// it): tasks that called back before are read once, so none of them is waited for in vain.
		for (const taskId of pending) {
			if (entry.states.has(taskId)) continue;
			const other = await settle(async () => await read(taskId));
			if (other.ok && isFinal(other.value)) entry.states.set(taskId, other.value);
		}
	}
	const remaining = pending.filter((taskId) => !entry.states.has(taskId));
	if (remaining.length || entry.resuming) return { noWebhookResponse: true };
	entry.resuming = true;

	// Downloads follow; a failure there is an item with an error.
	const finished = await settle(
		async () => await handler.finish(ctx, session, stored, entry.states),
	);
	if (!finished.ok) {
		// Nothing resumes: the next callback (or the timeout) gets another chance.
		entry.resuming = false;
		ctx.logger?.warn(
			`${tasks.client.displayName}: a parked execution could not resume (${(finished.error as Error)?.message ?? 'unknown error'})`,
		);
		return { noWebhookResponse: true };
	}
	session.logSummary();
	// Kept (without its states) until it expires: a repeated callback resumes nothing twice.
	entry.states = new Map();
	return { noWebhookResponse: true, workflowData: [finished.value] };
}
