import { ProviderError } from './errors';
import { STRICT_POLICY } from './fetch-policy';
import type { FetchPolicy } from './fetch-policy';
import type { EngineHost } from './host';
import { REQUEST_TIMEOUT_MS, apiUrl, checkResponse, credentialInfo, sendToProvider } from './http';
import { RequestGate, pause, retryDelay, settle } from './timing';
import type { Clock } from './timing';
import type {
	MediaOutput,
	ProviderCall,
	ProviderClient,
	ProviderLimits,
	TaskProtocol,
	TaskState,
} from './types';

const DEFAULT_LIMITS: ProviderLimits = {
	createConcurrency: 10,
	pollConcurrency: 10,
	transientErrorBudget: 8,
	notFoundBudget: 8,
};

/** A create refused before the provider accepted it (429, refused connection) is sent again at most this often. */
const CREATE_ATTEMPTS = 6;
/** Tries to turn a file id into a link. */
const FILE_ATTEMPTS = 4;
export const RETRY_BASE_MS = 1_000;
export const RETRY_CAP_MS = 30_000;
/** A Retry-After longer than this is not waited out by downloads and plain reads. */
const LONGEST_WAIT_FOR_RETRY_MS = 2 * 60_000;

/**
 * Shared state of one node run against one provider: its credential, cancel signal, clock and
 * rate limits (providers count requests per key, so every item of the run shares them).
 */
export class ProviderSession {
	readonly limits: ProviderLimits;
	readonly createGate: RequestGate;
	readonly pollGate: RequestGate;
	readonly signal?: AbortSignal;
	/** Requests sent, by kind: written to n8n's log (debug) at the end of a run, and read by tests. */
	readonly counters = { creates: 0, reads: 0, throttled: 0, retried: 0 };
	/** How long one request may take (the node's "Request Timeout" option). */
	requestTimeoutMs = REQUEST_TIMEOUT_MS;
	/** The time every wait of this run is measured in: real in n8n, virtual in tests. */
	readonly clock: Clock;

	constructor(
		readonly host: EngineHost,
		readonly client: ProviderClient,
		limits?: Partial<ProviderLimits>,
	) {
		this.limits = { ...DEFAULT_LIMITS, ...limits };
		this.clock = host.clock;
		this.signal = host.signal;
		this.createGate = new RequestGate(this.limits.createsPerMinute, 60_000, this.clock);
		this.pollGate = new RequestGate(this.limits.pollsPerMinute, 60_000, this.clock);
	}

	/** Waits `ms` on this run's clock; ends early with an error when the execution is cancelled. */
	async pause(ms: number): Promise<void> {
		await pause(ms, this.signal, this.clock);
	}

	/**
	 * Where this provider's result files may be fetched from: its own origin, and private
	 * addresses only when its credential allows them. Without a credential, public links only.
	 */
	async fetchPolicy(): Promise<FetchPolicy> {
		const info = await settle(
			async () => await credentialInfo(this.host, this.client.credentialType),
		);
		return info.ok ? info.value.policy : STRICT_POLICY;
	}

	/** Sends one request with this run's credential, cancel signal and request timeout. */
	async send(call: ProviderCall) {
		return await sendToProvider(this.host, this.client, call, this.requestTimeoutMs);
	}

	/** A line in n8n's log at debug level: what the run did, never a request or a key. */
	debug(message: string): void {
		this.host.log('debug', `${this.client.displayName}: ${message}`);
	}

	/** Writes what the run cost to n8n's log (debug level). */
	logSummary(): void {
		const { creates, reads, throttled, retried } = this.counters;
		if (creates + reads + throttled + retried) {
			this.debug(
				`${creates} create requests, ${reads} status reads, ${throttled} throttled (429), ${retried} tried again`,
			);
		}
	}

	/**
	 * Runs `fn` until it succeeds; a transient ProviderError is tried again, `attempts` times in
	 * all, after the provider's Retry-After or a growing pause. With a gate, every attempt waits
	 * for it and a 429 pauses it for the whole run.
	 */
	async retrying<T>(attempts: number, fn: () => Promise<T>, gate?: RequestGate): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			const outcome = await settle(async () =>
				gate ? await gate.through(this.signal, fn) : await fn(),
			);
			if (outcome.ok) return outcome.value;
			const { error } = outcome;
			const retryable =
				error instanceof ProviderError && error.details.transient === true && attempt < attempts;
			if (!retryable) throw error;
			this.debug(`${error.message}; trying again (${attempt + 1} of ${attempts})`);
			// A file or a list is not worth a long wait: the item says what the provider asked instead.
			if ((error.details.retryAfterMs ?? 0) > LONGEST_WAIT_FOR_RETRY_MS) throw error;
			if (gate && error.details.httpCode === 429) this.throttled(gate, error, attempt);
			else
				await this.pause(
					error.details.retryAfterMs ?? retryDelay(attempt, RETRY_BASE_MS, RETRY_CAP_MS),
				);
		}
	}

	/**
	 * A read-only call (lists, details): tried again on 429 and transient errors a few times.
	 * Returns the answer's body; throws ProviderError.
	 */
	async read(call: ProviderCall): Promise<unknown> {
		const response = await this.retrying(
			FILE_ATTEMPTS,
			async () => checkResponse(this.client, await this.send(call), 'call'),
			this.pollGate,
		);
		return response.body;
	}

	/** The provider asked for a pause that ends after the task's Max Wait: the item ends now, with that said. */
	tooLongToWait(waitMs: number): ProviderError {
		const minutes = Math.ceil(waitMs / 60_000);
		return new ProviderError(
			`${this.client.displayName} asks to wait ${minutes >= 2 ? `${minutes} minutes` : `${Math.ceil(waitMs / 1000)} seconds`} before the next request, longer than "Max Wait"`,
			'http',
			{
				httpCode: 429,
				retryAfterMs: waitMs,
				notAccepted: true,
				hint: 'Nothing was created for this item. Run it again later, or raise "Max Wait".',
			},
		);
	}

	protected throttled(gate: RequestGate, error: ProviderError, attempt = 1): void {
		this.counters.throttled++;
		const waitMs =
			error.details.retryAfterMs ?? retryDelay(attempt + 1, RETRY_BASE_MS, RETRY_CAP_MS);
		this.debug(
			`answered 429 (too many requests); nothing goes out for ${Math.ceil(waitMs / 1000)} s`,
		);
		gate.pauseFor(waitMs);
	}
}

