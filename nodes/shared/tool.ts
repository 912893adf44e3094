import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/**
 * n8n runs an action node as an AI Agent's tool under its type name plus "Tool"
 * (`n8n-nodes-genmedia.genApiTool`). The model reads the node's output as JSON text, and n8n
 * drops binary data on the way.
 */
export function isToolRun(ctx: { getNode(): INode }): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** As a tool, a failure is an answer the model can act on: it never stops the agent. */
export function continuesOnFail(ctx: { getNode(): INode; continueOnFail(): boolean }): boolean {
	return ctx.continueOnFail() || isToolRun(ctx);
}

/** Longer strings are cut for a model: a prompt echoed back or a provider message stays readable. */
const MODEL_STRING_LIMIT = 500;

const NOT_FINISHED =
	'The task is still running at the provider. Give this taskId to a "Wait for Task" tool of the same provider to get the result later.';
const CAME_INLINE =
	'The provider returned the file itself instead of a link; it is kept as binary data in the workflow, not shown here.';

export function short(value: unknown): unknown {
	if (typeof value === 'string') {
		if (/^data:[^,]*;base64,/i.test(value)) return '(inline file, not shown)';
		return value.length > MODEL_STRING_LIMIT
			? `${value.slice(0, MODEL_STRING_LIMIT)}… (${value.length} characters)`
			: value;
	}
	if (Array.isArray(value)) return value.map(short);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value as IDataObject).map(([key, inner]) => [key, short(inner)]),
		);
	}
	return value;
}

/**
 * What a model reads from one output item: status, task id, the link and MIME type of the file,
 * the provider's message on failure. The provider's own answer (`raw`) stays out, and so does any
 * inline data. Items of other operations (an account, a list) keep their fields, shortened.
 */
export function forModel(json: IDataObject): IDataObject {
	const rest: IDataObject = { ...json };
	// The provider's own answer, and the provider a model called by name already.
	for (const dropped of ['raw', 'outputs', 'provider']) delete rest[dropped];
	const outputs = json.outputs;
	const answer = short(rest) as IDataObject;
	const files = Array.isArray(outputs) ? (outputs as IDataObject[]) : [];
	const links = files.filter(
		(file) => typeof file.url === 'string' && /^https?:\/\//i.test(file.url),
	);
	if (links.length === 1) {
		answer.url = links[0].url;
		answer.mimeType = links[0].mimeType ?? null;
	} else if (links.length > 1) {
		answer.files = links.map((file) => ({ url: file.url, mimeType: file.mimeType ?? null }));
	}
	if (files.some((file) => file.inline === true)) answer.note = CAME_INLINE;
	if (json.status === 'timeout') answer.note = NOT_FINISHED;
	return answer;
}

/** A node's output as a tool: every item made for a model, without binary data. */
export function toolOutput(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => ({
		json: forModel(item.json),
		...(item.pairedItem !== undefined ? { pairedItem: item.pairedItem } : {}),
	}));
}

const FILE_RESULT =
	'Returns JSON: status "succeeded" with taskId, url (a temporary link to the file; the provider keeps it for a few hours, so pass it on or save it soon) and mimeType. Status "timeout" means it was not ready in time: give its taskId to a "Wait for Task" tool of the same provider. Status "failed" comes with the provider\'s message in "error": change the input and try again.';

function describeForModel(
	provider: string,
	operation: string,
	action: string,
	typicalWait: string,
): string {
	switch (operation) {
		case 'generate':
		case 'imageToImage':
		case 'upscale':
			return `${action} with ${provider} and wait until it is ready (${typicalWait}). ${FILE_RESULT}`;
		case 'createTask':
			return `${action} with ${provider} without waiting. Returns JSON with status and taskId at once; the file comes later from a "Wait for Task" or "Get Task" tool given that taskId.`;
		case 'getTask':
			return `Read once the status of a ${provider} task by its taskId. Returns JSON: status "queued" or "running" (not ready yet: ask again later), "succeeded" with url (a temporary link, kept a few hours) and mimeType, or "failed" with the provider's message in "error".`;
		case 'waitForTask':
			return `Wait until the ${provider} task with the given taskId has finished (${typicalWait}). ${FILE_RESULT}`;
		default:
			return `${action} with ${provider}. Returns the result as JSON; on failure "error" holds the provider's message.`;
	}
}

/**
 * The node's properties with what an AI Agent tells the model about each operation. n8n takes a
 * `toolDescription` parameter when the node has one (and then adds none of its own, whose
 * automatic text is only the action: "Generate an image in Gen-API"). Shown only on the tool
 * (`@tool`), so the node itself is unchanged; the user may still rewrite it.
 */
export function withToolDescriptions(
	properties: INodeProperties[],
	provider: string,
	typicalWait = 'usually under a minute',
): INodeProperties[] {
	const fields: INodeProperties[] = [];
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		const resources = (property.displayOptions?.show?.resource ?? []) as string[];
		for (const option of (property.options ?? []) as INodePropertyOptions[]) {
			const operation = String(option.value);
			fields.push({
				displayName: 'Tool Description',
				name: 'toolDescription',
				type: 'string',
				default: describeForModel(provider, operation, option.action ?? option.name, typicalWait),
				required: true,
				typeOptions: { rows: 4 },
				description:
					'What the AI Agent tells the model about this tool: what it does and what comes back',
				displayOptions: {
					show: { '@tool': [true], resource: resources, operation: [operation] },
				},
			});
		}
	}
	return [...fields, ...properties];
}
