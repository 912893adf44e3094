'use strict';
// End to end in a real n8n: the packed package loaded by n8n, the example workflows run headless
// against the provider emulator on 127.0.0.1. Prints "N passed, N failed" and exits non-zero on failure.

const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const e2e = require('./n8n');
const faultSuite = require('./faults');
const { parkedSuite } = require('./parked');
const { agentSuite } = require('./agent');
const checkReceiverRules = require('./receiver');
const attackSuite = require('./attacks');
const { createEmulator, pictureSize, readPngPrompt } = require('../emulator/server');

const KEYS = {
	genApi: 'test-genapi-key-e2e-0123456789',
	gptunnel: 'test-gptunnel-key-e2e-abcdef',
	defApi: 'dk-test-defapi-key-e2e-13579',
	miniMax: 'sk-api-test-minimax-e2e-2468',
	nalitek: 'test-nalitek-key-e2e-97531',
	nalitekAdmin: 'test-nalitek-admin-e2e-86420',
};
const VIDEO_BYTES = 100 * 1024 * 1024;

// E2E_ONLY=<part of a name> runs only the matching checks (for work on one of them).
const { check, fail } = e2e.checkRunner(process.env.E2E_ONLY);

/** An example workflow with other prompts and node options. */
function variant(example, nodeName, id, prompts, parameters = {}, nodeSettings = {}) {
	const workflow = e2e.loadExample(example);
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	const set = workflow.nodes.find((node) => node.name === 'Prompts');
	set.parameters.jsonOutput = JSON.stringify({ prompt: prompts });
	const node = workflow.nodes.find((n) => n.name === nodeName);
	Object.assign(node.parameters, parameters);
	Object.assign(node, nodeSettings);
	return workflow;
}
const genApiVariant = (...args) => variant('genapi-generate-images.json', 'Gen-API', ...args);

/** Runs a workflow that is meant to stop with an error; returns what n8n printed. */
async function executeExpectingError(userFolder, workflowId) {
	try {
		const { output } = await e2e.executeWorkflow(userFolder, workflowId);
		return output;
	} catch (error) {
		return `${error.stdout ?? ''}\n${error.message}`;
	}
}

function assertNoKey(text) {
	for (const key of Object.values(KEYS))
		assert.ok(!String(text).includes(key), 'an API key appears in n8n output');
}

function examplePrompts(example) {
	const set = e2e.loadExample(example).nodes.find((node) => node.name === 'Prompts');
	return JSON.parse(set.parameters.jsonOutput).prompt;
}

/** Runs an example as it is and checks: one file per prompt, paired, in order, of the given type. */
async function checkFivePrompts(userFolder, emulator, example, nodeName, provider, mimeType) {
	const prompts = examplePrompts(example);
	const workflow = e2e.loadExample(example);
	await e2e.importWorkflow(userFolder, workflow);
	const { execution, output } = await e2e.executeWorkflow(userFolder, workflow.id);
	assertNoKey(output);
	const { items } = e2e.nodeRun(execution, nodeName);
	assert.strictEqual(items.length, prompts.length);
	items.forEach((item, index) => {
		assert.deepStrictEqual(item.pairedItem, { item: index });
		assert.strictEqual(item.json.status, 'succeeded');
		assert.strictEqual(item.json.provider, provider);
		const binary = item.binary?.data;
		assert.ok(binary, `item ${index} has no binary "data"`);
		assert.strictEqual(binary.mimeType, mimeType);
		// The emulator knows which prompt made each task: item i must hold the file of prompt i.
		assert.strictEqual(
			emulator.stats.tasks[`${provider}:${item.json.taskId}`].prompt,
			prompts[index],
		);
		if (mimeType === 'image/png')
			assert.strictEqual(readPngPrompt(e2e.readBinary(userFolder, binary)), prompts[index]);
	});
}

const CALLBACK_TOKEN = 'e2e-callback-token-5f1d';
const CALLBACK_PROVIDERS = [
	{ key: 'defApi', file: 'defapi', token: true, mimeType: 'image/png' },
	{ key: 'genApi', file: 'genapi', token: true, mimeType: 'image/png' },
	{ key: 'miniMax', file: 'minimax', token: true, mimeType: 'video/mp4' },
	{ key: 'nalitek', file: 'nalitek', token: false, mimeType: 'image/png' },
];

