import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The operations every provider node offers (router.ts runs them). */
export type TaskOperation = 'generate' | 'createTask' | 'getTask' | 'waitForTask';

/** How a node says what its task operations make, in n8n's action wording. */
export interface TaskWords {
	/** "Generate an image", "Generate a video", "Generate media". */
	generate: string;
	/** "Create an image task", "Create a video task". */
	createTask: string;
	/** What is generated, for the descriptions: "an image", "a video", "media". */
	media: string;
}

/** The four operations every provider node offers. */
export function taskOperationOptions(words: TaskWords): INodePropertyOptions[] {
	return [
		{
			name: 'Create Task',
			value: 'createTask',
			description: `Start generating ${words.media} and return the task ID at once, without waiting`,
			action: words.createTask,
		},
		{
			name: 'Generate',
			value: 'generate',
			description: `Generate ${words.media}, wait until it is ready and return the files`,
			action: words.generate,
		},
		{
			name: 'Get Task',
			value: 'getTask',
			description: 'Read the status of a task once (and its files when it has finished)',
			action: 'Get a task',
		},
		{
			name: 'Wait for Task',
			value: 'waitForTask',
			description: 'Wait until tasks started earlier have finished and return their files',
			action: 'Wait for a task',
		},
	];
}

/**
 * A subtitle that shows the action the user picked ("Generate an image") instead of internal
 * values ("generate: image"). Built from the Operation fields of the node's properties.
 */
export function actionSubtitle(properties: INodeProperties[]): string {
	const actions: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				if (option.action) actions[`${resource}.${String(option.value)}`] = option.action;
			}
		}
	}
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + "." + $parameter["operation"]] }}`;
}
