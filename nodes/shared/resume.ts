import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { CallbackContract } from './callbacks';
import { DEFAULT_REPLAY_WINDOW_MS } from './callbacks';
import { hostOf } from './host';
import { confirmTask, optionalCredentials, receiveCallback, replyJson } from './intake';
import { checkInBackground } from './background';
import { finishParked, pendingTaskIds, storedItems } from './parked-items';
import { parkedEntry } from './parking';
import { TaskSession } from './session';
import { settingsFrom } from './settings';
import { isFinal } from './states';
import { settle } from './timing';
import type { TaskProtocol } from './types';

/*
 * The webhook of a parked execution (parking.ts parks). In "Provider Callback" wait mode its
 * callbacks are taken in, confirmed, and the execution resumes with the items Poll mode gives; in
 * "Poll in the Background" every call is a check of the tasks (background.ts).
 */

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
 * `contract` is undefined for a provider that cannot call back: its node parks only to poll in
 * the background.
 */
export async function resumeParkedRun(
	ctx: IWebhookFunctions,
	tasks: TaskProtocol,
	contract?: CallbackContract,
): Promise<IWebhookResponseData> {
	let answered = false;
	const answer = (status: number, body: IDataObject) => {
		answered = true;
		return replyJson(ctx, status, body);
	};
	const background = ctx.getNodeParameter('waitMode', 'poll') === 'background' || !contract;
	const outcome = await settle(async () =>
		background
			? await checkInBackground(ctx, tasks, answer)
			: await handleCallback(ctx, tasks, contract, answer),
	);
	if (outcome.ok) return outcome.value;
	ctx.logger.warn(
		`${tasks.client.displayName}: a ${background ? 'check' : 'callback'} could not be handled (${(outcome.error as Error)?.message ?? 'unknown error'}); the execution keeps waiting`,
	);
	if (answered) return { noWebhookResponse: true };
	return replyJson(ctx, 503, { message: 'The callback could not be handled now; send it again' });
}

async function handleCallback(
	ctx: IWebhookFunctions,
	tasks: TaskProtocol,
	contract: CallbackContract,
	answer: (status: number, body: IDataObject) => IWebhookResponseData,
): Promise<IWebhookResponseData> {
	const host = hostOf(ctx);
	const credentials = await optionalCredentials(host, tasks.client.credentialType);
	const now = host.clock.now();
	// No token here: a parked execution's URL is n8n's own. A callback proves itself by a
	// signature, or is confirmed through the provider's API.
	const intake = receiveCallback(ctx, contract, credentials, {
		verifySignature: contract.authentication === 'signature',
		requireProof: false,
		replayWindowMs: DEFAULT_REPLAY_WINDOW_MS,
		now,
	});
	if (!intake.ok) return answer(intake.status, { message: intake.message });
	if (intake.handshake) return answer(200, intake.handshake);
	const { callback, verified } = intake;

	const stored = storedItems(ctx);
	const pending = pendingTaskIds(stored);
	// A stray or forged callback names no task of this execution: it changes nothing.
	if (!pending.includes(callback.taskId))
		return answer(200, { received: true, ignored: 'not a task of this execution' });
	if (!callback.final) return answer(200, { received: true, ignored: 'progress' });

	const { entry, known } = parkedEntry(ctx.getExecutionId(), ctx.getNode().id, now);
	if (entry.resuming) return answer(200, { received: true, duplicate: true });
	// The provider has its answer: confirming reads and downloads follow.
	answer(200, { received: true });

	const session = new TaskSession(host, tasks);
	const read = async (taskId: string) => {
		const confirmed = await confirmTask(session, taskId, {
			attempts: CONFIRM_ATTEMPTS,
			proven: true,
		});
		if (!confirmed.ok) throw new Error(confirmed.message);
		return confirmed.state;
	};
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
	const finished = await settle(async () => {
		const options = ctx.getNodeParameter('options', {}) as IDataObject;
		const itemSettings = settingsFrom(options, tasks, (message) => {
			throw new NodeOperationError(ctx.getNode(), message);
		});
		return await finishParked(session, stored, entry.states, itemSettings);
	});
	if (!finished.ok) {
		// Nothing resumes: the next callback (or the timeout) gets another chance.
		entry.resuming = false;
		ctx.logger.warn(
			`${tasks.client.displayName}: a parked execution could not resume (${(finished.error as Error)?.message ?? 'unknown error'})`,
		);
		return { noWebhookResponse: true };
	}
	session.logSummary();
	// Kept (without its states) until it expires: a repeated callback resumes nothing twice.
	entry.states = new Map();
	return { noWebhookResponse: true, workflowData: [finished.value] };
}
