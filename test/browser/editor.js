'use strict';
// The package in the real n8n editor, in a real browser (Debian's Chromium driven by
// puppeteer-core): what a new user does on first contact. It signs in, finds every node in the
// node panel by its name and by the words a user types, adds it and opens its panel, opens the AI
// Media Trigger and reads its Provider field and Production URL, runs the Gen-API example and
// looks at the image in the binary view. Screenshots go to browser-screenshots/<n8n version>/.
// Prints "browser: N passed, N failed"; N8N_E2E_VERSION picks the n8n version as in the e2e.

const assert = require('assert');
const fs = require('fs');
const path = require('path');

const e2e = require('../e2e/n8n');
const { createEmulator } = require('../emulator/server');
const pictures = require('../emulator/pictures');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(e2e.ROOT, 'browser-screenshots', e2e.N8N_VERSION);
const OWNER = { email: 'browser@example.com', password: 'Browser-test-1' };
/** As this machine's probe starts Chromium: without background networking, nothing leaves 127.0.0.1. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/** What a user types, and the nodes that must come up (names as the node panel shows them). */
const ACTION_SEARCHES = [
	['Gen-API', ['Gen-API']],
	['z-image', ['Gen-API']],
	['GPTunnel', ['GPTunnel']],
	['imagen', ['GPTunnel']],
	['DefAPI', ['DefAPI']],
	['nano banana', ['DefAPI']],
	['MiniMax', ['MiniMax Hailuo']],
	['hailuo', ['MiniMax Hailuo']],
	['video', ['MiniMax Hailuo', 'GPTunnel']],
	['Nalitek', ['Nalitek']],
	['flux', ['Nalitek', 'Gen-API']],
	['upscale', ['Nalitek']],
	['image', ['Gen-API', 'GPTunnel', 'DefAPI', 'Nalitek']],
	['genmedia', ['Gen-API', 'GPTunnel', 'DefAPI', 'MiniMax Hailuo', 'Nalitek']],
];
/** The trigger panel shows trigger names without "Trigger". */
const TRIGGER_SEARCHES = [
	['callback', ['AI Media']],
	['AI Media', ['AI Media']],
	['genmedia', ['AI Media']],
];
/** Each action node: the word that finds it, the action to pick, a parameter its panel must show. */
const NODES = [
	{
		name: 'Gen-API',
		search: 'z-image',
		action: 'Generate an image',
		parameter: 'prompt',
		waitModes: ['Poll in the Background', 'Provider Callback'],
	},
	{
		name: 'GPTunnel',
		search: 'imagen',
		action: 'Generate media',
		parameter: 'model',
		waitModes: ['Poll in the Background'],
	},
	{
		name: 'DefAPI',
		search: 'nano banana',
		action: 'Generate an image',
		parameter: 'referenceImages',
	},
	{
		name: 'MiniMax Hailuo',
		search: 'hailuo',
		action: 'Generate a video',
		parameter: 'frames',
		waitModes: ['Poll in the Background'],
	},
	{
		name: 'Nalitek',
		search: 'upscale',
		action: 'Upscale an image',
		parameter: 'imageId',
		waitModes: ['Poll in the Background', 'Provider Callback'],
	},
];
/** Words only the notice of each Wait Mode that pauses has. */
const WAIT_MODE_NOTICES = {
	'Poll in the Background': 'webhook process in queue mode',
	'Provider Callback': 'calls back for every task',
};

