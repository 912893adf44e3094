import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { CallbackContract, CallbackRequest, ParsedCallback } from './callbacks';
import { readCallbackRequest, replyJson } from './callbacks';
import { TaskSession } from './engine';
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
 * The webhook of a parked execution. Never throws: n8n would break the waiting execution for
 * good. A failure to confirm answers 503 (the provider may send again); anything else is
 * acknowledged and changes nothing unless it is the last task of the run to finish.
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
	const request = readCallbackRequest(ctx);
	if (!request) return answer(400, { message: 'Expected a JSON object' });
	const parsed = await settle(async () => contract.parse(request.body));
	if (!parsed.ok) return answer(400, { message: 'Not a callback of this provider' });
	const callback: ParsedCallback = parsed.value;

	const stored = storedItems(ctx);
	const pending = stored
		.filter((item) => item.json?.status === 'timeout' && item.json.taskId !== null)
		.map((item) => String(item.json.taskId));
	// A stray or forged callback names no task of this execution: it changes nothing.
	if (!pending.includes(callback.taskId))
		return answer(200, { received: true, ignored: 'not a task of this execution' });
	if (!callback.final) return answer(200, { received: true, ignored: 'progress' });

	const now = clockOf(ctx).now();
	forgetExpired(now);
	const key = parkedKey(ctx.getExecutionId(), ctx.getNode().id);
	let entry = PARKED.get(key);
	const known = entry !== undefined;
	if (!entry) {
		entry = { states: new Map(), resuming: false, expiresAt: now + FORGET_AFTER_MS };
		PARKED.set(key, entry);
	}
	if (entry.resuming) return answer(200, { received: true, duplicate: true });

	const session = new TaskSession(ctx as unknown as IExecuteFunctions, tasks);
	// A task confirmed already (by an earlier read of this process) is not read again.
	const state =
		entry.states.get(callback.taskId) ??
		(await trustedState(ctx, handler, request, callback)) ??
		(await session.readTask(callback.taskId));
	if (isFinal(state)) entry.states.set(callback.taskId, state);
	if (!known) {
		// This process has not seen the execution (n8n restarted, or another webhook process parked
		// it): tasks that called back before are read once, so none of them is waited for in vain.
		for (const taskId of pending) {
			if (entry.states.has(taskId)) continue;
			const read = await settle(async () => await session.readTask(taskId));
			if (read.ok && isFinal(read.value)) entry.states.set(taskId, read.value);
		}
	}
	const remaining = pending.filter((taskId) => !entry.states.has(taskId));
	if (remaining.length) return answer(200, { received: true, waiting: remaining.length });
	if (entry.resuming) return answer(200, { received: true, duplicate: true });
	entry.resuming = true;

	// The provider has its answer; downloads follow, and a failure there is an item with an error.
	answer(200, { received: true });
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

/** The state in a callback whose signature proves it came from the provider, when it can be used as it is. */
async function trustedState(
	ctx: IWebhookFunctions,
	handler: ResumeHandler,
	request: CallbackRequest,
	callback: ParsedCallback,
): Promise<TaskState | undefined> {
	const contract = handler.callback;
	if (contract.authentication !== 'signature' || !contract.trustsBody || !callback.state)
		return undefined;
	if (!isFinal(callback.state)) return undefined;
	const credentials = await settle(
		async () => await ctx.getCredentials(handler.tasks.client.credentialType),
	);
	if (!credentials.ok) return undefined;
	const secret = String(credentials.value.webhookSecret || credentials.value.apiKey || '');
	return contract.verifySignature?.(request, secret, Date.now()) === true
		? callback.state
		: undefined;
}