async function checkCallbacks(userFolder, emulator) {
	const sink = await e2e.startSink();
	const receivers = CALLBACK_PROVIDERS.map((provider) => {
		const workflow = e2e.loadExample(`callbacks-${provider.file}-receive.json`);
		const trigger = workflow.nodes.find(
			(node) => node.type === 'n8n-nodes-genmedia.aiMediaTrigger',
		);
		if (provider.token) trigger.parameters.token = CALLBACK_TOKEN;
		// The example ends in a placeholder node; here the workflow reports what it received.
		e2e.addReportNode(
			workflow,
			'Keep the File',
			sink.url,
			'={{ JSON.stringify({ provider: $json.provider, taskId: $json.taskId, status: $json.status, event: $json.event || null, mimeType: $binary.data ? $binary.data.mimeType : null }) }}',
		);
		workflow.active = true;
		return { provider, workflow, hook: trigger.webhookId };
	});
	for (const { workflow } of receivers) {
		await e2e.importWorkflow(userFolder, workflow);
		await e2e.activateWorkflow(userFolder, workflow.id);
	}
	const server = await e2e.startN8n(userFolder);
	try {
		const hookUrl = (hook) => `${server.url}/webhook/${hook}/callback`;
		// Webhooks are registered a little after the server answers: wait until ours do.
		for (const { hook } of receivers) await e2e.waitForWebhook(hookUrl(hook));

		// Failed checks: 401, nothing started.
		const refused = async (url, body, headers = {}) => {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(body),
			});
			const text = await response.text();
			assert.ok(
				!text.includes(CALLBACK_TOKEN) && !text.includes(emulator.config.nalitekWebhookSecret),
				'a secret was echoed',
			);
			return response.status;
		};
		const defApiHook = receivers.find((r) => r.provider.key === 'defApi').hook;
		const nalitekHook = receivers.find((r) => r.provider.key === 'nalitek').hook;
		assert.strictEqual(
			await refused(hookUrl(defApiHook), { task_id: 'ta-x', status: 'success', result: [] }),
			401,
		);
		assert.strictEqual(
			await refused(`${hookUrl(defApiHook)}?token=wrong`, {
				task_id: 'ta-x',
				status: 'success',
				result: [],
			}),
			401,
		);
		const forged = {
			event: 'generation.complete',
			data: { image_id: 1, url: '/x.png' },
			signature: 'sha256=' + '0'.repeat(64),
		};
		assert.strictEqual(await refused(hookUrl(nalitekHook), forged), 401);

		// Create Task in other workflows, with the trigger's URL as callback URL. Nalitek's
		// generation.complete comes without `data.url` (the document's example has one, nothing says
		// it always does): the trigger reads the image through the API.
		emulator.config.nalitekWebhookShape = 'nourl';
		const created = {};
		for (const { provider, hook } of receivers) {
			const workflow = e2e.loadExample(`callbacks-${provider.file}-create.json`);
			const schedule = workflow.nodes.find((node) => node.name === 'Every Hour');
			Object.assign(schedule, {
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				parameters: {},
			});
			const create = workflow.nodes.find((node) => node.name.endsWith('Create Task'));
			create.parameters.callbackUrl = `${hookUrl(hook)}${provider.token ? `?token=${CALLBACK_TOKEN}` : ''}`;
			await e2e.importWorkflow(userFolder, workflow);
			const { execution } = await e2e.executeWorkflow(userFolder, workflow.id);
			const [item] = e2e.nodeRun(execution, create.name).items;
			assert.ok(item?.json?.taskId, `${provider.key}: Create Task gave no task id`);
			created[provider.key] = String(item.json.taskId);
		}
		const deadline = Date.now() + 30_000;
		while (sink.received.length < CALLBACK_PROVIDERS.length && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 250));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		emulator.config.nalitekWebhookShape = undefined;
		for (const { key, mimeType } of CALLBACK_PROVIDERS) {
			const reports = sink.received.filter((report) => report.provider === key);
			assert.strictEqual(
				reports.length,
				1,
				`${key}: ${reports.length} runs of the receiving workflow`,
			);
			assert.strictEqual(reports[0].taskId, created[key]);
			assert.strictEqual(reports[0].status, 'succeeded');
			assert.strictEqual(reports[0].mimeType, mimeType, `${key}: ${JSON.stringify(reports[0])}`);
		}
		assert.strictEqual(
			sink.received.length,
			CALLBACK_PROVIDERS.length,
			JSON.stringify(sink.received),
		);
		assertNoKey(server.log());
		e2e.log(
			`     received: ${sink.received.map((r) => `${r.provider} ${r.status} ${r.mimeType}`).join(', ')}`,
		);
	} finally {
		await server.stop();
		sink.close();
	}
}

