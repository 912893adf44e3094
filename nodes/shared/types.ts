import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import type { CallbackContract } from './callbacks';

/** The status every node reports, whatever words the provider uses. */
export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'timeout';

/** One generated file as the provider announced it. */
export interface MediaOutput {
	/** An http(s) URL, a `data:` URI or bare base64. Empty while only `fileId` is known. */
	url: string;
	/** The provider's id of the file, for providers that hand out links only on request. */
	fileId?: string;
	mimeType?: string;
	fileName?: string;
}

/** One status read, normalised. */
export interface TaskState {
	status: Exclude<TaskStatus, 'timeout'>;
	outputs?: MediaOutput[];
	error?: string;
	progress?: number;
	raw: IDataObject;
}

/** A request to the provider; `path` is appended to the base URL of the credential. */
export interface ProviderCall {
	method: IHttpRequestMethods;
	path: string;
	/** JSON, or a ready-made body (multipart) together with its Content-Type header. */
	body?: IDataObject | Buffer;
	qs?: IDataObject;
	headers?: IDataObject;
}

export interface ProviderResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** What a provider answered when it did not do what was asked, even with HTTP 200. */
export interface ProviderFailure {
	message: string;
	/** The provider's own error code, when it has one. */
	code?: string | number;
	/** True when the same request may succeed later (rate limits, overload). */
	transient?: boolean;
	/** True when the provider says it did not accept the request, so sending it again cannot pay twice. */
	notAccepted?: boolean;
	/** What the user can do about it. */
	hint?: string;
}

export interface PollTiming {
	/** Wait before the first status read after a task is created. */
	firstCheckMs: number;
	/** Wait between status reads; the user can change it. */
	intervalMs: number;
	/** How long a task may take before the node stops waiting; the user can change it. */
	maxWaitMs: number;
}

export interface ProviderLimits {
	/** Create calls in flight at once. */
	createConcurrency: number;
	/** Status reads in flight at once. */
	pollConcurrency: number;
	/** Create calls per minute the provider accepts; unset when unknown. */
	createsPerMinute?: number;
	/** Status reads per minute the provider accepts; unset when unknown. */
	pollsPerMinute?: number;
	/** Transient failures (5xx / network) in a row one task may meet before it is given up. */
	transientErrorBudget: number;
	/**
	 * "No such task" answers in a row one task may meet before it is given up; they are read
	 * again at the poll interval, as the providers' documents say.
	 */
	notFoundBudget: number;
}

/**
 * Who a provider is, for any request to it: the credential that signs requests, the names shown
 * to the user, and how the provider says "error". Plain calls (balances, lists) need only this.
 */
export interface ProviderClient {
	/** Written into every output item, e.g. `genApi`. */
	provider: string;
	/** Used in messages shown to the user, e.g. `Gen-API`. */
	displayName: string;
	credentialType: string;
	/**
	 * Finds a provider error in an answer, including in HTTP 2xx answers for providers that
	 * report errors in the body. Returns undefined when the answer is not an error.
	 */
	readFailure?(response: ProviderResponse): ProviderFailure | undefined;
	/** A short, user-facing hint per HTTP status, added to the built-in ones. */
	hints?: Record<number, string>;
	/**
	 * HTTP statuses of a create answer that the provider's document says to send again (its
	 * server failed before making the task). Any other failed create is never sent twice.
	 */
	resendCreateOn?: number[];
}

/**
 * How one kind of task runs at a provider: the answer to a create, the status read, the file.
 * The engine owns waiting, retries, rate limits, cancel, files and errors; a protocol only
 * builds requests and reads answers. What goes into a create comes from the node (CreateRequest).
 */
export interface TaskProtocol {
	client: ProviderClient;
	timing: PollTiming;
	/** Only what differs from the engine's defaults. */
	limits?: Partial<ProviderLimits>;
	/**
	 * Reads the task id from the create answer, and a state when the answer already has one. An
	 * answer that holds the finished result may come without an id.
	 */
	parseCreated(response: ProviderResponse): { taskId?: string; state?: TaskState };
	getTaskCall(taskId: string): ProviderCall;
	parseTask(response: ProviderResponse, taskId: string): TaskState;
	/** Answers read as "not found yet" right after create; retried like a 404. */
	isNotFoundYet?(response: ProviderResponse): boolean;
	/**
	 * For providers whose finished tasks name a file id instead of a link (MiniMax): the
	 * authenticated call that turns the id into a download link, and how to read its answer.
	 */
	resolveFile?: {
		call(fileId: string): ProviderCall;
		parse(response: ProviderResponse, fileId: string): MediaOutput;
	};
}

/**
 * Reads and checks one item's parameters and returns the create request. Throws
 * NodeOperationError for bad input; sends nothing. Written by each node for its operations.
 */
export type CreateRequest = (
	ctx: IExecuteFunctions,
	itemIndex: number,
	options?: CreateOptions,
) => Promise<ProviderCall> | ProviderCall;

export interface CreateOptions {
	/** Set in "Provider Callback" wait mode: the URL the task calls back, instead of the node's own. */
	callbackUrl?: string;
}

/** A provider that calls back: the AI Media Trigger receives its callbacks and reads its tasks. */
export interface CallbackProvider {
	tasks: TaskProtocol;
	callback: CallbackContract;
}

/** One unit of work for the engine: create a new task for an item, or follow an existing one. */
export type TaskJob =
	| { itemIndex: number; call: ProviderCall; timing: PollTiming }
	| { itemIndex: number; taskId: string; timing: PollTiming };

export interface TaskResult {
	itemIndex: number;
	taskId?: string;
	status: TaskStatus;
	state?: TaskState;
	/** Set when the task could not be created, read, or has failed. */
	error?: Error;
	/** When the create was answered, on the run's clock. */
	createdAt?: number;
}
