import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
} from 'n8n-workflow';

import { mergeInOrder } from './items';
import type { FailureRule } from './items';
import { toOutputItems } from './outputs';
import type { TaskSession } from './session';
import type { ItemSettings } from './settings';
import { isFinal } from './states';
import { mapWithLimit, settle } from './timing';
import { isToolRun } from './tool';
import type { TaskResult, TaskState } from './types';

/*
 * The wait modes that park the execution (n8n's Wait-node mechanism) once its tasks are created,
 * so that nothing of the run is held by the process that created them:
 * - "Provider Callback": the tasks get the execution's resume URL as callback URL. Each callback is
 *   a hint: the task it names is confirmed with the provider's API (a verified signed body may be
 *   used as it is), and the execution resumes once every task of the run is final (resume.ts).
 * - "Poll in the Background": the node's own webhook reads the tasks, on checks posted to the same
 *   resume URL by the n8n process that takes webhooks (background.ts).
 */

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

/** How a node waits for the tasks it creates (Wait Mode). */
export type WaitMode = 'poll' | 'background' | 'callback';

/**
 * The Wait Mode choice and what it needs, for the operations that create tasks and wait.
 * `callbacks: false` for a provider that cannot call a resume URL back.
 */
export function waitModeFields(
	show: Record<string, string[]>,
	providerName: string,
	{ callbacks = true }: { callbacks?: boolean } = {},
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
					name: 'Poll in the Background',
					value: 'background',
					description: `Pause the execution and let n8n's webhook side ask ${providerName} every few seconds: in queue mode a worker can stop meanwhile without losing the tasks or paying for them twice`,
				},
				...(callbacks
					? [
							{
								name: 'Provider Callback',
								value: 'callback',
								description: `Pause the execution until ${providerName} calls back: nothing polls while it waits, and the wait survives a restart of n8n`,
							},
						]
					: []),
			],
			default: 'poll',
			description: 'How the node learns that the tasks have finished',
			displayOptions: { show },
		},
		{
			displayName: `The execution pauses (status "Waiting") once the tasks are created. The n8n process that takes webhooks (the main process, or a webhook process in queue mode) asks ${providerName} every few seconds and resumes the execution with the files, on any worker. n8n must reach itself at its WEBHOOK_URL. Tasks not finished after "Max Wait" come out with status "timeout" and their task ID, for a "Wait for Task" node to finish.`,
			name: 'backgroundNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, waitMode: ['background'] } },
		},
		...(callbacks
			? [
					{
						displayName: `The execution pauses (status "Waiting") until ${providerName} calls back for every task, then goes on with the files. ${providerName} must reach this n8n: run n8n with WEBHOOK_URL set to its public address. Tasks not finished after "Max Wait" come out with status "timeout" and their task ID, for a "Wait for Task" node to finish.`,
						name: 'callbackNotice',
						type: 'notice' as const,
						default: '',
						displayOptions: { show: { ...show, waitMode: ['callback'] } },
					},
				]
			: []),
	];
}

/**
 * The node's own resume URL, for its tasks' callbacks and its background checks: the execution's
 * resume URL with the node's id, the query (n8n 2.x's signature) kept.
 */
export function parkedCallbackUrl(
	ctx: Pick<IExecuteFunctions | IWebhookFunctions, 'evaluateExpression' | 'getNode'>,
): string {
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
	return url.toString();
}

/** Whether this run may park: not as an AI Agent's tool, whose caller waits for an answer. */
export function canPark(ctx: IExecuteFunctions): boolean {
	return !isToolRun(ctx);
}

export interface Parked {
	/** Final states confirmed for the tasks of this execution, by task id. */
	states: Map<string, TaskState>;
	/** Set once the last task is final: the execution is resumed (or being resumed) by this process. */
	resuming: boolean;
	/** After this the entry is dropped: the execution has resumed on its own (timeout). */
	expiresAt: number;
	/** "Poll in the Background": the checks this process plans for the execution. */
	checks?: Checks;
}

/** The background checks of one parked execution in this process. */
export interface Checks {
	/** When the tasks are next read. */
	nextAt: number;
	/** A check is planned in this process (a timer will post it). */
	planned: boolean;
	/** The tasks are being read now. */
	reading: boolean;
	/** Reads so far, for the slowly growing interval. */
	count: number;
}

