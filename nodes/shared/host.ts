import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

import { realClock } from './timing';
import type { Clock } from './timing';

/** A file as n8n's binary helpers take it: a whole buffer, or a stream read into the store. */
export type FileBody = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/**
 * What the engine needs of n8n, and nothing more: requests, credentials, binary storage, a log, a
 * cancel signal and a clock. Built once per node run (`hostOf`) from an execute context or a
 * webhook context, so the same engine serves a node's execute(), a parked execution's resume and
 * the AI Media Trigger, and a test gives it a small fake.
 */
export interface EngineHost {
	/** The node, for error messages. */
	readonly node: INode;
	/** The time every wait is measured in. */
	readonly clock: Clock;
	/** Set when the execution can be stopped from the editor. */
	readonly signal?: AbortSignal;
	/** A credential of the node, read once per host; throws when the node has none of this type. */
	credentials(type: string): Promise<IDataObject>;
	/**
	 * Sends one HTTP request as n8n's helpers do: signed with the credential when a type is given,
	 * as it is (result files are public links and never get the key) otherwise.
	 */
	request(options: IHttpRequestOptions, credentialType?: string): Promise<unknown>;
	/** Puts a file into n8n's binary store (streamed in filesystem and S3 mode). */
	storeFile(body: FileBody, fileName?: string, mimeType?: string): Promise<IBinaryData>;
	/** Lines for n8n's log: what a run did, never a request or a key. */
	log(level: 'debug' | 'info' | 'warn', message: string): void;
}

/** The n8n contexts a host is made from: both offer request and binary helpers. */
export type HostContext = IExecuteFunctions | IWebhookFunctions;

/** The engine's view of an n8n context: one per node run or webhook call. */
export function hostOf(ctx: HostContext): EngineHost {
	const read = new Map<string, Promise<IDataObject>>();
	// Older n8n versions may not offer a cancel signal: then a run ends at its deadline.
	const signal =
		'getExecutionCancelSignal' in ctx && typeof ctx.getExecutionCancelSignal === 'function'
			? ctx.getExecutionCancelSignal()
			: undefined;
	const node = ctx.getNode();
	return {
		node,
		clock: realClock,
		signal,
		async credentials(type) {
			let credentials = read.get(type);
			if (!credentials) {
				credentials = ctx.getCredentials(type) as Promise<IDataObject>;
				// A failed read is not remembered: the next call reads again.
				credentials.catch(() => read.delete(type));
				read.set(type, credentials);
			}
			return await credentials;
		},
		async request(options, credentialType) {
			if (credentialType === undefined) return await ctx.helpers.httpRequest(options);
			// The credential read once for the run signs every request: left to itself, n8n reads
			// it from its database, decrypts it and resolves its fields again for each one.
			const data = await this.credentials(credentialType);
			const stored = node.credentials?.[credentialType];
			return await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options, {
				credentialsDecrypted: {
					id: stored?.id ?? '',
					name: stored?.name ?? '',
					type: credentialType,
					data: data as ICredentialDataDecryptedObject,
				},
			});
		},
		async storeFile(body, fileName, mimeType) {
			return await ctx.helpers.prepareBinaryData(body, fileName, mimeType);
		},
		log(level, message) {
			ctx.logger?.[level](message);
		},
	};
}
