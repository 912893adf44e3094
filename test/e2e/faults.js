'use strict';
// The fault suite, in a real n8n against the emulator with faults switched on, for every provider
// node: transient faults are ridden out, lost answers never cause a second create, bad input is
// refused before any request, the API key shows up nowhere, max wait gives "timeout" items that
// "Wait for Task" finishes later, and stopping an execution ends the wait at once.
// Every n8n run here logs at debug level, and its whole output is searched for the keys.

const assert = require('assert');

const PROVIDERS = [
	{
		key: 'genApi',
		display: 'Gen-API',
		example: 'genapi-generate-images.json',
		node: 'Gen-API',
		type: 'genApi',
		credential: 'genApiApi',
	},
	{
		key: 'gptunnel',
		display: 'GPTunnel',
		example: 'gptunnel-generate-images.json',
		node: 'GPTunnel',
		type: 'gptunnel',
		credential: 'gptunnelApi',
	},
	{
		key: 'defApi',
		display: 'DefAPI',
		example: 'defapi-generate-images.json',
		node: 'DefAPI',
		type: 'defApi',
		credential: 'defApiApi',
	},
	{
		key: 'miniMax',
		display: 'MiniMax',
		example: 'minimax-text-to-video.json',
		node: 'MiniMax',
		type: 'miniMax',
		credential: 'miniMaxApi',
	},
	{
		key: 'nalitek',
		display: 'Nalitek',
		example: 'nalitek-chain.json',
		node: 'Generate',
		type: 'nalitek',
		credential: 'nalitekApi',
	},
];
const DEBUG = { N8N_LOG_LEVEL: 'debug' };
/** A workflow ID of 16 characters, one per check and provider. */
const workflowId = (prefix, provider) => `${prefix}${provider.key}`.padEnd(16, '0').slice(0, 16);
const SLOW_MS = 3000;
const REQUEST_TIMEOUT_S = 2;

