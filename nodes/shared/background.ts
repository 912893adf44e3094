import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { ProviderError } from './errors';
import type { EngineHost } from './host';
import { hostOf } from './host';
import { finishParked, pendingTaskIds, storedItems } from './parked-items';
import { parkedCallbackUrl, parkedEntry } from './parking';
import type { Checks, Parked } from './parking';
import { TaskSession } from './session';
import { settingsFrom } from './settings';
import type { ItemSettings } from './settings';
import { isFinal } from './states';
import { mapWithLimit, nextPollDelay, retryDelay, settle } from './timing';
import type { TaskProtocol } from './types';

/*
 * "Poll in the Background": the execution parks right after its tasks are created (parking.ts),
 * and the tasks are followed by the n8n process that takes webhooks — the main process, or a
 * webhook process in queue mode. A check is a POST to the node's own resume URL: n8n hands it to
 * the node's webhook(), which reads the tasks that are due and either resumes the execution with
 * the files or plans the next check in its own process. Nothing of the run is left in the process
 * that created the tasks, so a queue-mode worker may stop at any time after the execution parked.
 *
 * A check is only a hint to look now: whoever sends one, the tasks are read no sooner than they
 * are due, and one process plans at most one check of an execution at a time.
 */

/** Tries of one check's POST (a resume URL not answering yet, a webhook process restarting). */
const SEND_ATTEMPTS = 6;
const SEND_BASE_MS = 500;
const SEND_CAP_MS = 8_000;
/** How long the first check may meet n8n's "running already" (the execution is being saved as waiting). */
const FIRST_CHECK_PATIENCE_MS = 60_000;
const FIRST_CHECK_AGAIN_MS = 250;
/** The next check after one that found tasks finished while others still run. */
const SOON_AFTER_PROGRESS_MS = 1_000;
/** While the first waiting task runs, every task is read at every this many checks. */
const READ_ALL_EVERY = 4;

type Answer = (status: number, body: IDataObject) => IWebhookResponseData;

/**
 * Posts one check to a parked execution's resume URL, trying again while it cannot be delivered.
 * `first`: sent by the process that parked the execution, which n8n may not have saved as
 * waiting yet (409) — tried again until it has. Later checks stop at any answer: a 404 or 409
 * means the execution has resumed already (all done, or Max Wait).
 */
export async function sendCheck(
	host: EngineHost,
	url: string,
	{ first = false }: { first?: boolean } = {},
): Promise<void> {
	const startedAt = host.clock.now();
	for (let attempt = 1; ; attempt++) {
		const { status, error } = await postToResumeUrl(host, url, 'tasks', 30_000);
		if (status >= 200 && status < 300) return;
		const waitingToBeSaved =
			first && status === 409 && host.clock.now() - startedAt < FIRST_CHECK_PATIENCE_MS;
		const undelivered = status === 0 || status >= 500;
		if (!waitingToBeSaved && !(undelivered && attempt < SEND_ATTEMPTS)) {
			if (undelivered || first || (status !== 404 && status !== 409))
				host.log(
					'warn',
					`A background check of a waiting execution could not be delivered (${status ? `HTTP ${status}` : error || 'no answer'}); its tasks come out at "Max Wait" with their task IDs`,
				);
			return;
		}
		await host.clock.sleep(
			waitingToBeSaved ? FIRST_CHECK_AGAIN_MS : retryDelay(attempt, SEND_BASE_MS, SEND_CAP_MS),
		);
	}
}

/** How long the node waits for n8n to answer at its own resume URL before polling in the execution. */
const REACH_TIMEOUT_MS = 5_000;

/**
 * Whether n8n answers at a running execution's resume URL as it does for a running execution
 * (409, "running already"): then it will take the checks of the paused execution there too.
 */
export async function reachesItself(host: EngineHost, url: string): Promise<boolean> {
	return (await postToResumeUrl(host, url, 'reach', REACH_TIMEOUT_MS)).status === 409;
}

