import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readImageInputParameter, readImageInputs } from '../shared/images';
import type { CreateRequest } from '../shared/types';
import {
	checkBoolean,
	checkChoice,
	checkText,
	exactNumber,
	readCallbackUrl,
	readModel,
	shown,
} from '../shared/validation';
import { DURATIONS, FRAME_TYPES, MAX_FRAME_BYTES, MAX_PROMPT_LENGTH, RESOLUTIONS } from './adapter';
import { MINIMAX_MODELS } from './models';

async function readFrame(
	ctx: IExecuteFunctions,
	itemIndex: number,
	which: 'firstFrame' | 'lastFrame',
): Promise<string | undefined> {
	const entries = readImageInputParameter(ctx, itemIndex, `frames.${which}`);
	if (!entries.length) return undefined;
	const label = which === 'firstFrame' ? 'First frame' : 'Last frame';
	const [image] = await readImageInputs(ctx, itemIndex, entries, {
		label,
		max: 1,
		mimeTypes: FRAME_TYPES,
		maxBytes: MAX_FRAME_BYTES,
	});
	return image;
}

/** The create request of an item: text to video, or first (and last) frame to video. */
export const createMiniMaxRequest: CreateRequest = async (ctx, itemIndex) => {
	const node = ctx.getNode();
	const model = readModel(ctx, itemIndex, MINIMAX_MODELS);
	const prompt =
		checkText(node, itemIndex, 'Prompt', ctx.getNodeParameter('prompt', itemIndex, '')) ?? '';
	if (prompt.length > MAX_PROMPT_LENGTH) {
		throw new NodeOperationError(
			node,
			`The prompt has ${prompt.length} characters; MiniMax takes at most ${MAX_PROMPT_LENGTH}`,
			{ itemIndex, description: 'Shorten the prompt. Nothing was sent to the provider.' },
		);
	}
	const firstFrame = await readFrame(ctx, itemIndex, 'firstFrame');
	const lastFrame = await readFrame(ctx, itemIndex, 'lastFrame');
	if (!prompt && !firstFrame) {
		throw new NodeOperationError(
			node,
			'"Prompt" is empty: enter a prompt, or give a first frame to animate',
			{ itemIndex },
		);
	}
	const body: IDataObject = { model };
	if (prompt) body.prompt = prompt;
	if (firstFrame) body.first_frame_image = firstFrame;
	if (lastFrame) body.last_frame_image = lastFrame;
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const duration = exactNumber(fields.duration);
	if (duration !== undefined) {
		if (!DURATIONS.includes(duration)) {
			throw new NodeOperationError(
				node,
				`Duration must be ${DURATIONS.join(' or ')} seconds (got ${shown(fields.duration)})`,
				{ itemIndex },
			);
		}
		body.duration = duration;
	}
	const resolution = checkChoice(node, itemIndex, 'Resolution', fields.resolution, RESOLUTIONS);
	if (resolution) body.resolution = resolution;
	const optimizer = checkBoolean(node, itemIndex, 'Prompt Optimizer', fields.promptOptimizer);
	if (optimizer !== undefined) body.prompt_optimizer = optimizer;
	const callbackUrl = readCallbackUrl(ctx, itemIndex);
	if (callbackUrl) body.callback_url = callbackUrl;
	return { method: 'POST', path: '/v1/video_generation', body };
};