module.exports = async function faultSuite({
	e2e,
	emulator,
	userFolder,
	check,
	assertNoKey,
	variant,
}) {
	/** A provider's example with other prompts and options, ending at the provider node. */
	function providerWorkflow(provider, id, prompts, options, nodeSettings = {}) {
		const workflow = variant(
			provider.example,
			provider.node,
			id,
			prompts,
			{ options },
			nodeSettings,
		);
		workflow.connections[provider.node] = { main: [[]] };
		return workflow;
	}
	const tasksOf = (provider, prompt) =>
		Object.values(emulator.stats.tasks).filter(
			(task) => task.provider === provider.key && task.prompt === prompt,
		);

	async function run(workflow, env = {}) {
		await e2e.importWorkflow(userFolder, workflow);
		const result = await e2e.executeWorkflow(userFolder, workflow.id, { ...DEBUG, ...env });
		assertNoKey(result.log);
		return result;
	}

	// Nalitek allows 10 generations a minute; here its window is short so the suite is not paced by it.
	const savedWindow = emulator.config.nalitekWindowMs;
	emulator.config.nalitekWindowMs = 2000;
	emulator.config.slowMs = SLOW_MS;
	try {
		for (const provider of PROVIDERS) {
			await check(
				`faults, ${provider.display}: 429, 500/502/503, cut connections, slow and broken answers and 404 while creating, polling and downloading — every item succeeds, one task each`,
				async () => {
					const prompts = Array.from(
						{ length: 4 },
						(_, n) => `${provider.key} rides out ${n + 1} [ms:1500]`,
					);
					const workflow = providerWorkflow(
						provider,
						workflowId('Fault1', provider),
						prompts,
						{ pollInterval: 1, requestTimeout: REQUEST_TIMEOUT_S },
						{ onError: 'continueRegularOutput' },
					);
					emulator.config.faults = {
						create: ['429', '429'],
						read: ['500', '502', '503', 'reset', 'slow', 'malformed', '404', '429'],
						file: ['503', 'reset', 'truncate'],
					};
					const faultsBefore = { ...emulator.stats.faults };
					const { execution } = await run(workflow);
					const left = emulator.config.faults;
					emulator.config.faults = null;
					const { items } = e2e.nodeRun(execution, provider.node);
					assert.strictEqual(items.length, prompts.length);
					items.forEach((item, index) => {
						assert.deepStrictEqual(item.pairedItem, { item: index });
						assert.strictEqual(
							item.json.status,
							'succeeded',
							`item ${index}: ${JSON.stringify(item.json.error ?? item.json.status)}`,
						);
						assert.ok(item.binary?.data, `item ${index} has no file`);
						assert.strictEqual(
							emulator.stats.tasks[`${provider.key}:${item.json.taskId}`].prompt,
							prompts[index],
						);
					});
					for (const prompt of prompts)
						assert.strictEqual(
							tasksOf(provider, prompt).length,
							1,
							`${prompt}: not exactly one task`,
						);
					assert.deepStrictEqual(left.create, [], 'not every create fault was met');
					assert.deepStrictEqual(left.read, [], 'not every read fault was met');
					const met = Object.entries(emulator.stats.faults)
						.map(([kind, count]) => [kind, count - (faultsBefore[kind] ?? 0)])
						.filter(([, count]) => count > 0);
					e2e.log(`     faults met: ${met.map(([kind, count]) => `${kind}×${count}`).join(', ')}`);
				},
			);

			await check(
				`faults, ${provider.display}: a create whose answer is lost (502, cut, slow, broken JSON) is never sent again; HTTP-200 error bodies — one clear error item each`,
				async () => {
					const prompts = Array.from(
						{ length: 6 },
						(_, n) => `${provider.key} lost answer ${n + 1} [ms:1000]`,
					);
					const workflow = providerWorkflow(
						provider,
						workflowId('Fault2', provider),
						prompts,
						{ pollInterval: 1, requestTimeout: REQUEST_TIMEOUT_S },
						{ onError: 'continueRegularOutput' },
					);
					emulator.config.faults = {
						// A gateway's 502: no document says to repeat it (Gen-API, DefAPI and Nalitek say so of
						// their 500, test/node/readings.node.test.ts).
						create: ['502', 'reset', 'slow', 'malformed'],
						read: ['error200'],
					};
					const { execution } = await run(workflow);
					emulator.config.faults = null;
					// A slow create is answered after the run gave up on it: let the emulator finish it.
					await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
					const { items } = e2e.nodeRun(execution, provider.node);
					assert.strictEqual(items.length, prompts.length);
					let lost = 0;
					items.forEach((item, index) => {
						assert.deepStrictEqual(item.pairedItem, { item: index });
						if (item.json.status === 'succeeded')
							return assert.ok(item.binary?.data, `item ${index} has no file`);
						assert.strictEqual(item.json.status, 'failed');
						assert.match(
							item.json.error,
							new RegExp(`^${provider.display}: \\S`),
							`item ${index}: ${item.json.error}`,
						);
						if (/not paid twice/.test(item.json.hint ?? '')) lost++;
					});
					assert.strictEqual(
						lost,
						4,
						'every lost create answer should be an error item that says it was not sent again',
					);
					for (const prompt of prompts)
						assert.strictEqual(
							tasksOf(provider, prompt).length,
							1,
							`${prompt}: not exactly one task`,
						);
					e2e.log(
						`     ${items.filter((item) => item.json.status === 'succeeded').length} succeeded, errors: ${items
							.filter((item) => item.json.error)
							.map((item) => item.json.error)
							.join(' | ')}`,
					);
				},
			);

			await check(
				`faults, ${provider.display}: max wait gives "timeout" items with their task IDs; Wait for Task finishes them`,
				async () => {
					const prompts = [
						`${provider.key} slow task 1 [ms:5000]`,
						`${provider.key} slow task 2 [ms:5000]`,
					];
					const workflow = providerWorkflow(provider, workflowId('Fault3', provider), prompts, {
						pollInterval: 1,
						maxWait: 2,
					});
					const generate = workflow.nodes.find((node) => node.name === provider.node);
					workflow.nodes.push({
						...generate,
						id: `${generate.id}-wait`,
						name: 'Wait Later',
						position: [generate.position[0] + 220, generate.position[1] + 200],
						parameters: {
							resource: generate.parameters.resource,
							operation: 'waitForTask',
							taskId: '={{ $json.taskId }}',
							options: { pollInterval: 1, maxWait: 60 },
						},
					});
					workflow.connections[provider.node] = {
						main: [[{ node: 'Wait Later', type: 'main', index: 0 }]],
					};
					const { execution } = await run(workflow);
					const first = e2e.nodeRun(execution, provider.node).items;
					const later = e2e.nodeRun(execution, 'Wait Later').items;
					assert.deepStrictEqual(
						first.map((item) => item.json.status),
						['timeout', 'timeout'],
					);
					assert.ok(
						first.every((item) => item.json.taskId && !item.binary),
						'a timeout item has no task ID',
					);
					assert.deepStrictEqual(
						later.map((item) => item.json.status),
						['succeeded', 'succeeded'],
					);
					assert.deepStrictEqual(
						later.map((item) => String(item.json.taskId)),
						first.map((item) => String(item.json.taskId)),
					);
					assert.ok(
						later.every((item) => item.binary?.data),
						'Wait for Task gave no file',
					);
					for (const prompt of prompts) assert.strictEqual(tasksOf(provider, prompt).length, 1);
				},
			);
		}

		await check(
			'faults: a gateway that echoes the key into its errors and answers — no key in any item, execution or log line (every provider node)',
			async () => {
				const seen = [];
				for (const provider of PROVIDERS) {
					const prompts = [`${provider.key} leaked [ms:500]`, `${provider.key} echoed [ms:500]`];
					const workflow = providerWorkflow(
						provider,
						workflowId('Leak', provider),
						prompts,
						{ pollInterval: 1 },
						{ onError: 'continueRegularOutput' },
					);
					// The first create is answered 401 with the key in the message; every read has the
					// key added to the real answer.
					emulator.config.faults = { create: ['leak'], read: Array(40).fill('echo') };
					const { execution, log } = await run(workflow);
					emulator.config.faults = null;
					const text = JSON.stringify(execution);
					assertNoKey(text);
					const { items } = e2e.nodeRun(execution, provider.node);
					// Creates go out together: either item may have met the leaking answer.
					const failed = items.filter((item) => item.json.error);
					assert.strictEqual(failed.length, 1, JSON.stringify(items.map((item) => item.json)));
					assert.match(String(failed[0].json.error), /\[redacted\]/);
					assert.ok(items.some((item) => item.json.status === 'succeeded'));
					assert.ok(
						text.split('[redacted]').length > 2,
						`${provider.key}: the echoed answers were not kept redacted`,
					);
					assert.ok(log.length > 0);
					seen.push(`${provider.display}: "${failed[0].json.error}"`);
				}
				e2e.log(`     ${seen.join('; ')}`);
			},
		);

		await check(
			'faults: bad input is a clear error naming the parameter, with zero requests at the emulator (every provider node)',
			async () => {
				await checkBadInput({ e2e, emulator, userFolder, assertNoKey, run });
			},
		);

		await check(
			'faults: stopping a running execution ends the wait at once (every provider node)',
			async () => {
				await checkStop({ e2e, emulator, userFolder, providerWorkflow, assertNoKey });
			},
		);
	} finally {
		emulator.config.faults = null;
		emulator.config.nalitekWindowMs = savedWindow;
	}
};

