/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// An IExecuteFunctions for running a node's execute() in jest: the node's parameters, input items
// and settings, over a test EngineHost (host.ts) that does the HTTP, credentials, files and logs.
import type {
	IBinaryData,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import type { Readable } from 'stream';

import type { EngineHost } from '../../nodes/shared/host';
import { createHost } from './host';
import type { RecordedRequest, TestHost } from './host';

export type { RecordedRequest } from './host';

export interface ContextOptions {
	node: INodeType;
	credentialType: ICredentialType;
	credentials: IDataObject;
	/** Parameter values; a function gets the item index. */
	parameters: Record<string, unknown | ((itemIndex: number) => unknown)>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	signal?: AbortSignal;
	/** The node's "Retry On Fail" setting. */
	retryOnFail?: boolean;
	/** n8n's per-execution node context; share one object between runs to act as retries of one execution. */
	nodeContext?: IDataObject;
	/** Replaces how files are stored (e.g. to make storing fail). */
	prepareBinaryData?: (
		data: Buffer | Readable,
		fileName?: string,
		mimeType?: string,
	) => Promise<IBinaryData>;
}

export interface TestContext extends TestHost {
	ctx: IExecuteFunctions;
	requests: RecordedRequest[];
	host: EngineHost;
}

export function createContext(options: ContextOptions): TestContext {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const node: INode = {
		id: 'test-node',
		name: options.node.description.defaults.name ?? 'Node',
		type: `n8n-nodes-genmedia.${options.node.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		retryOnFail: options.retryOnFail,
	};
	const test = createHost({
		credentialType: options.credentialType,
		credentials: options.credentials,
		signal: options.signal,
		node,
		storeFile: options.prepareBinaryData,
	});
	const { host } = test;
	const nodeContext = options.nodeContext ?? {};
	const log = (message: string) => host.log('debug', message);
	const ctx = {
		getInputData: () => items,
		getNode: () => node,
		getExecutionId: () => 'execution-1',
		getContext: () => nodeContext,
		continueOnFail: () => options.continueOnFail === true,
		getExecutionCancelSignal: () => options.signal,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			// A path such as "referenceImages.images" reads inside a collection, as n8n does.
			const [top, ...rest] = name.split('.');
			if (top in options.parameters) {
				const value = options.parameters[top];
				let resolved =
					typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
				for (const key of rest) resolved = (resolved as Record<string, unknown> | undefined)?.[key];
				if (resolved !== undefined || !rest.length) return resolved;
			}
			if (arguments.length >= 3) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCredentials: async (type: string) => await host.credentials(type),
		logger: { debug: log, info: log, warn: log, error: log },
		helpers: {
			// n8n's own helper for pairing output items, as NodeExecuteFunctions implements it.
			constructExecutionMetaData: (
				list: INodeExecutionData[],
				{ itemData }: { itemData: { item: number } },
			) => list.map((item) => ({ ...item, pairedItem: itemData })),
			httpRequest: async (opts: never) => await host.request(opts),
			httpRequestWithAuthentication: async (type: string, opts: never) =>
				await host.request(opts, type),
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) =>
				await host.storeFile(data, fileName, mimeType),
			assertBinaryData(itemIndex: number, name: string): IBinaryData {
				const binary = items[itemIndex]?.binary?.[name];
				if (!binary)
					throw new Error(
						`This operation expects the node's input data to contain a binary file '${name}'`,
					);
				return binary;
			},
			async getBinaryDataBuffer(itemIndex: number, name: string): Promise<Buffer> {
				const binary = items[itemIndex]?.binary?.[name];
				if (!binary) throw new Error(`No binary data '${name}'`);
				return Buffer.from(binary.data, 'base64');
			},
		},
	};
	return { ...test, ctx: ctx as unknown as IExecuteFunctions };
}

/** A Generate run's parameters: nothing optional set, polled every second; the test's own on top. */
export function generateParameters(parameters: Record<string, unknown>): IDataObject {
	return {
		resource: 'image',
		operation: 'generate',
		additionalFields: {},
		options: { pollInterval: 1 },
		...parameters,
	} as IDataObject;
}

/** Runs a node's execute() once with the given parameters; returns the first output. */
export function runNode(options: ContextOptions): {
	test: TestContext;
	result: Promise<INodeExecutionData[]>;
} {
	const test = createContext(options);
	const result = (
		options.node.execute as (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>
	)
		.call(test.ctx)
		.then(([output]) => output);
	return { test, result };
}

export interface RunOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	signal?: AbortSignal;
	/** Another key than the runner's (a wrong key, a key the emulator echoes). */
	apiKey?: string;
}

/**
 * A node test's run(): the node with its credential against `baseUrl()`, its default parameters
 * under the test's own, run once as `runNode` does.
 */
export function nodeRunner(runner: {
	node: () => INodeType;
	credentialType: () => ICredentialType;
	baseUrl: () => string;
	apiKey: string;
	defaults: IDataObject;
}) {
	return (
		parameters: Record<string, unknown>,
		{ apiKey = runner.apiKey, ...options }: RunOptions = {},
	): ReturnType<typeof runNode> =>
		runNode({
			node: runner.node(),
			credentialType: runner.credentialType(),
			credentials: { apiKey, baseUrl: runner.baseUrl() },
			parameters: { ...runner.defaults, ...parameters },
			...options,
		});
}