/**
 * The route the README gives for n8n without the Community Nodes panel, as a user types it:
 * `npm install <package>` in `~/.n8n/nodes` (here the packed tarball, with the machine's npm and a
 * HOME without any npm settings), then `n8n start`. Since the peer n8n-workflow is optional, npm
 * installs nothing next to the package — before, it pulled n8n-workflow 2.x and isolated-vm, which
 * does not build on Node 20 or 22, and the install failed.
 */
async function checkManualInstall(tarball) {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-home-'));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-manual-'));
	try {
		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		const started = Date.now();
		execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund'], {
			cwd: nodesDir,
			env: { ...process.env, HOME: home, npm_config_cache: path.join(home, '.npm') },
			stdio: 'pipe',
		});
		const installedMs = Date.now() - started;
		const modules = fs
			.readdirSync(path.join(nodesDir, 'node_modules'))
			.filter((name) => !name.startsWith('.'));
		assert.ok(modules.includes('n8n-nodes-genmedia'), `installed: ${modules.join(', ')}`);
		assert.deepStrictEqual(
			modules.filter((name) => ['n8n-workflow', 'isolated-vm', 'zod'].includes(name)),
			[],
			'npm installed a peer or a dependency next to the package',
		);
		const server = await e2e.startN8n(userFolder);
		try {
			const types = await (await server.get('/types/nodes.json')).json();
			const ours = types
				.map((type) => type.name)
				.filter((name) => name.startsWith('n8n-nodes-genmedia.') && !name.endsWith('Tool'));
			assert.deepStrictEqual([...new Set(ours)].sort(), [
				'n8n-nodes-genmedia.aiMediaTrigger',
				'n8n-nodes-genmedia.defApi',
				'n8n-nodes-genmedia.genApi',
				'n8n-nodes-genmedia.gptunnel',
				'n8n-nodes-genmedia.miniMax',
				'n8n-nodes-genmedia.nalitek',
			]);
			e2e.log(
				`     npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()} on Node ${process.version} installed ${modules.length} package(s) in ${installedMs} ms; n8n ${e2e.N8N_VERSION} on ${e2e.NODE_VERSION} loaded ${new Set(ours).size} nodes`,
			);
		} finally {
			await server.stop();
		}
	} finally {
		fs.rmSync(home, { recursive: true, force: true });
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function main() {
	await e2e.ensureN8n();
	const emulator = createEmulator({ keys: KEYS });
	const url = await emulator.start();
	const tarball = e2e.packPackage();
	const userFolder = e2e.createUserFolder(tarball);
	e2e.log(`n8n ${e2e.N8N_VERSION}, user folder ${userFolder}, emulator ${url}`);
	await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator));

	await check(
		"install: the README's self-hosted route — npm install of the tarball in a fresh ~/.n8n/nodes, then n8n start loads all six nodes",
		async () => {
			await checkManualInstall(tarball);
		},
	);

	await check('Gen-API example: 5 prompts give 5 PNG files, paired and in order', () =>
		checkFivePrompts(
			userFolder,
			emulator,
			'genapi-generate-images.json',
			'Gen-API',
			'genApi',
			'image/png',
		),
	);
	await check('GPTunnel example: 5 prompts give 5 WebP files, paired and in order', () =>
		checkFivePrompts(
			userFolder,
			emulator,
			'gptunnel-generate-images.json',
			'GPTunnel',
			'gptunnel',
			'image/webp',
		),
	);
	await check('DefAPI example: 5 prompts give 5 PNG files, paired and in order', () =>
		checkFivePrompts(
			userFolder,
			emulator,
			'defapi-generate-images.json',
			'DefAPI',
			'defApi',
			'image/png',
		),
	);

	await check(
		'Gen-API → Aggregate → DefAPI: two binary reference images and one link are sent as three images, in the order given',
		async () => {
			const workflow = e2e.loadExample('defapi-combine-images.json');
			await e2e.importWorkflow(userFolder, workflow);
			const { execution, output } = await e2e.executeWorkflow(userFolder, workflow.id);
			assertNoKey(output);
			const { items } = e2e.nodeRun(execution, 'Combine with Nano Banana');
			assert.strictEqual(items.length, 1);
			assert.strictEqual(items[0].binary?.data?.mimeType, 'image/png');
			const task = emulator.stats.tasks[`defApi:${items[0].json.taskId}`];
			assert.deepStrictEqual(task.images, [
				'data:image/png',
				'data:image/png',
				'https://cdn.openai.com/API/docs/images/body-lotion.png',
			]);
		},
	);

	await check(
		'GPTunnel code != 0 stops the node with the provider message, and nothing more is sent for it',
		async () => {
			const before = { ...emulator.stats.byRoute };
			const workflow = variant('gptunnel-generate-images.json', 'GPTunnel', 'GptunnelCode0001', [
				'no money [code:4]',
			]);
			await e2e.importWorkflow(userFolder, workflow);
			const output = await executeExpectingError(userFolder, workflow.id);
			assertNoKey(output);
			assert.match(output, /Insufficient balance to create the task/);
			const sent = (route) => (emulator.stats.byRoute[route] ?? 0) - (before[route] ?? 0);
			assert.strictEqual(sent('POST /v1/media/create'), 1);
			assert.strictEqual(sent('POST /v1/media/result'), 0);
		},
	);

	await check('MiniMax text to video: 2 prompts give 2 MP4 files, paired', async () => {
		const workflow = e2e.loadExample('minimax-text-to-video.json');
		await e2e.importWorkflow(userFolder, workflow);
		const { execution, output } = await e2e.executeWorkflow(userFolder, workflow.id);
		assertNoKey(output);
		const { items } = e2e.nodeRun(execution, 'MiniMax');
		assert.deepStrictEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		const prompts = examplePrompts('minimax-text-to-video.json');
		items.forEach((item, index) => {
			assert.strictEqual(item.binary?.data?.mimeType, 'video/mp4');
			assert.strictEqual(item.binary.data.fileName, `miniMax-${item.json.taskId}.mp4`);
			assert.strictEqual(
				emulator.stats.tasks[`miniMax:${item.json.taskId}`].prompt,
				prompts[index],
			);
		});
	});

	await check(
		'Gen-API image → MiniMax image to video: the first frame comes from the previous node',
		async () => {
			const workflow = e2e.loadExample('minimax-image-to-video.json');
			await e2e.importWorkflow(userFolder, workflow);
			const { execution, output } = await e2e.executeWorkflow(userFolder, workflow.id);
			assertNoKey(output);
			const { items } = e2e.nodeRun(execution, 'Animate with MiniMax');
			assert.strictEqual(items.length, 1);
			assert.deepStrictEqual(items[0].pairedItem, { item: 0 });
			assert.strictEqual(items[0].binary?.data?.mimeType, 'video/mp4');
			const task = emulator.stats.tasks[`miniMax:${items[0].json.taskId}`];
			assert.strictEqual(task.body.first_frame_image, 'data:image/png');
			assert.strictEqual(task.body.model, 'MiniMax-Hailuo-2.3-Fast');
		},
	);

	await check('a MiniMax error code surfaces its documented meaning', async () => {
		const workflow = variant('minimax-text-to-video.json', 'MiniMax', 'MiniMaxCode00001', [
			'no money [code:1008]',
		]);
		await e2e.importWorkflow(userFolder, workflow);
		const output = await executeExpectingError(userFolder, workflow.id);
		assertNoKey(output);
		assert.match(output, /Insufficient balance \(1008\)/);
	});

	await check(
		'a video is streamed to disk: 100 MB or 500 MB, the n8n process peaks at the same memory',
		async () => {
			// Peak RSS of the `n8n execute` process against the same run with the download off. A file
			// held in memory would add its size (or 4/3 of it as base64); a streamed one adds what the
			// runtime keeps of already-written chunks until its next garbage collection, whatever the size.
			const peak = async (id, bytes, download) => {
				const run = await e2e.videoRunPeak(userFolder, emulator, id, bytes, download);
				if (download) {
					assert.strictEqual(run.item.binary?.data?.mimeType, 'video/mp4');
					assert.ok(
						String(run.item.binary.data.id ?? '').startsWith('filesystem'),
						'the video is not in filesystem storage',
					);
					assert.strictEqual(run.streamedBytes, bytes, 'the whole video was not read');
				}
				return run.peakMb;
			};
			const without = await peak('MiniMaxNoDown001', VIDEO_BYTES, false);
			const small = (await peak('MiniMaxVid100MB1', VIDEO_BYTES, true)) - without;
			const large = (await peak('MiniMaxVid500MB1', 5 * VIDEO_BYTES, true)) - without;
			e2e.log(
				`     peak RSS without download ${without.toFixed(0)} MB; growth with 100 MB ${small.toFixed(1)} MB, with 500 MB ${large.toFixed(1)} MB`,
			);
			assert.ok(
				small < 100,
				`a 100 MB video raised peak memory by ${small.toFixed(1)} MB: it was held in memory`,
			);
			assert.ok(
				large - small <= 32,
				`400 MB more video raised peak memory by ${(large - small).toFixed(1)} MB more`,
			);
		},
	);

	await check(
		'Nalitek chain: generate → upscale → image to image, each paired back to its input',
		async () => {
			const workflow = e2e.loadExample('nalitek-chain.json');
			await e2e.importWorkflow(userFolder, workflow);
			const { execution, output } = await e2e.executeWorkflow(userFolder, workflow.id);
			assertNoKey(output);
			const prompts = examplePrompts('nalitek-chain.json');
			const steps = ['Generate', 'Upscale 2x', 'Watercolor'].map(
				(name) => e2e.nodeRun(execution, name).items,
			);
			for (const [step, items] of steps.entries()) {
				assert.deepStrictEqual(
					items.map((item) => item.pairedItem),
					[{ item: 0 }, { item: 1 }],
					`step ${step}`,
				);
				assert.ok(
					items.every(
						(item) =>
							item.json.status === 'succeeded' && item.binary?.data?.mimeType === 'image/png',
					),
					`step ${step}`,
				);
			}
			const [generated, upscaled, painted] = steps;
			for (let i = 0; i < 2; i++) {
				assert.strictEqual(
					emulator.stats.tasks[`nalitek:${generated[i].json.taskId}`].prompt,
					prompts[i],
				);
				const upscale = emulator.stats.tasks[`nalitek:${upscaled[i].json.taskId}`];
				assert.strictEqual(upscale.kind, 'upscale');
				assert.strictEqual(upscale.prompt, prompts[i]);
				const img2img = emulator.stats.tasks[`nalitek:${painted[i].json.taskId}`];
				assert.strictEqual(img2img.kind, 'img2img');
				assert.strictEqual(img2img.body.image.type, 'image/png');
			}
		},
	);

	await check(
		"Nalitek: the document's 1920×1080 example is generated; a width of 100 is a clear error before any request",
		async () => {
			const wide = variant(
				'nalitek-chain.json',
				'Generate',
				'NalitekWide00001',
				['futuristic city at night'],
				{ additionalFields: { width: 1920, height: 1080 } },
			);
			wide.connections.Generate = { main: [[]] };
			await e2e.importWorkflow(userFolder, wide);
			const { execution } = await e2e.executeWorkflow(userFolder, wide.id);
			const [item] = e2e.nodeRun(execution, 'Generate').items;
			assert.strictEqual(item.json.status, 'succeeded');
			assert.deepStrictEqual(pictureSize(e2e.readBinary(userFolder, item.binary.data)), {
				width: 1920,
				height: 1080,
			});

			const before = emulator.stats.requests;
			const narrow = variant('nalitek-chain.json', 'Generate', 'NalitekWidth0001', ['too narrow'], {
				additionalFields: { width: 100 },
			});
			await e2e.importWorkflow(userFolder, narrow);
			const output = await executeExpectingError(userFolder, narrow.id);
			assert.match(output, /Width must be a whole number of pixels from 256 to 4096 \(got 100\)/);
			assert.strictEqual(emulator.stats.requests, before);
		},
	);

	await check(
		'the documents read literally: a Gen-API base URL with /api/v1, a create answered 500, a run of 404s; Nalitek 256×256 with lora_id, a failed batch with no jobs',
		async () => {
			// Gen-API as its document writes the base URL, its "500 — repeat later" (the server made
			// nothing) and its "404 may be temporary" for a dozen reads.
			await e2e.importCredentials(userFolder, [
				{
					id: 'GenApiCredApiV01',
					name: 'Gen-API account (base URL with /api/v1)',
					type: 'genApiApi',
					data: { apiKey: emulator.config.keys.genApi, baseUrl: `${emulator.url}/api/v1` },
				},
			]);
			const prompt = 'as the document says [notfound:8] [ms:100]';
			const gen = genApiVariant('DocsGenApiV10001', [prompt], { options: { pollInterval: 1 } });
			gen.nodes.find((node) => node.name === 'Gen-API').credentials = {
				genApiApi: { id: 'GenApiCredApiV01', name: 'Gen-API account (base URL with /api/v1)' },
			};
			const createsBefore = emulator.stats.byRoute['POST /api/v1/networks/z-image'] ?? 0;
			emulator.config.faults = { create: ['refused500'] };
			await e2e.importWorkflow(userFolder, gen);
			const genRun = await e2e.executeWorkflow(userFolder, gen.id);
			emulator.config.faults = null;
			const [made] = e2e.nodeRun(genRun.execution, 'Gen-API').items;
			assert.strictEqual(made.json.status, 'succeeded', JSON.stringify(made.json));
			assert.strictEqual(readPngPrompt(e2e.readBinary(userFolder, made.binary.data)), prompt);
			assert.strictEqual(
				(emulator.stats.byRoute['POST /api/v1/networks/z-image'] ?? 0) - createsBefore,
				2,
			);
			assert.strictEqual(emulator.stats.tasks[`genApi:${made.json.taskId}`].reads, 9);

			// Nalitek: 256×256 as its smart-upscale section generates, one LoRA for a server that
			// reads `lora_id` as its examples send it.
			emulator.config.nalitekLoraField = 'lora_id';
			const small = variant('nalitek-chain.json', 'Generate', 'DocsNalitek25601', ['icon design'], {
				additionalFields: { width: 256, height: 256, loraIds: ['anime-style-v2'] },
			});
			small.connections.Generate = { main: [[]] };
			await e2e.importWorkflow(userFolder, small);
			const smallRun = await e2e.executeWorkflow(userFolder, small.id);
			emulator.config.nalitekLoraField = undefined;
			const [icon] = e2e.nodeRun(smallRun.execution, 'Generate').items;
			assert.strictEqual(icon.json.status, 'succeeded');
			assert.deepStrictEqual(pictureSize(e2e.readBinary(userFolder, icon.binary.data)), {
				width: 256,
				height: 256,
			});
			assert.deepStrictEqual(emulator.stats.tasks[`nalitek:${icon.json.taskId}`].loras, [
				'anime-style-v2',
			]);

			// A batch that fails with no jobs listed: every input item gets its failed item.
			const failing = variant(
				'nalitek-batch-25.json',
				'Nalitek Batch',
				'DocsNalitekBatch',
				['first [batchfail] [ms:500]', 'second [ms:500]', 'third [ms:500]'],
				{ options: { pollInterval: 1 } },
				{ onError: 'continueRegularOutput' },
			);
			await e2e.importWorkflow(userFolder, failing);
			const failedRun = await e2e.executeWorkflow(userFolder, failing.id);
			const { items } = e2e.nodeRun(failedRun.execution, 'Nalitek Batch');
			assert.deepStrictEqual(
				items.map((item) => [item.pairedItem, item.json.status, item.json.error]),
				[0, 1, 2].map((item) => [{ item }, 'failed', 'Nalitek: Worker pool crashed']),
			);
			e2e.log(
				`     Gen-API: 2 creates (1 refused with 500), 9 reads (8 × 404); Nalitek 256×256 with lora_id; 3/3 failed-batch items`,
			);
		},
	);

	await check(
		'Nalitek: 15 items through image/generate paced to the 10/min limit (two windows): no failed item, at most 3 creates refused',
		async () => {
			// A fresh minute: the checks before used the same key.
			emulator.resetNalitekWindows();
			const before429 = emulator.stats.nalitek429 ?? 0;
			const prompts = Array.from({ length: 15 }, (_, n) => `paced ${n + 1} [ms:500]`);
			const workflow = variant('nalitek-chain.json', 'Generate', 'NalitekPaced0025', prompts, {
				options: { pollInterval: 1 },
			});
			workflow.connections.Generate = { main: [[]] };
			await e2e.importWorkflow(userFolder, workflow);
			const started = Date.now();
			const { execution } = await e2e.executeWorkflow(userFolder, workflow.id);
			const { items, executionTime } = e2e.nodeRun(execution, 'Generate');
			assert.strictEqual(items.length, 15);
			assert.ok(
				items.every((item) => item.json.status === 'succeeded' && item.binary?.data),
				'an item did not succeed',
			);
			items.forEach((item, index) =>
				assert.strictEqual(
					emulator.stats.tasks[`nalitek:${item.json.taskId}`].prompt,
					prompts[index],
				),
			);
			e2e.log(
				`     15 generations: node ${(executionTime / 1000).toFixed(1)} s, run ${((Date.now() - started) / 1000).toFixed(1)} s, 429 answers seen ${(emulator.stats.nalitek429 ?? 0) - before429}`,
			);
			const refused = (emulator.stats.nalitek429 ?? 0) - before429;
			assert.ok(
				refused <= 3,
				`${refused} creates refused with 429: the node did not pace to the limit`,
			);
		},
	);

	await check(
		'Nalitek batch example: 25 prompts in 3 batches give 25 files, paired and in order',
		async () => {
			const before429 = emulator.stats.nalitek429 ?? 0;
			const batchesBefore = emulator.stats.batches ?? 0;
			const workflow = e2e.loadExample('nalitek-batch-25.json');
			await e2e.importWorkflow(userFolder, workflow);
			const started = Date.now();
			const { execution, output } = await e2e.executeWorkflow(userFolder, workflow.id);
			assertNoKey(output);
			const prompts = examplePrompts('nalitek-batch-25.json');
			const { items, executionTime } = e2e.nodeRun(execution, 'Nalitek Batch');
			assert.strictEqual(items.length, 25);
			items.forEach((item, index) => {
				assert.deepStrictEqual(item.pairedItem, { item: index });
				assert.strictEqual(item.json.status, 'succeeded');
				assert.strictEqual(
					readPngPrompt(e2e.readBinary(userFolder, item.binary.data)),
					prompts[index],
				);
			});
			assert.strictEqual((emulator.stats.batches ?? 0) - batchesBefore, 3);
			e2e.log(
				`     25-prompt batch: node ${(executionTime / 1000).toFixed(1)} s, run ${((Date.now() - started) / 1000).toFixed(1)} s, 429 answers seen ${(emulator.stats.nalitek429 ?? 0) - before429}`,
			);
		},
	);

	await check('a burst of 20 items against a 429 limit: every item succeeds', async () => {
		emulator.config.rateLimit = { limit: 6, windowMs: 1000, retryAfterSec: 1 };
		emulator.config.taskMs = 1500;
		const before = emulator.stats.throttled;
		const prompts = Array.from({ length: 20 }, (_, n) => `burst ${n + 1}`);
		await e2e.importWorkflow(
			userFolder,
			genApiVariant('GenApiBurst00001', prompts, { options: { pollInterval: 1 } }),
		);
		const { execution, output } = await e2e.executeWorkflow(userFolder, 'GenApiBurst00001');
		emulator.config.rateLimit = null;
		assertNoKey(output);
		const { items } = e2e.nodeRun(execution, 'Gen-API');
		assert.strictEqual(items.length, 20);
		assert.ok(items.every((item) => item.json.status === 'succeeded' && item.binary?.data));
		assert.ok(
			emulator.stats.throttled > before,
			'the emulator never answered 429: the limit was not exercised',
		);
		e2e.log(`     429 answers during the burst: ${emulator.stats.throttled - before}`);
	});

	await check('a failed generation stops the workflow with the provider message', async () => {
		await e2e.importWorkflow(
			userFolder,
			genApiVariant('GenApiFailure001', ['fine [ms:300]', 'bad [fail] [ms:300]'], {
				options: { pollInterval: 1 },
			}),
		);
		const output = await executeExpectingError(userFolder, 'GenApiFailure001');
		assertNoKey(output);
		assert.match(output, /NSFW content detected in the prompt/);
	});

	await check('with "continue on fail" the failed item becomes an error item, paired', async () => {
		await e2e.importWorkflow(
			userFolder,
			genApiVariant(
				'GenApiContinue01',
				['fine [ms:300]', 'bad [fail] [ms:300]', 'also fine [ms:300]'],
				{ options: { pollInterval: 1 } },
				{ onError: 'continueRegularOutput' },
			),
		);
		const { execution, output } = await e2e.executeWorkflow(userFolder, 'GenApiContinue01');
		assertNoKey(output);
		const { items } = e2e.nodeRun(execution, 'Gen-API');
		assert.deepStrictEqual(
			items.map((item) => item.pairedItem.item),
			[0, 1, 2],
		);
		assert.deepStrictEqual(
			items.map((item) => item.json.status),
			['succeeded', 'failed', 'succeeded'],
		);
		assert.match(items[1].json.error, /NSFW content detected/);
		assert.ok(items[0].binary?.data && items[2].binary?.data && !items[1].binary);
	});

	await check(
		'credential tests in n8n: the right key passes, a wrong key fails, nothing paid',
		async () => {
			const server = await e2e.startN8n(userFolder);
			try {
				const creates = () =>
					Object.entries(emulator.stats.byRoute)
						.filter(([route]) => /gen$|create$|networks/.test(route))
						.reduce((n, [, c]) => n + c, 0);
				const before = creates();
				for (const credential of e2e.emulatorCredentials(emulator)) {
					const test = async (apiKey) => {
						const { status, body } = await server.rest('POST', '/credentials/test', {
							credentials: { ...credential, data: { ...credential.data, apiKey } },
						});
						assert.strictEqual(status, 200, JSON.stringify(body));
						return body.data;
					};
					const good = await test(credential.data.apiKey);
					assert.strictEqual(
						good.status,
						'OK',
						`${credential.type} with the right key: ${JSON.stringify(good)}`,
					);
					const bad = await test('wrong-key-for-the-test');
					assert.strictEqual(
						bad.status,
						'Error',
						`${credential.type} with a wrong key: ${JSON.stringify(bad)}`,
					);
					e2e.log(
						`     ${credential.type}: right key ${good.status}, wrong key ${bad.status} (${bad.message})`,
					);
				}
				assert.strictEqual(creates(), before, 'a credential test started a generation');
				assertNoKey(server.log());
			} finally {
				await server.stop();
			}
		},
	);

	await check(
		'callbacks: DefAPI, Gen-API, MiniMax (challenge) and Nalitek (signed) each start their receiving workflow once, with the file',
		async () => {
			await checkCallbacks(userFolder, emulator);
		},
	);

	await check(
		'callbacks: a Python-signed Nalitek webhook (Cyrillic) starts once and a changed one gets 401; MiniMax Processing, Processing, Success start once; a 2 MB inline DefAPI result arrives as a file',
		async () => {
			await checkReceiverRules({ e2e, emulator, userFolder, assertNoKey });
		},
	);

	await attackSuite({ e2e, emulator, userFolder, check, assertNoKey });

	await parkedSuite(userFolder, emulator, check, assertNoKey);

	await agentSuite(userFolder, emulator, check, assertNoKey);

	await faultSuite({ e2e, emulator, userFolder, check, assertNoKey, variant });

	await emulator.stop();
	e2e.removeTemporary();
	e2e.log(`n8n ${e2e.N8N_VERSION}`);
}

main().catch((error) => fail('e2e setup (n8n, emulator, package)', error));
