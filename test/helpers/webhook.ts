// An IWebhookFunctions for calling a node's webhook() in jest, as n8n calls it for one request:
// the raw body and what n8n parsed of it, headers, query, the node's parameters, its static data,
// and the answer the node sends. HTTP, credentials, clock and logs come from a test context.
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { TestContext } from './context';

export interface WebhookRequest {
	/** The body: JSON to send, or the raw text/bytes as they arrive. */
	body?: unknown;
	raw?: string | Buffer;
	query?: IDataObject;
	headers?: Record<string, string>;
	/** The node's parameters for this call (a fallback answers the rest). */
	parameters?: IDataObject;
	staticData?: IDataObject;
	workflowId?: string;
	executionId?: string;
	/** Answers expressions the node evaluates (a parked node asks for `$input.all()`). */
	evaluateExpression?: (expression: string) => unknown;
	/** The node has no credential set. */
	noCredentials?: boolean;
}

/** What the node answered the caller. */
export interface SentAnswer {
	status?: number;
	body?: IDataObject;
	/** When it was sent (real time: to order it against other real events). */
	at?: number;
}

export function webhookContext(
	test: TestContext,
	request: WebhookRequest,
): { ctx: IWebhookFunctions; sent: SentAnswer } {
	const sent: SentAnswer = {};
	const rawBody = Buffer.isBuffer(request.raw)
		? request.raw
		: Buffer.from(request.raw ?? JSON.stringify(request.body ?? {}));
	// n8n parses what it can; a body that is not JSON arrives as an empty object.
	const parsed = request.raw === undefined ? (request.body ?? {}) : {};
	const parameters = request.parameters ?? {};
	const base = test.ctx as unknown as Record<string | symbol, unknown>;
	const ctx = {
		...base,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getRequestObject: () => ({ rawBody, body: parsed }),
		getResponseObject: () => ({
			status(code: number) {
				sent.status = code;
				return this;
			},
			json(value: IDataObject) {
				sent.body = value;
				sent.at = Date.now();
				return this;
			},
		}),
		getHeaderData: () =>
			Object.fromEntries(
				Object.entries(request.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
			),
		getQueryData: () => request.query ?? {},
		getBodyData: () => parsed,
		getWorkflowStaticData: () => request.staticData ?? {},
		getWorkflow: () => ({ id: request.workflowId ?? 'workflow-1' }),
		getExecutionId: () => request.executionId ?? 'execution-1',
		evaluateExpression: (expression: string) => {
			if (request.evaluateExpression) return request.evaluateExpression(expression);
			throw new Error(`unexpected expression ${expression}`);
		},
		...(request.noCredentials
			? {
					async getCredentials() {
						throw new Error('Node does not have credentials');
					},
				}
			: {}),
	} as unknown as IWebhookFunctions;
	return { ctx, sent };
}
