import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MAX_FILE_MB } from './descriptions';
import { REQUEST_TIMEOUT_MS } from './http';
import { isToolRun } from './tool';
import type { PollTiming, TaskProtocol } from './types';
import { exactNumber } from './validation';

/** What an item's Options ask of its task: how to wait for it and what to do with its files. */
export interface ItemSettings {
	timing: PollTiming;
	download: boolean;
	binaryPropertyName: string;
	failOnTimeout: boolean;
	/** How long one request to the provider may take. */
	requestTimeoutMs: number;
	/** A larger result file is not stored ("Max File Size"). */
	maxBytes: number;
}

export function readSettings(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
	itemIndex: number,
): ItemSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = settingsFrom(options, tasks, (message) => {
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
	});
	// A model never receives binary data: as a tool, files are downloaded only when asked for.
	if (isToolRun(ctx) && options.download === undefined) settings.download = false;
	return settings;
}

/** The settings in an operation's Options; `refuse` throws for a value that cannot be used. */
export function settingsFrom(
	options: IDataObject,
	tasks: TaskProtocol,
	refuse: (message: string) => never,
): ItemSettings {
	const atLeastOne = (name: string, unit: string, fallback: number) => {
		const value = options[name];
		if (value === undefined || value === '' || value === null) return fallback;
		const number = exactNumber(value);
		if (number === undefined || !Number.isFinite(number) || number < 1)
			refuse(`"${name}" must be a number of ${unit}, at least 1 (got ${String(value)})`);
		return number;
	};
	const seconds = (name: string, fallbackMs: number) =>
		atLeastOne(name, 'seconds', fallbackMs / 1000) * 1000;
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (!binaryPropertyName) refuse('"Put Output File in Field" must not be empty');
	const intervalMs = seconds('pollInterval', tasks.timing.intervalMs);
	return {
		timing: {
			// The first read never comes later than the interval the user asked for.
			firstCheckMs: Math.min(tasks.timing.firstCheckMs, intervalMs),
			intervalMs,
			maxWaitMs: seconds('maxWait', tasks.timing.maxWaitMs),
		},
		download: options.download !== false,
		binaryPropertyName,
		failOnTimeout: options.failOnTimeout === true,
		requestTimeoutMs: seconds('requestTimeout', REQUEST_TIMEOUT_MS),
		maxBytes: atLeastOne('maxFileSizeMb', 'megabytes', DEFAULT_MAX_FILE_MB) * 1024 * 1024,
	};
}

/** Settings of an operation without options, and of items whose options could not be read. */
export function fixedSettings(tasks: TaskProtocol): ItemSettings {
	return {
		timing: tasks.timing,
		download: false,
		binaryPropertyName: 'data',
		failOnTimeout: false,
		requestTimeoutMs: REQUEST_TIMEOUT_MS,
		maxBytes: DEFAULT_MAX_FILE_MB * 1024 * 1024,
	};
}
