'use strict';
// End to end in a real n8n: the packed package loaded by n8n, the example workflows run headless
// against the provider emulator on 127.0.0.1. Prints "N passed, N failed" and exits non-zero on failure.

const assert = require('assert');

const e2e = require('./n8n');
const { createEmulator, readPngPrompt } = require('../emulator/server');

const API_KEY = 'test-genapi-key-e2e-0123456789';
const CREDENTIAL = { id: 'GenApiCred000001', name: 'Gen-API account', type: 'genApiApi' };

const results = [];
async function check(name, fn) {
	const started = Date.now();
	try {
		await fn();
		results.push({ name, ok: true });
		e2e.log(`ok   ${name} (${Date.now() - started} ms)`);
	} catch (error) {
		results.push({ name, ok: false });
		e2e.log(`FAIL ${name}: ${error.stack ?? error}`);
	}
}

/** The example workflow with other prompts and node options. */
function variant(id, prompts, genApiParameters = {}, nodeSettings = {}) {
	const workflow = e2e.loadExample('genapi-generate-images.json');
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	const set = workflow.nodes.find((node) => node.name === 'Prompts');
	set.parameters.jsonOutput = JSON.stringify({ prompt: prompts });
	const node = workflow.nodes.find((n) => n.name === 'Gen-API');
	Object.assign(node.parameters, genApiParameters);
	Object.assign(node, nodeSettings);
	return workflow;
}

function assertNoKey(text) {
	assert.ok(!String(text).includes(API_KEY), 'the API key appears in n8n output');
}

function examplePrompts() {
	const example = e2e.loadExample('genapi-generate-images.json');
	const set = example.nodes.find((node) => node.name === 'Prompts');
	return JSON.parse(set.parameters.jsonOutput).prompt;
}

async function main() {
	e2e.ensureN8n();
	const emulator = createEmulator({ keys: { genApi: API_KEY } });
	const url = await emulator.start();
	const tarball = e2e.packPackage();
	const userFolder = e2e.createUserFolder(tarball);
	e2e.log(`n8n ${e2e.N8N_VERSION}, user folder ${userFolder}, emulator ${url}`);
	await e2e.importCredentials(userFolder, [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: url } }]);

	await check('example workflow: 5 prompts give 5 image files, paired and in order', async () => {
		const prompts = examplePrompts();
		await e2e.importWorkflow(userFolder, e2e.loadExample('genapi-generate-images.json'));
		const { execution, output } = await e2e.executeWorkflow(userFolder, 'GenApiImages0001');
		assertNoKey(output);
		const { items } = e2e.nodeRun(execution, 'Gen-API');
		assert.strictEqual(items.length, 5);
		items.forEach((item, index) => {
			assert.deepStrictEqual(item.pairedItem, { item: index });
			assert.strictEqual(item.json.status, 'succeeded');
			assert.strictEqual(item.json.provider, 'genApi');
			const binary = item.binary?.data;
			assert.ok(binary, `item ${index} has no binary "data"`);
			assert.strictEqual(binary.mimeType, 'image/png');
			// Each file carries its prompt (tEXt chunk): proves item i holds the file of prompt i.
			assert.strictEqual(readPngPrompt(Buffer.from(binary.data, 'base64')), prompts[index]);
		});
	});

	await check('a burst of 20 items against a 429 limit: every item succeeds', async () => {
		emulator.config.rateLimit = { limit: 6, windowMs: 1000, retryAfterSec: 1 };
		emulator.config.taskMs = 1500;
		const before = emulator.stats.throttled;
		const prompts = Array.from({ length: 20 }, (_, n) => `burst ${n + 1}`);
		await e2e.importWorkflow(userFolder, variant('GenApiBurst00001', prompts, { options: { pollInterval: 1 } }));
		const { execution, output } = await e2e.executeWorkflow(userFolder, 'GenApiBurst00001');
		emulator.config.rateLimit = null;
		assertNoKey(output);
		const { items } = e2e.nodeRun(execution, 'Gen-API');
		assert.strictEqual(items.length, 20);
		assert.ok(items.every((item) => item.json.status === 'succeeded' && item.binary?.data));
		assert.ok(emulator.stats.throttled > before, 'the emulator never answered 429: the limit was not exercised');
		e2e.log(`     429 answers during the burst: ${emulator.stats.throttled - before}`);
	});

	await check('a failed generation stops the workflow with the provider message', async () => {
		await e2e.importWorkflow(userFolder, variant('GenApiFailure001', ['fine [ms:300]', 'bad [fail] [ms:300]'], { options: { pollInterval: 1 } }));
		let output = '';
		try {
			({ output } = await e2e.executeWorkflow(userFolder, 'GenApiFailure001'));
		} catch (error) {
			output = `${error.stdout ?? ''}\n${error.message}`;
		}
		assertNoKey(output);
		assert.match(output, /NSFW content detected in the prompt/);
	});

	await check('with "continue on fail" the failed item becomes an error item, paired', async () => {
		await e2e.importWorkflow(
			userFolder,
			variant('GenApiContinue01', ['fine [ms:300]', 'bad [fail] [ms:300]', 'also fine [ms:300]'], { options: { pollInterval: 1 } }, { onError: 'continueRegularOutput' }),
		);
		const { execution, output } = await e2e.executeWorkflow(userFolder, 'GenApiContinue01');
		assertNoKey(output);
		const { items } = e2e.nodeRun(execution, 'Gen-API');
		assert.deepStrictEqual(items.map((item) => item.pairedItem.item), [0, 1, 2]);
		assert.deepStrictEqual(items.map((item) => item.json.status), ['succeeded', 'failed', 'succeeded']);
		assert.match(items[1].json.error, /NSFW content detected/);
		assert.ok(items[0].binary?.data && items[2].binary?.data && !items[1].binary);
	});

	await emulator.stop();
	e2e.removeTemporary();
	const failed = results.filter((r) => !r.ok).length;
	e2e.log(`n8n ${e2e.N8N_VERSION}`);
	process.stdout.write(`e2e: ${results.length - failed} passed, ${failed} failed\n`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
