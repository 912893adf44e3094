// The toy provider as the engine sees it: who it is, how its tasks run, how it calls back.
import type { IDataObject } from 'n8n-workflow';

import type { CallbackContract } from '../../nodes/shared/callbacks';
import { isFinal, statusOf } from '../../nodes/shared/states';
import type { ProviderClient, TaskProtocol, TaskState } from '../../nodes/shared/types';

export const toyClient: ProviderClient = {
	provider: 'toy',
	displayName: 'Toy',
	credentialType: 'toyApi',
};

function toState(body: IDataObject): TaskState {
	// Its words: waiting, done, broken.
	const status = statusOf(body.state === 'broken' ? 'failed' : body.state);
	return {
		status,
		outputs: status === 'succeeded' ? [{ url: String(body.picture) }] : undefined,
		error: status === 'failed' ? String(body.reason ?? 'The toy task failed') : undefined,
		raw: body,
	};
}

export const toyTasks: TaskProtocol = {
	client: toyClient,
	timing: { firstCheckMs: 1_000, intervalMs: 1_000, maxWaitMs: 60_000 },
	parseCreated: (response) => ({ taskId: String((response.body as IDataObject).ticket) }),
	getTaskCall: (taskId) => ({ method: 'GET', path: `/toy/tickets/${encodeURIComponent(taskId)}` }),
	parseTask: (response) => toState(response.body as IDataObject),
};

export const toyCallback: CallbackContract = {
	authentication: 'token',
	parse(body) {
		if (typeof body.ticket !== 'string') throw new Error('not a toy callback');
		const state = toState(body);
		return { taskId: body.ticket, state, final: isFinal(state) };
	},
	trustsBody: true,
	credential: 'optional',
	instructions: 'Paste the Production URL (with ?token=…) into Create Task of the Toy node.',
	description: 'Toy tickets',
};
