'use strict';
// "Wait Mode: Provider Callback" in a real n8n (`n8n start`): executions park until the emulator
// calls back, then go on with the files. Also: a restart of n8n while parked, the timeout followed
// by "Wait for Task", and forged, stray, late and repeated callbacks.

const assert = require('assert');

const e2e = require('./n8n');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, test, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await test();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

/** Makes the workflow's first node a production webhook (`/webhook/parked-<id>`): a parked run needs the server. */
function startsByWebhook(workflow, nodeName, id) {
	const start = workflow.nodes.find((node) => node.name === nodeName);
	Object.assign(start, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: `parked-${id}`,
		parameters: {
			httpMethod: 'POST',
			path: `parked-${id}`,
			responseMode: 'onReceived',
			options: {},
		},
	});
	return start;
}

const PROVIDERS = {
	genApi: {
		example: 'genapi-generate-images.json',
		node: 'Gen-API',
		displayName: 'Gen-API',
		// Gen-API's document names no callback body: a status read confirms each callback.
		maxReads: 1,
	},
	defApi: {
		example: 'defapi-generate-images.json',
		node: 'DefAPI',
		displayName: 'DefAPI',
		maxReads: 1,
	},
	nalitek: {
		example: 'nalitek-chain.json',
		node: 'Generate',
		displayName: 'Nalitek',
		// Signed callbacks carry the result: no status read at all.
		maxReads: 0,
	},
	// No callbacks to a paused execution: these two pause only to poll in the background.
	gptunnel: { example: 'gptunnel-generate-images.json', node: 'GPTunnel', displayName: 'GPTunnel' },
	miniMax: { example: 'minimax-text-to-video.json', node: 'MiniMax', displayName: 'MiniMax' },
};

/**
 * An example whose provider node waits for callbacks (or polls, with `waitMode` "poll"), started by a production webhook (a parked
 * execution needs the server), reporting each output item to the sink.
 */
function parkedWorkflow(key, id, prompts, sinkUrl, options = {}, waitMode = 'callback') {
	const provider = PROVIDERS[key];
	const workflow = e2e.loadExample(provider.example);
	workflow.id = id;
	workflow.name = `${provider.displayName} parked (${id})`;
	startsByWebhook(workflow, 'Start', id);
	workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput = JSON.stringify({
		prompt: prompts,
	});
	const node = workflow.nodes.find((n) => n.name === provider.node);
	node.parameters.waitMode = waitMode;
	node.parameters.options = { ...node.parameters.options, ...options };
	// Nodes after the provider node in the example (the Nalitek chain) are left out.
	const kept = ['Start', 'Prompts', 'One Item per Prompt', provider.node];
	workflow.nodes = workflow.nodes.filter((n) => kept.includes(n.name));
	for (const from of Object.keys(workflow.connections))
		if (from === provider.node || !kept.includes(from)) delete workflow.connections[from];
	e2e.addReportNode(workflow, provider.node, sinkUrl, reportBody(id));
	workflow.active = true;
	return workflow;
}

const reportBody = (id) =>
	`={{ JSON.stringify({ workflow: ${JSON.stringify(id)}, execution: $execution.id, provider: $json.provider, taskId: $json.taskId, status: $json.status, paired: $itemIndex, mimeType: $binary.data ? $binary.data.mimeType : null, bytes: $binary.data ? $binary.data.fileSize : null, error: $json.error || null }) }}`;

/** The example "callbacks-genapi-wait-for-callback.json" started by a webhook, with a report at each end. */
function timeoutWorkflow(id, prompts, sinkUrl) {
	const workflow = e2e.loadExample('callbacks-genapi-wait-for-callback.json');
	workflow.id = id;
	const start = startsByWebhook(workflow, 'Every Morning', id);
	workflow.connections.Start = workflow.connections['Every Morning'];
	delete workflow.connections['Every Morning'];
	start.name = 'Start';
	workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput = JSON.stringify({
		prompt: prompts,
	});
	const wait = workflow.nodes.find((node) => node.name === 'Gen-API (Wait for Callback)');
	wait.parameters.options = { maxWait: 2 };
	e2e.addReportNode(workflow, 'Finish Late Tasks', sinkUrl, reportBody(id));
	workflow.active = true;
	return workflow;
}

/** How many executions of a workflow are waiting, by n8n's own list (filtered, at most 100 a page). */
async function waitingIn(server, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['waiting'] }));
	const { status, body } = await server.rest('GET', `/executions?limit=100&filter=${filter}`);
	const data = body?.data ?? body;
	if (status !== 200 || !Array.isArray(data?.results))
		throw new Error(`listing executions: ${status} ${JSON.stringify(body).slice(0, 300)}`);
	const waiting = data.results.filter(
		(execution) => execution.workflowId === workflowId && execution.status === 'waiting',
	).length;
	return typeof data.count === 'number' && data.count > waiting ? data.count : waiting;
}