/** A node run that creates and follows tasks of one kind (one TaskProtocol). */
export class TaskSession extends ProviderSession {
	constructor(
		host: EngineHost,
		readonly tasks: TaskProtocol,
	) {
		super(host, tasks.client, tasks.limits);
	}

	/**
	 * One status read, classified. Throws ProviderError. With a `deadline`, a pause the provider
	 * asked for that ends after it is not waited out: the read fails as throttled instead.
	 */
	async readTask(
		taskId: string,
		deadline?: number,
		{ notFoundIsFinal = false }: { notFoundIsFinal?: boolean } = {},
	): Promise<TaskState> {
		const wait = this.pollGate.waitTime();
		if (deadline !== undefined && wait > 0 && this.clock.now() + wait >= deadline) {
			throw new ProviderError('Too many requests', 'http', {
				httpCode: 429,
				transient: true,
				retryAfterMs: wait,
				taskId,
			});
		}
		const response = await this.pollGate.through(this.signal, async () => {
			this.counters.reads++;
			return await this.send(this.tasks.getTaskCall(taskId));
		});
		const outcome = await settle(async () =>
			this.tasks.parseTask(
				notFoundIsFinal
					? checkResponse(this.client, response, 'call')
					: checkResponse(this.client, response, 'poll', this.tasks.isNotFoundYet),
				taskId,
			),
		);
		if (outcome.ok) return outcome.value;
		if (outcome.error instanceof ProviderError) {
			if (outcome.error.details.httpCode === 429) this.throttled(this.pollGate, outcome.error);
			outcome.error.details.taskId ??= taskId;
		}
		throw outcome.error;
	}

	/**
	 * Sends one create request; retries only when the provider cannot have accepted it. A wait the
	 * provider asks for (Retry-After) that would end after `deadline` is not waited out.
	 */
	async createTask(
		call: ProviderCall,
		deadline?: number,
	): Promise<{ taskId?: string; state?: TaskState }> {
		const { displayName } = this.client;
		for (let attempt = 1; ; attempt++) {
			const wait = this.createGate.waitTime();
			if (deadline !== undefined && wait > 0 && this.clock.now() + wait > deadline)
				throw this.tooLongToWait(wait);
			const outcome = await settle(async () => {
				const response = await this.createGate.through(this.signal, async () => {
					this.counters.creates++;
					return await this.send(call);
				});
				return this.tasks.parseCreated(checkResponse(this.client, response, 'create'));
			});
			if (outcome.ok) return outcome.value;
			const { error } = outcome;
			const retryable =
				error instanceof ProviderError &&
				error.details.notAccepted === true &&
				attempt < CREATE_ATTEMPTS;
			if (!retryable) {
				if (
					error instanceof ProviderError &&
					error.details.transient === true &&
					error.details.notAccepted !== true
				) {
					// The answer was lost, not refused: the provider may have started (and charged) the task.
					error.details.hint = `${displayName} may have started this task even though its answer was lost. It was not sent again, so it is not paid twice: look for it in your ${displayName} account before running this item again.`;
				}
				throw error;
			}
			this.counters.retried++;
			this.debug(
				`refused a create before starting it (${error.message}); sending it again, try ${attempt + 1}`,
			);
			if (error.details.httpCode === 429) this.throttled(this.createGate, error, attempt);
			else await this.pause(retryDelay(attempt, RETRY_BASE_MS, RETRY_CAP_MS));
		}
	}

	/**
	 * Turns a file id into a download link with the provider's authenticated call; transient
	 * failures are tried again a few times. Outputs that have a link already pass unchanged.
	 */
	async resolveOutput(output: MediaOutput): Promise<MediaOutput> {
		const { resolveFile } = this.tasks;
		// Some providers answer with links relative to their own host.
		if (output.url.startsWith('/') && !output.url.startsWith('//')) {
			const { baseUrl } = await credentialInfo(this.host, this.client.credentialType);
			return { ...output, url: apiUrl(baseUrl, output.url) };
		}
		if (output.url || !output.fileId || !resolveFile) return output;
		const fileId = output.fileId;
		const resolved = await this.retrying(
			FILE_ATTEMPTS,
			async () =>
				resolveFile.parse(
					checkResponse(this.client, await this.send(resolveFile.call(fileId)), 'call'),
					fileId,
				),
			this.pollGate,
		);
		return { ...output, ...resolved, fileId };
	}
}
