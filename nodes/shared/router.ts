import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { TaskOperation } from './node-description';
import { executeTaskOperation } from './tasks';
import type { TaskOperationOptions } from './tasks';
import { failedItem } from './items';
import { isToolRun, short, toolOutput } from './tool';
import type { CreateRequest, ProviderClient, TaskProtocol } from './types';

/** One operation of a node: what runs when the user picks it (n8n's router pattern). */
export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

/** resource → operation → what runs, as the node lists them. */
export type OperationRegistry = Record<string, Record<string, Operation>>;

/**
 * The four task operations every provider node offers (node-description.ts words them), for one
 * kind of task: Generate creates and waits, Create Task only creates, Get Task reads once, Wait
 * for Task waits for tasks created earlier.
 */
export function taskOperations(
	tasks: TaskProtocol,
	createRequest: CreateRequest,
	options: TaskOperationOptions = {},
): Record<TaskOperation, Operation> {
	return {
		generate: {
			async execute() {
				return await executeTaskOperation(this, tasks, 'createAndWait', createRequest, options);
			},
		},
		createTask: {
			async execute() {
				return await executeTaskOperation(this, tasks, 'create', createRequest);
			},
		},
		getTask: {
			async execute() {
				return await executeTaskOperation(this, tasks, 'read');
			},
		},
		waitForTask: {
			async execute() {
				return await executeTaskOperation(this, tasks, 'wait');
			},
		},
	};
}

/**
 * The execute() of every provider node: runs the operation the user picked. As an AI Agent's
 * tool it gives the model what it can use (tool.ts), and a failure before any task (a missing
 * prompt, a refused key) as one item with the message.
 */
export async function executeProviderNode(
	ctx: IExecuteFunctions,
	client: ProviderClient,
	registry: OperationRegistry,
): Promise<INodeExecutionData[][]> {
	const run = async () => {
		const resource = ctx.getNodeParameter('resource', 0) as string;
		const operation = ctx.getNodeParameter('operation', 0) as string;
		const handler = registry[resource]?.[operation];
		if (!handler) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The operation "${operation}" of "${resource}" is not supported`,
			);
		}
		return [await handler.execute.call(ctx)];
	};
	if (!isToolRun(ctx)) return await run();
	try {
		return (await run()).map(toolOutput);
	} catch (error) {
		const rule = { node: ctx.getNode(), displayName: client.displayName, continueOnFail: true };
		const { json } = failedItem(rule, error, 0, { status: 'failed' });
		return [[{ json: short(json) as IDataObject }]];
	}
}
