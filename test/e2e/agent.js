'use strict';
// The action nodes as tools of n8n's AI Agent, in a real n8n, with a local OpenAI-compatible
// model (test/e2e/model.js): what the model is told about the tool, the tool result it receives
// (short, with a usable link), a failed generation reaching it as a message, and a video that is
// not ready in time finished by the "Wait for Task" tool.

const assert = require('assert');

const e2e = require('./n8n');
const { startFakeModel } = require('../emulator/model');
const { readPngPrompt } = require('../emulator/server');

const MODEL_KEY = 'sk-test-fake-model-e2e-0000';

function agentWorkflow(example, id, message, patch = () => {}) {
	const workflow = e2e.loadExample(example);
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	workflow.nodes.find((node) => node.name === 'Request').parameters.jsonOutput = JSON.stringify({
		message,
	});
	patch(workflow);
	return workflow;
}

/** Runs an agent workflow; returns the agent's answer and what the model received. */
async function runAgent(userFolder, model, workflow) {
	model.reset();
	await e2e.importWorkflow(userFolder, workflow);
	const { execution, log } = await e2e.executeWorkflow(userFolder, workflow.id);
	const error = execution?.data?.resultData?.error;
	assert.ok(!error, `the agent run ended with an error: ${error?.message}`);
	const [item] = e2e.nodeRun(execution, 'AI Agent').items;
	return {
		answer: String(item?.json?.output ?? ''),
		schema: model.requests[0]?.tools ?? [],
		results: model.toolResults(),
		log,
	};
}

async function agentSuite(userFolder, emulator, check, assertNoKey) {
	const model = await startFakeModel();
	const [openAi] = e2e.emulatorCredentials(emulator, model);
	openAi.data.apiKey = MODEL_KEY;
	await e2e.importCredentials(userFolder, [openAi]);
	const measured = {};
	try {
		await check(
			'AI Agent: the Gen-API tool is described to the model, and its short answer holds a link to the picture',
			async () => {
				const message = 'A lighthouse on a cliff at dawn, watercolor';
				const run = await runAgent(
					userFolder,
					model,
					agentWorkflow('agent-genapi-image.json', 'AgentGenApiE2E01', message),
				);
				const [tool] = run.schema;
				assert.ok(tool, 'the model was offered no tool');
				assert.match(tool.function.description, /temporary link/);
				assert.match(tool.function.description, /"Wait for Task"/);
				assert.deepStrictEqual(Object.keys(tool.function.parameters.properties).sort(), [
					'height',
					'prompt',
					'width',
				]);
				assert.strictEqual(run.results.length, 1, `tool results: ${run.results.join(' | ')}`);
				const [result] = run.results;
				const [answer] = JSON.parse(result);
				assert.strictEqual(answer.status, 'succeeded', result);
				assert.strictEqual(answer.mimeType, 'image/png');
				assert.ok(!('raw' in answer) && !('outputs' in answer), result);
				assert.ok(result.length < 300, `${result.length} characters: ${result}`);
				// The emulator received the model's prompt; the link gives that picture.
				assert.strictEqual(emulator.stats.tasks[`genApi:${answer.taskId}`]?.prompt, message);
				assert.ok(answer.url.startsWith(emulator.url), answer.url);
				const picture = Buffer.from(await (await fetch(answer.url)).arrayBuffer());
				assert.strictEqual(readPngPrompt(picture), message);
				assert.ok(run.answer.includes(answer.url), run.answer);
				assertNoKey(run.log);
				assert.ok(!run.log.includes(MODEL_KEY));
				measured.schema = tool;
				measured.result = result;
				e2e.log(
					`     tool "${tool.function.name}": description ${tool.function.description.length} characters, result ${result.length} characters`,
				);
				e2e.log(`     the tool as the model sees it: ${JSON.stringify(tool)}`);
				e2e.log(`     the tool result it received: ${result}`);
			},
		);

		await check(
			'AI Agent: a failed generation reaches the model as a message and the agent finishes',
			async () => {
				const run = await runAgent(
					userFolder,
					model,
					agentWorkflow('agent-genapi-image.json', 'AgentGenApiE2E02', 'A red fox [fail]'),
				);
				assert.strictEqual(run.results.length, 1);
				const [answer] = JSON.parse(run.results[0]);
				assert.strictEqual(answer.status, 'failed', run.results[0]);
				assert.match(answer.error, /^Gen-API: .+/);
				assert.ok(run.answer.includes(answer.error), run.answer);
				measured.failure = run.results[0];
				e2e.log(`     failure result ${run.results[0].length} characters: ${run.results[0]}`);
			},
		);

		await check(
			'AI Agent: a MiniMax video not ready in time comes back with its task ID, and the wait tool finishes it',
			async () => {
				const run = await runAgent(
					userFolder,
					model,
					agentWorkflow(
						'agent-minimax-video.json',
						'AgentMiniMaxE2E1',
						'Waves at sunset [ms:6000]',
						(workflow) => {
							workflow.nodes.find((node) => node.name === 'Generate a video').parameters.options = {
								maxWait: 1,
								pollInterval: 1,
							};
							workflow.nodes.find((node) => node.name === 'Wait for a video').parameters.options = {
								pollInterval: 1,
							};
						},
					),
				);
				assert.strictEqual(run.schema.length, 2);
				assert.strictEqual(run.results.length, 2, run.results.join(' | '));
				const [first] = JSON.parse(run.results[0]);
				const [second] = JSON.parse(run.results[1]);
				assert.strictEqual(first.status, 'timeout', run.results[0]);
				assert.match(first.note, /"Wait for Task"/);
				assert.strictEqual(second.status, 'succeeded', run.results[1]);
				assert.strictEqual(second.taskId, first.taskId);
				assert.strictEqual(second.mimeType, 'video/mp4');
				assert.ok(run.answer.includes(second.url), run.answer);
				e2e.log(
					`     timeout ${run.results[0].length} characters, then ${run.results[1].length}: ${run.results[1]}`,
				);
			},
		);
	} finally {
		await model.stop();
	}
	return measured;
}

module.exports = { agentSuite, startFakeModel };