/**
 * One workflow per provider node: every item is wrong in one way (its own parameter), the node
 * continues on fail, and each error item must name what is wrong. Files come from the emulator's
 * /files (not a provider request): a small PNG, a text file and a 30 MB PNG.
 */
async function checkBadInput({ e2e, emulator, userFolder, run }) {
	const files = {
		png: `${emulator.url}/files/input-ok.png`,
		text: `${emulator.url}/files/notes.txt`,
		big: `${emulator.url}/files/big-${30 * 1024 * 1024}.png`,
	};
	const cases = {
		genApi: {
			parameters: {
				resource: 'image',
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				additionalFields: {
					width: '={{ $json.width || 768 }}',
					numImages: '={{ $json.numImages || 1 }}',
				},
			},
			items: [
				[{ prompt: '' }, /^"Prompt" is empty$/],
				[
					{ prompt: 'p', width: 5000 },
					/^Width must be a whole number from 64 to 4096 \(got 5000\)$/,
				],
				[
					{ prompt: 'p', numImages: 9 },
					/^Number of Images must be a whole number from 1 to 4 \(got 9\)$/,
				],
			],
		},
		gptunnel: {
			parameters: {
				resource: 'media',
				operation: 'generate',
				model: '={{ $json.model || "google-imagen-3" }}',
				prompt: '={{ $json.prompt }}',
				referenceImages: { images: [{ source: 'binary', inputBinaryField: 'data' }] },
				additionalFields: { ar: '={{ $json.ar || "1:1" }}' },
			},
			items: [
				[{ prompt: '' }, /^"Prompt" is empty$/],
				[{ prompt: 'p', model: 'google-imagen-9' }, /^Model "google-imagen-9" is not in the list$/],
				[{ prompt: 'p', ar: '5:1' }, /^Aspect ratio must be one of /],
				[
					{ prompt: 'p', file: files.text },
					/^Reference images: "data" is text\/plain, not one of image\//,
				],
				[
					{ prompt: 'p', file: files.big },
					/^Reference images: "data" is 30\.0 MB, more than the 20\.0 MB allowed$/,
				],
			],
		},
		defApi: {
			parameters: {
				resource: 'image',
				operation: 'generate',
				model: '={{ $json.model || "google/nano-banana" }}',
				prompt: '={{ $json.prompt }}',
				referenceImages: {
					images: [
						{ source: 'binary', inputBinaryField: '={{ $json.fields || "data" }}' },
						{ source: 'url', imageUrl: '={{ $json.link || "https://example.com/ref.png" }}' },
					],
				},
				additionalFields: {},
			},
			items: [
				[{ prompt: '' }, /^"Prompt" is empty$/],
				[
					{ prompt: 'p', model: 'google/nano-bananas' },
					/^Model "google\/nano-bananas" is not in the list$/,
				],
				[
					{ prompt: 'p', fields: 'data, data, data, data' },
					/^Reference images: at most 4 images are allowed, 5 were given$/,
				],
				[
					{ prompt: 'p', link: 'ftp://example.com/ref.png' },
					/^Reference images: "ftp:\/\/example\.com\/ref\.png" is not an http\(s\) URL$/,
				],
				[
					{ prompt: 'p', file: files.text },
					/^Reference images: "data" is text\/plain, not one of image\//,
				],
				[
					{ prompt: 'p', file: files.big },
					/^Reference images: "data" is 30\.0 MB, more than the 20\.0 MB allowed$/,
				],
			],
		},
		miniMax: {
			parameters: {
				resource: 'video',
				operation: 'generate',
				model: '={{ $json.model || "MiniMax-Hailuo-2.3" }}',
				prompt: '={{ $json.prompt }}',
				frames: {
					firstFrame: {
						source: '={{ $json.frameSource || "binary" }}',
						inputBinaryField: 'data',
						imageUrl: '={{ $json.link || "" }}',
					},
				},
				additionalFields: { duration: '={{ $json.duration || 6 }}' },
			},
			items: [
				[{ prompt: 'p', frameSource: 'url' }, /^First frame: "Image URL" is empty$/],
				[{ prompt: 'p', model: 'Hailuo-3' }, /^Model "Hailuo-3" is not in the list$/],
				[{ prompt: 'p', duration: 7 }, /^Duration must be 6 or 10 seconds \(got 7\)$/],
				[
					{ prompt: 'p', file: files.text },
					/^First frame: "data" is text\/plain, not one of image\//,
				],
				[
					{ prompt: 'p', file: files.big },
					/^First frame: "data" is 30\.0 MB, more than the 20\.0 MB allowed$/,
				],
			],
		},
		nalitek: {
			parameters: {
				resource: 'image',
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				additionalFields: {
					width: '={{ $json.width || 1024 }}',
					steps: '={{ $json.steps || 28 }}',
					model: '={{ $json.model || "flux-dev" }}',
				},
			},
			items: [
				[{ prompt: '' }, /^"Prompt" is empty$/],
				[
					{ prompt: 'p', width: 100 },
					/^Width must be a whole number of pixels from 256 to 4096 \(got 100\)$/,
				],
				[{ prompt: 'p', steps: 500 }, /^Steps must be a whole number from 10 to 100 \(got 500\)$/],
				[{ prompt: 'p', model: 'flux-ultra' }, /^Model must be one of .* \(got "flux-ultra"\)$/],
			],
		},
	};
	const requestsBefore = emulator.stats.requests;
	for (const provider of PROVIDERS) {
		const { parameters, items } = cases[provider.key];
		const example = e2e.loadExample(provider.example);
		const original = example.nodes.find((node) => node.name === provider.node);
		const inputs = items.map(([input]) => ({ file: files.png, ...input }));
		const workflow = {
			id: workflowId('BadInput', provider),
			name: `Bad input: ${provider.display}`,
			active: false,
			settings: { executionOrder: 'v1' },
			pinData: {},
			nodes: [
				{
					id: 'bad-1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'bad-2',
					name: 'Cases',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: { mode: 'raw', jsonOutput: JSON.stringify({ cases: inputs }), options: {} },
				},
				{
					id: 'bad-3',
					name: 'One Item per Case',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [440, 0],
					parameters: { fieldToSplitOut: 'cases', options: {} },
				},
				{
					id: 'bad-4',
					name: 'Fetch File',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [660, 0],
					parameters: {
						url: '={{ $json.file }}',
						options: { response: { response: { responseFormat: 'file' } } },
					},
				},
				{
					...original,
					position: [880, 0],
					parameters: mapFromCases(parameters),
					onError: 'continueRegularOutput',
				},
			],
			connections: {
				Start: { main: [[{ node: 'Cases', type: 'main', index: 0 }]] },
				Cases: { main: [[{ node: 'One Item per Case', type: 'main', index: 0 }]] },
				'One Item per Case': { main: [[{ node: 'Fetch File', type: 'main', index: 0 }]] },
				'Fetch File': { main: [[{ node: provider.node, type: 'main', index: 0 }]] },
			},
		};
		// Files on disk, so the 30 MB input does not fill the printed execution.
		const { execution } = await run(workflow, { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' });
		const output = e2e.nodeRun(execution, provider.node).items;
		assert.strictEqual(
			output.length,
			items.length,
			`${provider.display}: ${output.length} items for ${items.length} cases`,
		);
		output.forEach((item, index) => {
			assert.deepStrictEqual(item.pairedItem, { item: index });
			assert.match(
				String(item.json.error),
				items[index][1],
				`${provider.display} case ${index}: ${item.json.error}`,
			);
		});
		e2e.log(`     ${provider.display}: ${output.map((item) => item.json.error).join(' | ')}`);
	}
	assert.strictEqual(emulator.stats.requests, requestsBefore, 'bad input reached the provider');
}

/** Case values are read from the items of "One Item per Case" (the file fetch replaced the JSON). */
function mapFromCases(parameters) {
	const walk = (value) => {
		if (typeof value === 'string')
			return value.replace(/\$json\./g, "$('One Item per Case').item.json.");
		if (Array.isArray(value)) return value.map(walk);
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
		return value;
	};
	return walk(parameters);
}

/**
 * Every provider node waits on a task of ten minutes in a workflow started by a webhook in a
 * running n8n; the execution is stopped through n8n's REST API. The wait must end at once: the
 * execution is no longer running within 3 s, and the emulator sees no status read after the stop.
 */
async function checkStop({ e2e, emulator, userFolder, providerWorkflow, assertNoKey }) {
	const flows = PROVIDERS.map((provider, index) => {
		const prompt = `${provider.key} endless task [ms:600000]`;
		const workflow = providerWorkflow(provider, workflowId('StopWait', provider), [prompt], {
			pollInterval: 1,
			maxWait: 900,
		});
		const path = `genmedia-stop-${provider.key.toLowerCase()}`;
		const start = workflow.nodes.find((node) => node.name === 'Start');
		Object.assign(start, {
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			webhookId: `5f0c1d2e-3a4b-4c5d-8e9f-00000000000${index}`,
		});
		workflow.active = true;
		return { provider, workflow, path, prompt };
	});
	for (const { workflow } of flows) {
		await e2e.importWorkflow(userFolder, workflow);
		await e2e.activateWorkflow(userFolder, workflow.id);
	}
	const server = await e2e.startN8n(userFolder, DEBUG);
	try {
		for (const { provider, workflow, path, prompt } of flows) {
			await e2e.waitForWebhook(`${server.url}/webhook/${path}`);
			const deadline = Date.now() + 60_000;
			// Wait until the node polls its task, then stop the execution.
			let task;
			while (
				!(task = Object.values(emulator.stats.tasks).find((entry) => entry.prompt === prompt)) ||
				!task.reads
			) {
				if (Date.now() > deadline)
					throw new Error(`${provider.display}: the task was never polled`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			const filter = encodeURIComponent(
				JSON.stringify({ workflowId: workflow.id, status: ['running'] }),
			);
			const { body } = await server.rest('GET', `/executions?filter=${filter}`);
			const running = (body?.data?.results ?? []).find(
				(execution) => execution.workflowId === workflow.id,
			);
			assert.ok(
				running,
				`${provider.display}: no running execution (${JSON.stringify(body).slice(0, 300)})`,
			);
			const stoppedAt = Date.now();
			const stop = await server.rest('POST', `/executions/${running.id}/stop`);
			assert.strictEqual(stop.status, 200, JSON.stringify(stop.body));
			let status = 'running';
			while (status === 'running' || status === 'new') {
				if (Date.now() - stoppedAt > 3000)
					throw new Error(`${provider.display}: still running 3 s after the stop`);
				await new Promise((resolve) => setTimeout(resolve, 100));
				status = (await server.rest('GET', `/executions/${running.id}`)).body?.data?.status;
			}
			const endedAt = Date.now();
			const endedMs = endedAt - stoppedAt;
			// Polls once a second: two more seconds of silence show the loop has ended. A read sent
			// while n8n was still taking in the stop may arrive after it; none may come once the
			// execution shows as ended.
			await new Promise((resolve) => setTimeout(resolve, 2500));
			assert.ok(
				task.last_reads <= Math.max(stoppedAt + 500, endedAt),
				`${provider.display}: the task was still polled ${task.last_reads - stoppedAt} ms after the stop (the execution showed as ${status} ${endedMs} ms after it)`,
			);
			e2e.log(
				`     ${provider.display}: execution ${status} ${endedMs} ms after the stop, last status read ${task.last_reads - stoppedAt} ms from the stop`,
			);
		}
		assertNoKey(server.log());
	} finally {
		await server.stop();
	}
}