// BROWSER_ONLY=<part of a name> runs only the matching checks.
const { check, fail } = e2e.checkRunner(process.env.BROWSER_ONLY);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `probe` returns something truthy (polled in the page's world by the caller). */
async function until(probe, what, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

async function shot(page, name) {
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

/** The names listed in the node panel right now. */
async function panelNames(page) {
	return await page.$$eval(
		'[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]',
		(els) => els.map((el) => el.textContent.trim()),
	);
}

async function openNodePanel(page) {
	await page.waitForSelector('[data-test-id="node-creator-plus-button"]', { visible: true });
	// The first click can land while the canvas is still settling: try again until the panel is open.
	await until(async () => {
		if (await page.$('[data-test-id="node-creator"] input')) return true;
		await page.click('[data-test-id="node-creator-plus-button"]').catch(() => undefined);
		return await page
			.waitForSelector('[data-test-id="node-creator"] input', { visible: true, timeout: 3_000 })
			.then(
				() => true,
				() => false,
			);
	}, 'the node panel to open');
}

/** A listed name matches an expected one; the trigger panel may leave "Trigger" off a name. */
const listedAs = (names, expected) =>
	names.some((name) => name === expected || name === `${expected} Trigger`);

/** Types into the node panel's search box (after clearing it) and returns the names shown. */
async function search(page, word, expected) {
	// Focused from the page: a click can miss while the panel slides in.
	const input = await page.waitForSelector('[data-test-id="node-creator"] input', {
		visible: true,
	});
	await input.evaluate((el) => {
		el.focus();
		el.select();
	});
	await page.keyboard.press('Backspace');
	await page.keyboard.type(word, { delay: 10 });
	return await until(
		async () => {
			const names = await panelNames(page);
			return expected.every((name) => listedAs(names, name)) ? names : undefined;
		},
		`"${word}" to list ${expected.join(', ')} (listed: ${(await panelNames(page)).join(', ')})`,
		8_000,
	).catch(async (error) => {
		error.message += ` — listed: ${(await panelNames(page)).slice(0, 20).join(', ')}`;
		throw error;
	});
}

/** Clicks the first item of the node panel (or of its actions) whose name is exactly `name`. */
async function clickItem(page, name, timeoutMs = 5_000) {
	// The panel renders a long list of actions in steps: the item is looked for until it shows.
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const items = await page.$$(
			'[data-test-id="node-creator"] [data-test-id="item-iterator-item"]',
		);
		let moved = false;
		for (const item of items) {
			const text = await item
				.evaluate((el) =>
					(el.querySelector('[data-test-id="node-creator-item-name"]') ?? el).textContent.trim(),
				)
				.catch(() => undefined);
			if (text !== name && text !== `${name} Trigger`) continue;
			try {
				return await item.click();
			} catch (error) {
				// The list was still sliding in or being drawn again (a busy machine): the item
				// found a moment ago has no place to click yet, or is gone. Look again.
				if (!/not clickable|detached|not an Element/i.test(String(error.message))) throw error;
				moved = true;
				break;
			}
		}
		if (Date.now() > deadline) {
			const listed = await Promise.all(
				items.map((item) =>
					item.evaluate((el) => el.innerText.replace(/\s+/g, ' ').trim()).catch(() => '?'),
				),
			);
			throw new Error(
				`${moved ? `the item "${name}" never held still to be clicked` : `no item "${name}"`} in the node panel (listed: ${listed.join(' | ')})`,
			);
		}
		await sleep(250);
	}
}

/** Opens the list of an options parameter and clicks the visible option whose text starts with `text`. */
async function chooseOption(page, parameter, text) {
	const visibleOption = (wanted) =>
		[...document.querySelectorAll('.el-select-dropdown__item, [role="option"]')].find(
			(el) => el.offsetParent !== null && el.textContent.trim().startsWith(wanted),
		) ?? null;
	// A list left open by an earlier try is used as it is: a click on the field would close it.
	let option = (await page.evaluateHandle(visibleOption, text)).asElement();
	if (!option) {
		await page.click(`[data-test-id="parameter-input-${parameter}"]`);
		option = (await page.waitForFunction(visibleOption, { timeout: 3_000 }, text)).asElement();
	}
	// The list may still be sliding open (slowly on a busy machine), so the option is clicked where
	// it is, not at the place it was measured; one near the bottom of the panel is scrolled to first.
	await option.evaluate((el) => {
		el.scrollIntoView({ block: 'nearest' });
		el.click();
	});
}

async function closePanel(page) {
	// A select that still has the focus (or its open list) takes the first click or Escape for
	// itself, so closing is tried again until the panel is gone.
	const open = async () =>
		!!(await page.$('[data-test-id="ndv"] [data-test-id="node-parameters"]'));
	for (let attempt = 1; attempt <= 4 && (await open()); attempt++) {
		const back = await page.$('[data-test-id="back-to-canvas"]');
		const visible = back && (await back.evaluate((el) => el.offsetParent !== null));
		if (visible && attempt % 2 === 1) await back.click().catch(() => {});
		else {
			await page.evaluate(() => document.activeElement?.blur?.());
			await page.keyboard.press('Escape');
		}
		await until(async () => !(await open()), 'the node panel to close', 2_500).catch(() => {});
	}
	if (await open()) {
		await shot(page, 'panel-did-not-close');
		throw new Error('timed out waiting for the node panel to close');
	}
}

/** Double-clicks the canvas node whose text contains `name`, which opens its panel. */
async function openCanvasNode(page, name) {
	const node = await until(async () => {
		for (const candidate of await page.$$('[data-test-id="canvas-node"]')) {
			if ((await candidate.evaluate((el) => el.innerText)).split('\n').includes(name))
				return candidate;
		}
		return undefined;
	}, `canvas node "${name}"`);
	const box = await node.boundingBox();
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { clickCount: 2 });
	await page.waitForSelector('[data-test-id="node-parameters"]', {
		visible: true,
		timeout: 10_000,
	});
}

async function signIn(page, url) {
	await page.goto(`${url}/signin`, { waitUntil: 'networkidle2' });
	await page.waitForSelector('input[name=emailOrLdapLoginId]', { visible: true });
	await page.type('input[name=emailOrLdapLoginId]', OWNER.email);
	await page.type('input[name=password]', OWNER.password);
	await page.keyboard.press('Enter');
	await until(async () => !page.url().includes('/signin'), 'the sign-in to finish');
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`Chromium is not at ${CHROMIUM}: apt-get install -y chromium fonts-dejavu-core (or set CHROMIUM_PATH)`,
		);
	}
	const puppeteer = require('puppeteer-core');
	fs.rmSync(SHOTS, { recursive: true, force: true });
	fs.mkdirSync(SHOTS, { recursive: true });
	e2e.log(`n8n ${e2e.N8N_VERSION} in ${CHROMIUM}; screenshots in ${SHOTS}`);
	await e2e.ensureN8n();

	const emulator = createEmulator();
	await emulator.start();
	const userFolder = e2e.createUserFolder(e2e.packPackage());
	await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator));
	const example = e2e.loadExample('genapi-generate-images.json');
	await e2e.importWorkflow(userFolder, example);
	const agentExample = e2e.loadExample('agent-genapi-image.json');
	await e2e.importWorkflow(userFolder, agentExample);
	const server = await e2e.startN8n(userFolder, {}, OWNER);
	const browser = await puppeteer.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		defaultViewport: { width: 1440, height: 900 },
	});
	const newPage = async () => {
		const context = await browser.createBrowserContext();
		const page = await context.newPage();
		page.setDefaultTimeout(20_000);
		await signIn(page, server.url);
		return page;
	};
	try {
		await check(
			"browser: Chromium shows the emulator's PNG, JPEG and WebP pictures at their size and plays its MP4 video",
			async () => {
				const page = await browser.newPage();
				const sizes = await page.evaluate(
					async (files) => {
						const load = (src) =>
							new Promise((resolve) => {
								const img = new Image();
								img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
								img.onerror = () => resolve(null);
								img.src = src;
							});
						return await Promise.all(files.map(load));
					},
					['png', 'jpg', 'webp'].map((format) => {
						const { data, mimeType } = pictures.makePicture({
							prompt: `a ${format} picture`,
							width: 320,
							height: 200,
							format,
						});
						return `data:${mimeType};base64,${data.toString('base64')}`;
					}),
				);
				assert.deepStrictEqual(sizes, [
					[320, 200],
					[320, 200],
					[320, 200],
				]);
				// A MiniMax video as the emulator streams it: the sample clip padded to 1 MB.
				const response = await fetch(`${emulator.url}/files/big-${1024 * 1024}.mp4`);
				const video = `data:video/mp4;base64,${Buffer.from(await response.arrayBuffer()).toString('base64')}`;
				const played = await page.evaluate(
					async (src) =>
						await new Promise((resolve) => {
							const element = document.createElement('video');
							element.muted = true;
							element.onloadedmetadata = () =>
								resolve([element.videoWidth, element.videoHeight, element.duration]);
							element.onerror = () => resolve(`error ${element.error?.code}`);
							element.src = src;
						}),
					video,
				);
				assert.deepStrictEqual(played, [320, 180, 2]);
				await page.close();
			},
		);

		await check(
			'browser: the AI Media Trigger is found among triggers; its panel shows Provider and the Production URL',
			async () => {
				const page = await newPage();
				await page.goto(`${server.url}/workflow/new`, { waitUntil: 'networkidle2' });
				await openNodePanel(page);
				for (const [word, expected] of TRIGGER_SEARCHES) {
					await search(page, word, expected);
					if (word === 'callback') await shot(page, 'search-trigger-callback');
				}
				await search(page, 'callback', ['AI Media']);
				await clickItem(page, 'AI Media');
				// A trigger without events offers one action: adding it.
				await sleep(500);
				if (!(await page.$('[data-test-id="node-parameters"]'))) {
					const [first] = await page.$$(
						'[data-test-id="node-creator"] [data-test-id="item-iterator-item"]',
					);
					await first.click();
				}
				await page.waitForSelector('[data-test-id="parameter-input-provider"]', { visible: true });
				// The provider decides what is shown: DefAPI asks for a token, Nalitek for events.
				const parameterNames = async () =>
					await page.$$eval(
						'[data-test-id="node-parameters"] [data-test-id^="parameter-input-"]',
						(els) => els.map((el) => el.getAttribute('data-test-id')),
					);
				assert.ok(
					(await parameterNames()).includes('parameter-input-token'),
					'Secret Token is shown for DefAPI',
				);
				// Open the Provider list and pick Nalitek, again if a click lands while the panel settles.
				await until(async () => {
					if ((await parameterNames()).includes('parameter-input-events')) return true;
					await chooseOption(page, 'provider', 'Nalitek').catch(() => undefined);
					return await page
						.waitForSelector('[data-test-id="parameter-input-events"]', {
							visible: true,
							timeout: 3_000,
						})
						.then(
							() => true,
							() => false,
						);
				}, 'Nalitek Events to appear after choosing Nalitek');
				assert.ok(
					!(await parameterNames()).includes('parameter-input-token'),
					'no Secret Token for Nalitek',
				);
				// Webhook URLs → Production URL.
				const [headline] = await page.$$(
					'xpath/.//*[contains(@class, "headline") and contains(., "Webhook URLs")]',
				);
				await headline.click();
				await page.waitForSelector('[data-test-id="radio-button-production"]', { visible: true });
				await page.click('[data-test-id="radio-button-production"]');
				const text = await until(async () => {
					const body = await page.$eval('[data-test-id="node-parameters"]', (el) => el.innerText);
					return /\/webhook\/[\w-]+\/callback/.test(body) ? body : undefined;
				}, 'the Production URL');
				assert.match(
					text,
					new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}/webhook/[0-9a-f-]+/callback`),
				);
				assert.match(text, /Provider/);
				await shot(page, 'trigger-panel');
				await page.browserContext().close();
			},
		);

		await check(
			'browser: every action node is found by its name and by the words a user types',
			async () => {
				const page = await newPage();
				await page.goto(`${server.url}/workflow/new`, { waitUntil: 'networkidle2' });
				// With a node on the canvas the panel shows all nodes, not only triggers.
				await openNodePanel(page);
				await search(page, 'Manual', ['Trigger manually']).catch(
					async () => await search(page, 'Manual', ['Manual Trigger']),
				);
				const names = await panelNames(page);
				await clickItem(
					page,
					names.includes('Trigger manually') ? 'Trigger manually' : 'Manual Trigger',
				);
				await sleep(1000);
				if (await page.$('[data-test-id="node-parameters"]')) await closePanel(page);
				await openNodePanel(page);
				const shown = new Set();
				for (const [word, expected] of ACTION_SEARCHES) {
					await search(page, word, expected);
					for (const name of expected) {
						if (!shown.has(name) && word !== 'genmedia' && word !== 'image') {
							await shot(
								page,
								`search-${name.toLowerCase().replace(/[^a-z]/g, '')}-${word.replace(/\W+/g, '-')}`,
							);
							shown.add(name);
						}
					}
				}
				await shot(page, 'search-genmedia');
				await page.browserContext().close();
			},
		);

		await check(
			'browser: every action node is added from the node panel and its panel opens',
			async () => {
				const page = await newPage();
				await page.goto(`${server.url}/workflow/new`, { waitUntil: 'networkidle2' });
				for (const node of NODES) {
					await openNodePanel(page);
					await search(page, node.search, [node.name]);
					await clickItem(page, node.name);
					await page.waitForSelector(
						'[data-test-id="node-creator"] [data-test-id="item-iterator-item"]',
						{ visible: true },
					);
					await clickItem(page, node.action);
					await page
						.waitForSelector(
							`[data-test-id="parameter-input-${node.parameter}"], [data-test-id="${node.parameter}-parameter-input-options-container"], [data-test-id="fixed-collection-${node.parameter}"]`,
							{ visible: true, timeout: 10_000 },
						)
						.catch(async () => {
							const present = await page.$$eval(
								'[data-test-id="node-parameters"] [data-test-id]',
								(els) => [...new Set(els.map((el) => el.getAttribute('data-test-id')))],
							);
							throw new Error(
								`${node.name}: no "${node.parameter}" in its panel (${present.join(' ')})`,
							);
						});
					const title = await page.$eval('[data-test-id="node-title-container"]', (el) =>
						el.innerText.trim(),
					);
					assert.ok(
						title.includes(node.action) || title.includes(node.name),
						`${node.name}: panel title "${title}"`,
					);
					await shot(page, `panel-${node.name.toLowerCase().replace(/[^a-z]/g, '')}`);
					for (const mode of node.waitModes ?? []) {
						// A mode that pauses says what it needs before the user relies on it. The panel may
						// still be opening: the choice is made again until its notice shows.
						const findNotice = async () =>
							await page.$$eval(
								'[data-test-id="node-parameters"] [class*="notice"]',
								(els, words) => els.map((el) => el.innerText).find((text) => text.includes(words)),
								WAIT_MODE_NOTICES[mode],
							);
						let notice;
						let chosen;
						for (let attempt = 1; attempt <= 4 && !notice; attempt++) {
							await sleep(500);
							chosen = await chooseOption(page, 'waitMode', mode).catch((error) => error);
							notice = await until(findNotice, 'the notice', 3_000).catch(() => undefined);
						}
						if (!notice) {
							// What the panel showed, for the failure message and a screenshot to look at.
							await shot(page, 'wait-mode-notice-missing');
							const shown = await page.$$eval(
								'[data-test-id="node-parameters"] [class*="notice"]',
								(els) => els.map((el) => el.innerText.slice(0, 80)),
							);
							assert.fail(
								`${node.name}: no "${mode}" notice (last choice: ${chosen?.message ?? 'made'}; notices: ${JSON.stringify(shown)})`,
							);
						}
						assert.match(notice, /WEBHOOK_URL.*Wait for Task/s);
						await shot(
							page,
							`panel-${node.name.toLowerCase().replace(/[^a-z]/g, '')}-${mode.toLowerCase().replace(/[^a-z]+/g, '-')}`,
						);
					}
					await closePanel(page);
				}
				await page.browserContext().close();
			},
		);

		await check(
			'browser: the Gen-API example runs and its images show in the binary view',
			async () => {
				const page = await newPage();
				await page.goto(`${server.url}/workflow/${example.id}`, { waitUntil: 'networkidle2' });
				await page.waitForSelector('[data-test-id="execute-workflow-button"]', { visible: true });
				await page.click('[data-test-id="execute-workflow-button"]');
				// The Gen-API node reports its five items on the canvas when the run is done.
				await until(
					async () => {
						for (const node of await page.$$('[data-test-id="canvas-node"]')) {
							const text = await node.evaluate((el) => el.innerText);
							if (text.includes('Gen-API') && /5 items/.test(text)) return true;
						}
						return false;
					},
					'the Gen-API node to finish with 5 items',
					60_000,
				);
				await shot(page, 'genapi-example-executed');
				await openCanvasNode(page, 'Gen-API');
				await page.click('[data-test-id="radio-button-binary"]').catch(() => undefined);
				await page.waitForSelector('[data-test-id="ndv-view-binary-data"]', { visible: true });
				await page.click('[data-test-id="ndv-view-binary-data"]');
				const size = await until(async () => {
					// The output panel's picture, not the node icons of the input panel.
					const images = await page.$$eval('[data-test-id="output-panel"] img', (els) =>
						els.map((el) => [el.naturalWidth, el.naturalHeight, el.src]),
					);
					return images.find(([width, , src]) => width > 0 && !src.includes('/icons/'));
				}, 'the image in the binary view');
				const { width, height } = example.nodes.find((node) => node.name === 'Gen-API').parameters
					.additionalFields;
				assert.deepStrictEqual(
					size.slice(0, 2),
					[width, height],
					`the picture is ${size[0]}×${size[1]}`,
				);
				await shot(page, 'genapi-example-binary-view');
				await page.browserContext().close();
			},
		);

		await check(
			'browser: as an AI Agent tool, the Gen-API node shows the description the model is given',
			async () => {
				const page = await newPage();
				await page.goto(`${server.url}/workflow/${agentExample.id}`, {
					waitUntil: 'networkidle2',
				});
				await openCanvasNode(page, 'Generate an image');
				const field = await page.waitForSelector(
					'[data-test-id="parameter-input-toolDescription"] textarea',
					{ visible: true, timeout: 10_000 },
				);
				const text = await field.evaluate((el) => el.value);
				assert.match(text, /^Generate an image with Gen-API/);
				assert.match(text, /temporary link/);
				assert.match(text, /"Wait for Task"/);
				// Prompt, width and height are the model's: n8n shows each as "Defined automatically
				// by the model", as when the user clicks the field's sparkle button.
				await page.waitForSelector('[data-test-id="fromAI-override-field"]', {
					visible: true,
					timeout: 10_000,
				});
				const byModel = await page.$$eval(
					'[data-test-id="fromAI-override-field"]',
					(fields) =>
						fields.filter((field) => /automatically/i.test(field.textContent ?? '')).length,
				);
				assert.strictEqual(byModel, 3, `${byModel} fields say the model defines them`);
				await shot(page, 'agent-genapi-tool-panel');
				await page.browserContext().close();
			},
		);
	} finally {
		await browser.close().catch(() => undefined);
		await server.stop();
		await emulator.stop();
		e2e.removeTemporary();
	}
}

main()
	.catch((error) => fail('browser setup (n8n, Chromium, sign-in)', error))
	.finally(() => {
		e2e.log(`n8n ${e2e.N8N_VERSION}; screenshots: ${SHOTS}`);
		for (const file of fs.existsSync(SHOTS) ? fs.readdirSync(SHOTS).sort() : [])
			e2e.log(`  ${path.join(SHOTS, file)}`);
	});