/** Posts `{ check }` to an execution's resume URL: n8n's answer status, 0 when none came. */
async function postToResumeUrl(
	host: EngineHost,
	url: string,
	check: 'tasks' | 'reach',
	timeout: number,
): Promise<{ status: number; error?: string }> {
	const sent = await settle(
		async () =>
			(await host.request({
				method: 'POST',
				url,
				body: { check },
				json: true,
				timeout,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode?: number },
	);
	return sent.ok
		? { status: Number(sent.value?.statusCode ?? 0) }
		: { status: 0, error: (sent.error as Error)?.message };
}

/** Plans this process's next check of the execution: a timer posts it to the resume URL. */
function plan(host: EngineHost, checks: Checks, url: string): void {
	if (checks.planned) return;
	checks.planned = true;
	void (async () => {
		await host.clock.sleep(Math.max(0, checks.nextAt - host.clock.now()));
		checks.planned = false;
		await sendCheck(host, url);
	})();
}

/**
 * One check of a parked execution, in the webhook of its node. Answered at once; when the tasks
 * are due they are read, and the execution resumes once every one is final (the files are
 * fetched here, as in "Provider Callback" mode), or the next check is planned.
 */
export async function checkInBackground(
	ctx: IWebhookFunctions,
	tasks: TaskProtocol,
	answer: Answer,
): Promise<IWebhookResponseData> {
	const host = hostOf(ctx);
	const now = host.clock.now();
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const settings = settingsFrom(options, tasks, (message) => {
		throw new NodeOperationError(ctx.getNode(), message);
	});
	const { entry, known } = parkedEntry(ctx.getExecutionId(), ctx.getNode().id, now);
	const url = parkedCallbackUrl(ctx);
	// A process that has not seen the execution yet (the first check, or a check that came to
	// another webhook process) reads after the first-check time: nothing is due earlier.
	const checks = (entry.checks ??= {
		nextAt: known ? now : now + settings.timing.firstCheckMs,
		planned: false,
		reading: false,
		count: 0,
	});
	if (entry.resuming) return answer(200, { received: true, check: 'resumed' });
	if (checks.reading || checks.planned || now < checks.nextAt) {
		plan(host, checks, url);
		return answer(200, { received: true, check: 'planned' });
	}
	checks.reading = true;
	answer(200, { received: true, check: 'now' });
	try {
		return await readAndResume(ctx, host, tasks, entry, checks, settings, url);
	} finally {
		checks.reading = false;
	}
}

async function readAndResume(
	ctx: IWebhookFunctions,
	host: EngineHost,
	tasks: TaskProtocol,
	entry: Parked,
	checks: Checks,
	settings: ItemSettings,
	url: string,
): Promise<IWebhookResponseData> {
	const session = new TaskSession(host, tasks);
	const stored = storedItems(ctx);
	const pending = pendingTaskIds(stored);
	let waitAtLeast = 0;
	const read = async (taskId: string) => {
		const outcome = await settle(async () => await session.readTask(taskId));
		if (outcome.ok) {
			if (isFinal(outcome.value)) entry.states.set(taskId, outcome.value);
			return;
		}
		const error = outcome.error as ProviderError;
		if (error instanceof ProviderError && error.details.transient !== false) {
			// Read again at the next check; a pause the provider asked for is kept.
			waitAtLeast = Math.max(waitAtLeast, error.details.retryAfterMs ?? 0);
			return;
		}
		entry.states.set(taskId, {
			status: 'failed',
			error: (error as Error)?.message ?? 'The task could not be read',
			raw: {},
		});
	};
	// The tasks of a run are alike and were created in this order: while the first waiting one
	// is still running, the later ones are read only every few checks (so a slow first task
	// cannot keep the others' results unknown until Max Wait).
	const waiting = () => pending.filter((taskId) => !entry.states.has(taskId));
	const [probe] = waiting();
	const finalBefore = entry.states.size;
	if (probe !== undefined) await read(probe);
	if (entry.states.has(probe) || (checks.count + 1) % READ_ALL_EVERY === 0)
		await mapWithLimit(waiting(), session.limits.pollConcurrency, read);
	checks.count++;
	// Tasks finishing now: the rest, created a moment later, are looked at again soon.
	const finishing = entry.states.size > finalBefore;
	const next = () => {
		const delay = nextPollDelay(settings.timing.intervalMs, checks.count);
		checks.nextAt =
			host.clock.now() +
			Math.max(waitAtLeast, finishing ? Math.min(delay, SOON_AFTER_PROGRESS_MS) : delay);
		plan(host, checks, url);
		return { noWebhookResponse: true } as IWebhookResponseData;
	};
	if (waiting().length) return next();

	entry.resuming = true;
	const finished = await settle(
		async () => await finishParked(session, stored, entry.states, settings),
	);
	if (!finished.ok) {
		entry.resuming = false;
		host.log(
			'warn',
			`${tasks.client.displayName}: a waiting execution could not resume (${(finished.error as Error)?.message ?? 'unknown error'}); it is checked again`,
		);
		return next();
	}
	session.logSummary();
	entry.states = new Map();
	return { noWebhookResponse: true, workflowData: [finished.value] };
}