async function post(url, body, headers = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return { status: response.status, text: await response.text() };
}

/**
 * Runs the suite's checks against one `n8n start`; `check` is the e2e runner's (node:test).
 * Returns the numbers the bench reports (requests per task, callback → next node).
 */
async function parkedSuite(userFolder, emulator, check, assertNoKey) {
	const sink = await e2e.startSink();
	const port = await e2e.freePort();
	const workflows = {
		genApi: parkedWorkflow(
			'genApi',
			'ParkedGenApi0001',
			['fox [ms:2500]', 'lighthouse [ms:3000]', 'ramen [ms:3500]'],
			sink.url,
		),
		defApi: parkedWorkflow(
			'defApi',
			'ParkedDefApi0001',
			['cat astronaut [ms:2500]', 'reading nook [ms:3000]', 'lemons [ms:3500]'],
			sink.url,
		),
		nalitek: parkedWorkflow(
			'nalitek',
			'ParkedNalitek001',
			['city at night [ms:2500]', 'forest [ms:3000]', 'ocean [ms:3500]'],
			sink.url,
		),
		restart: parkedWorkflow(
			'genApi',
			'ParkedRestart001',
			['restart one [ms:1500]', 'restart two [ms:1500]', 'restart three [ms:1500]'],
			sink.url,
		),
		forged: parkedWorkflow(
			'genApi',
			'ParkedForged0001',
			['forged one [ms:1500]', 'forged two [ms:1500]'],
			sink.url,
		),
		gptunnel: parkedWorkflow(
			'gptunnel',
			'ParkedGptunnel01',
			['background fox [ms:3000]', 'background boat [ms:3500]'],
			sink.url,
			{},
			'background',
		),
		miniMax: parkedWorkflow(
			'miniMax',
			'ParkedMiniMax001',
			['background waves [ms:3000]', 'background city [ms:3500]'],
			sink.url,
			{},
			'background',
		),
		timeout: timeoutWorkflow(
			'ParkedTimeout001',
			['late one [ms:1500]', 'late two [ms:1500]'],
			sink.url,
		),
	};
	for (const workflow of Object.values(workflows)) {
		await e2e.importWorkflow(userFolder, workflow);
		await e2e.activateWorkflow(userFolder, workflow.id);
	}
	const env = { N8N_PORT: String(port) };
	let server = await e2e.startN8n(userFolder, env);
	const measured = { requests: {}, latencyMs: [] };
	const hook = (id) => `${server.url}/webhook/parked-${id}`;
	const reports = (id) => sink.received.filter((report) => report.workflow === id);
	// Webhooks register a little after n8n answers: a 404 starts nothing and is sent again.
	const start = async (id) => {
		const response = await until(
			`the webhook of ${id}`,
			async () => {
				const answer = await post(hook(id), {});
				return answer.status === 404 ? undefined : answer;
			},
			60_000,
		);
		assert.ok(response.status < 300, `starting ${id}: ${response.status} ${response.text}`);
	};
	const tasksOf = (provider, prompts) =>
		Object.values(emulator.stats.tasks).filter(
			(task) => task.provider === provider && prompts.includes(task.prompt),
		);
	try {
		for (const key of ['genApi', 'defApi', 'nalitek']) {
			await check(
				`wait for callback: ${PROVIDERS[key].displayName}: a parked run finishes on its callbacks with a file per prompt, with no status read while it waits`,
				async () => {
					const workflow = workflows[key];
					const prompts = JSON.parse(
						workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput,
					).prompt;
					const callbacksBefore = (emulator.stats.callbacks ?? []).length;
					// Gen-API: the read that confirms a callback first meets the 404 its document calls
					// temporary, twice; the callback comes once, so the read is tried again.
					const notFoundBefore = emulator.stats.faults['read 404'] ?? 0;
					if (key === 'genApi') emulator.config.faults = { read: ['404', '404'] };
					await start(workflow.id);
					await until('the parked run to report', () => reports(workflow.id).length >= 3, 60_000);
					emulator.config.faults = null;
					if (key === 'genApi')
						assert.strictEqual((emulator.stats.faults['read 404'] ?? 0) - notFoundBefore, 2);
					await sleep(1000);
					const got = reports(workflow.id);
					assert.strictEqual(got.length, 3, JSON.stringify(got));
					const tasks = tasksOf(key, prompts);
					assert.strictEqual(tasks.length, 3, 'one task per prompt');
					for (const report of got) {
						assert.strictEqual(report.status, 'succeeded', JSON.stringify(report));
						assert.strictEqual(report.mimeType, 'image/png');
					}
					assert.deepStrictEqual(
						got.map((report) => report.paired).sort(),
						[0, 1, 2],
						'one item per input item',
					);
					for (const task of tasks) {
						assert.strictEqual(task.creates, 1);
						assert.ok(
							(task.reads ?? 0) <= PROVIDERS[key].maxReads,
							`${task.reads} status reads of one task`,
						);
						// Every read came after the task had finished: none while the execution was parked.
						if (task.reads) assert.ok(task.first_reads >= task.doneAt - 50, 'a read while parked');
					}
					const callbacks = (emulator.stats.callbacks ?? []).slice(callbacksBefore);
					assert.strictEqual(callbacks.length, 3);
					assert.ok(
						callbacks.every((callback) => callback.status === 200),
						JSON.stringify(callbacks.map((c) => [c.status, c.body])),
					);
					assert.ok(
						callbacks.every((callback) => callback.url.includes('/webhook-waiting/')),
						'tasks were not given the resume URL',
					);
					const last = Math.max(...callbacks.map((c) => c.sentAt ?? 0));
					const arrivals = sink.arrivals.filter((a) => a.body.workflow === workflow.id);
					const firstReport = Math.min(...arrivals.map((a) => a.at));
					// Gen-API's confirming reads waited out two 404s: its latency is not the receiver's.
					if (last && key !== 'genApi') measured.latencyMs.push(firstReport - last);
					measured.requests[key] = {
						creates: tasks.reduce((n, t) => n + t.creates, 0) / tasks.length,
						reads: tasks.reduce((n, t) => n + (t.reads ?? 0), 0) / tasks.length,
					};
					e2e.log(
						`     ${got.length} files; per task ${measured.requests[key].creates} create, ${measured.requests[key].reads} status reads, 1 download; last callback → next node ${last ? firstReport - last : '?'} ms`,
					);
				},
			);
		}

		await check(
			'poll in the background: GPTunnel and MiniMax runs pause while n8n checks their tasks, and go on with their files',
			async () => {
				for (const [key, mimeType] of [
					['gptunnel', 'image/webp'],
					['miniMax', 'video/mp4'],
				]) {
					const workflow = workflows[key];
					const prompts = JSON.parse(
						workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput,
					).prompt;
					await start(workflow.id);
					await until(
						`the ${key} run to pause`,
						async () => (await waitingIn(server, workflow.id)) === 1,
						30_000,
					);
					await until(`the ${key} run to report`, () => reports(workflow.id).length >= 2, 60_000);
					await sleep(1000);
					const got = reports(workflow.id);
					assert.strictEqual(got.length, 2, JSON.stringify(got));
					assert.ok(
						got.every((report) => report.status === 'succeeded' && report.mimeType === mimeType),
						JSON.stringify(got),
					);
					const tasks = tasksOf(key, prompts);
					assert.strictEqual(tasks.length, 2);
					assert.ok(tasks.every((task) => task.creates === 1));
					assert.strictEqual(await waitingIn(server, workflow.id), 0);
					e2e.log(
						`     ${PROVIDERS[key].displayName}: paused, 2 ${mimeType} files, ${(tasks.reduce((n, t) => n + t.reads, 0) / 2).toFixed(1)} status reads per task`,
					);
				}
			},
		);

		await check(
			'wait for callback: a forged or stray callback changes nothing; late and repeated callbacks start nothing twice',
			async () => {
				const workflow = workflows.forged;
				emulator.config.holdCallbacks = true;
				try {
					await start(workflow.id);
					await until('two held callbacks', () => emulator.heldCallbacks.length >= 2, 30_000);
					await until(
						'the execution to park',
						async () => await waitingIn(server, workflow.id),
						30_000,
					);
				} finally {
					emulator.config.holdCallbacks = false;
				}
				const held = emulator.heldCallbacks.filter((entry) =>
					entry.url.includes('/webhook-waiting/'),
				);
				const url = held[0].url;
				const realId = String(held[0].payload.request_id);
				const evil = `${emulator.url}/evil/forged.png`;
				// Stray: a task this execution does not have.
				const stray = await post(url, { request_id: 999999, status: 'success', result: [evil] });
				assert.strictEqual(stray.status, 200, stray.text);
				assert.match(stray.text, /not a task of this execution/);
				// Forged: names a real task, claims a result. The task is read: it is finished in the
				// emulator by now, so its real file is used, never the forged link.
				const forged = await post(url, {
					request_id: Number(realId),
					status: 'success',
					result: [evil],
				});
				assert.ok([200, 503].includes(forged.status), forged.text);
				assert.ok(!/firstEntryJson/.test(forged.text));
				// Hostile bodies at the resume URL: the same intake as the trigger's, answered at once.
				const started = Date.now();
				const huge = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: `{"request_id":${realId},"x":"${' '.repeat(15 * 1000 * 1000)}"}`,
				});
				assert.strictEqual(huge.status, 413, await huge.text());
				const deep = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: `{"request_id":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
				});
				assert.strictEqual(deep.status, 400, await deep.text());
				const hostileMs = Date.now() - started;
				// Idle, 0.5–0.8 s for both; a parse that backtracked or recursed would take minutes.
				assert.ok(hostileMs < 5000, `two hostile bodies took ${hostileMs} ms`);
				// 2.x signs resume URLs: without the signature n8n refuses the caller itself.
				let unsignedStatus = 'not signed (n8n 1.x)';
				if (new URL(url).searchParams.has('signature')) {
					const unsigned = new URL(url);
					unsigned.search = '';
					unsignedStatus = (await post(unsigned.toString(), held[0].payload)).status;
					assert.strictEqual(unsignedStatus, 401);
				}
				// A resume URL of another node of the execution is not this node's.
				const otherNode = url.replace(/\/[^/?]+(\?|$)/, '/not-this-node$1');
				const otherNodeStatus = (await post(otherNode, held[0].payload)).status;
				assert.ok(otherNodeStatus >= 400, `another node's URL: ${otherNodeStatus}`);
				assert.strictEqual(reports(workflow.id).length, 0, 'the execution went on early');
				assert.strictEqual(await waitingIn(server, workflow.id), 1);

				await emulator.releaseCallbacks();
				await until('the run to report', () => reports(workflow.id).length >= 2, 30_000);
				// Late and repeated: the same callbacks again after the execution has finished.
				const again = await Promise.all(held.map((entry) => post(entry.url, entry.payload)));
				await sleep(1500);
				assert.ok(again.every((answer) => answer.status >= 400 || answer.status === 200));
				const got = reports(workflow.id);
				assert.strictEqual(got.length, 2, JSON.stringify(got));
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
				);
				assert.strictEqual(
					emulator.stats.byRoute['GET /evil/forged.png'] ?? 0,
					0,
					'the forged link was fetched',
				);
				assert.strictEqual(await waitingIn(server, workflow.id), 0);
				e2e.log(
					`     stray → ${stray.status}, forged → ${forged.status}, 15 MB and 200 000 levels deep → 413 and 400 in ${hostileMs} ms, without n8n's signature → ${unsignedStatus}, another node's URL → ${otherNodeStatus}, repeated after the end → ${again.map((a) => a.status).join('/')}`,
				);
			},
		);

		await check(
			'wait for callback: n8n restarts while executions are parked: each finishes with its files, none twice',
			async () => {
				const workflow = workflows.restart;
				emulator.config.holdCallbacks = true;
				try {
					await start(workflow.id);
					await start(workflow.id);
					await until(
						'both executions to park',
						async () => (await waitingIn(server, workflow.id)) === 2,
						30_000,
					);
					await until('six held callbacks', () => emulator.heldCallbacks.length >= 6, 30_000);
				} finally {
					emulator.config.holdCallbacks = false;
				}
				assertNoKey(server.log());
				await server.stop();
				server = await e2e.startN8n(userFolder, env);
				const answers = await emulator.releaseCallbacks();
				await until('both runs to report', () => reports(workflow.id).length >= 6, 60_000);
				await sleep(1500);
				const got = reports(workflow.id);
				assert.strictEqual(got.length, 6, JSON.stringify(got));
				assert.strictEqual(
					new Set(got.map((report) => report.taskId)).size,
					6,
					'a task came out twice',
				);
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
				);
				assert.ok(
					answers.every((answer) => answer.status === 200),
					JSON.stringify(answers.map((a) => a.status)),
				);
				e2e.log(
					`     restarted in ${(server.startMs / 1000).toFixed(1)} s; 6 callbacks → 6 files in 2 executions`,
				);
			},
		);

		await check(
			'wait for callback: Max Wait passes the unfinished tasks on as "timeout" and "Wait for Task" finishes them',
			async () => {
				const workflow = workflows.timeout;
				emulator.config.holdCallbacks = true;
				try {
					await start(workflow.id);
					// n8n looks for due waits once a minute.
					await until(
						'the timed-out run to report',
						() => reports(workflow.id).length >= 2,
						150_000,
					);
				} finally {
					emulator.config.holdCallbacks = false;
				}
				const got = reports(workflow.id);
				assert.strictEqual(got.length, 2, JSON.stringify(got));
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
				);
				// The provider's callbacks come after all: the execution has ended, so they change nothing.
				await emulator.releaseCallbacks();
				await sleep(1500);
				assert.strictEqual(reports(workflow.id).length, 2);
			},
		);
		assertNoKey(server.log());
	} finally {
		await server.stop();
		sink.close();
	}
	return measured;
}

module.exports = {
	parkedSuite,
	parkedWorkflow,
	startsByWebhook,
	waitingIn,
	post,
	until,
	PROVIDERS,
};