/**
 * What this n8n process knows of its parked executions. Only a saving of requests: a process
 * that does not know an execution (after a restart, or another webhook process) reads its tasks
 * once instead, so nothing depends on this memory.
 */
const PARKED = new Map<string, Parked>();
const FORGET_AFTER_MS = 60 * 60_000;

/**
 * This process's entry of a parked execution's node, made afresh when there is none; `known`
 * says whether there was one.
 */
export function parkedEntry(
	executionId: string,
	nodeId: string,
	now: number,
): { entry: Parked; known: boolean } {
	for (const [key, entry] of PARKED) if (entry.expiresAt < now) PARKED.delete(key);
	const key = `${executionId}:${nodeId}`;
	const found = PARKED.get(key);
	if (found) {
		// In use: kept at least as long again.
		found.expiresAt = Math.max(found.expiresAt, now + FORGET_AFTER_MS);
		return { entry: found, known: true };
	}
	const entry: Parked = { states: new Map(), resuming: false, expiresAt: now + FORGET_AFTER_MS };
	PARKED.set(key, entry);
	return { entry, known: false };
}

/**
 * Stores the items n8n keeps with the waiting execution (and passes on at the timeout) and parks
 * it until `waitTill`.
 */
async function parkExecution(
	ctx: IExecuteFunctions,
	session: TaskSession,
	stored: INodeExecutionData[],
	waitTill: Date,
	known: Map<string, TaskState>,
): Promise<void> {
	const { entry } = parkedEntry(ctx.getExecutionId(), ctx.getNode().id, session.clock.now());
	entry.states = known;
	entry.resuming = false;
	entry.expiresAt = waitTill.getTime() + FORGET_AFTER_MS;
	ctx.getExecuteData().data.main[0] = stored;
	await ctx.putExecutionToWait(waitTill);
}

/**
 * After the creates of a parked run: tasks created long enough ago to have finished (a callback
 * that came while the run was still creating got n8n's 409) are read once; then the
 * execution parks with the items a timeout passes on, or — when nothing is left to wait for —
 * returns undefined and the run ends as in Poll mode.
 */
export async function parkTasks(
	ctx: IExecuteFunctions,
	session: TaskSession,
	results: TaskResult[],
	refused: Map<number, INodeExecutionData>,
	settings: Map<number, ItemSettings>,
	rule: FailureRule,
	mode: WaitMode,
	remember: (results: TaskResult[]) => void,
): Promise<INodeExecutionData[] | undefined> {
	const isWaiting = (result: TaskResult) =>
		!result.error && result.taskId !== undefined && !(result.state && isFinal(result.state));
	const readBefore = session.clock.now() - session.tasks.timing.firstCheckMs;
	await mapWithLimit(
		results.filter((result) => isWaiting(result) && (result.createdAt ?? 0) <= readBefore),
		session.limits.pollConcurrency,
		async (result) => {
			const read = await settle(async () => await session.readTask(result.taskId!));
			if (read.ok && isFinal(read.value)) {
				result.state = read.value;
				result.status = read.value.status;
			}
		},
	);
	if (!results.some(isWaiting)) return undefined;

	remember(results);
	// What a timeout passes on: waiting tasks as "timeout" with their ID, finished ones with their
	// links (downloaded when the execution resumes), failures as now — without Continue On Fail
	// they stop the node here, naming the other tasks.
	const parkedSettings = new Map<number, ItemSettings>();
	for (const [itemIndex, itemSettings] of settings)
		parkedSettings.set(itemIndex, { ...itemSettings, download: false, failOnTimeout: false });
	const known = new Map<string, TaskState>();
	const made = await toOutputItems(
		session,
		results.map((result) => {
			if (result.taskId && result.state && isFinal(result.state))
				known.set(result.taskId, result.state);
			return isWaiting(result) ? { ...result, status: 'timeout', state: undefined } : result;
		}),
		parkedSettings,
		rule,
	);
	const stored = mergeInOrder(made, refused.values());
	const first = settings.get(results[0].itemIndex)!;
	const waitTill = new Date(session.clock.now() + first.timing.maxWaitMs);
	session.debug(
		`${results.filter(isWaiting).length} tasks wait ${mode === 'background' ? 'for background checks' : 'for their callbacks'} until ${waitTill.toISOString()}`,
	);
	session.logSummary();
	await parkExecution(ctx, session, stored, waitTill, known);
	return stored;
}
