/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tests run servers and timers of their own; the rules are for the published nodes */
// What a workflow builder sees of every node, checked the way n8n's own UI verification tests
// check node descriptions: the words that find a node in the node panel, action labels,
// subtitles, placeholders, collection names, the same names for the same things in every node,
// and display rules that point at parameters that exist.
import fs from 'fs';
import path from 'path';
import { NodeHelpers } from 'n8n-workflow';
import type {
	INodeCredentialDescription,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { AiMediaTrigger } from '../../nodes/AiMediaTrigger/AiMediaTrigger.node';
import { DefApi } from '../../nodes/DefApi/DefApi.node';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { Gptunnel } from '../../nodes/Gptunnel/Gptunnel.node';
import { MiniMax } from '../../nodes/MiniMax/MiniMax.node';
import { Nalitek } from '../../nodes/Nalitek/Nalitek.node';
import { taskOperationOptions } from '../../nodes/shared/node-description';

const NODES: Record<string, INodeType> = {
	GenApi: new GenApi(),
	Gptunnel: new Gptunnel(),
	DefApi: new DefApi(),
	MiniMax: new MiniMax(),
	Nalitek: new Nalitek(),
	AiMediaTrigger: new AiMediaTrigger(),
};
const ACTION_NODES = Object.entries(NODES).filter(([folder]) => folder !== 'AiMediaTrigger');
const ALL = Object.entries(NODES);

interface Codex {
	node: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias?: string[];
}

function codexOf(folder: string): Codex {
	return JSON.parse(
		fs.readFileSync(path.join(__dirname, '../../nodes', folder, `${folder}.node.json`), 'utf8'),
	) as Codex;
}

/** Every parameter of a node, with the ones inside collections and fixed collections. */
function flatten(
	properties: INodeProperties[],
	parent?: INodeProperties,
): Array<{ property: INodeProperties; parent?: INodeProperties }> {
	const out: Array<{ property: INodeProperties; parent?: INodeProperties }> = [];
	for (const property of properties) {
		out.push({ property, parent });
		for (const option of property.options ?? []) {
			if ('type' in option && 'displayName' in option)
				out.push(...flatten([option as INodeProperties], property));
			if ('values' in option)
				out.push(...flatten((option as INodePropertyCollection).values, property));
		}
	}
	return out;
}

/**
 * What n8n's node panel does with a search word: it looks at the display name and the codex
 * aliases (weights 1.3 and 1, fuzzy), and hides nodes of codex category "AI" unless they are root
 * nodes (`filterOutAiNodes` in the editor's node creator store, in 1.x and 2.x). A plain
 * substring match is stricter than the editor's fuzzy match: what it finds, the editor finds.
 */
function foundBySearch(description: INodeTypeDescription, codex: Codex, word: string): boolean {
	const aiFiltered =
		codex.categories.includes('AI') && !codex.subcategories?.AI?.includes('Root Nodes');
	if (aiFiltered) return false;
	const haystack = [description.displayName, ...(codex.alias ?? [])].map((text) =>
		text.toLowerCase(),
	);
	return haystack.some((text) => text.includes(word.toLowerCase()));
}

/** The words a user would type to find each node (issue: "image", "video", "z-image", …). */
const SEARCH_WORDS: Record<string, string[]> = {
	GenApi: ['Gen-API', 'genapi', 'genmedia', 'z-image', 'image', 'flux', 'midjourney'],
	Gptunnel: ['GPTunnel', 'genmedia', 'imagen', 'image', 'video', 'veo', 'sora'],
	DefApi: ['DefAPI', 'genmedia', 'nano banana', 'gempix', 'gemini', 'image'],
	MiniMax: ['MiniMax', 'genmedia', 'hailuo', 'video', 'image to video'],
	Nalitek: ['Nalitek', 'genmedia', 'flux', 'upscale', 'image', 'lora', 'batch'],
	AiMediaTrigger: [
		'AI Media Trigger',
		'genmedia',
		'callback',
		'webhook',
		'Gen-API',
		'DefAPI',
		'MiniMax',
		'Nalitek',
	],
};

describe('the node panel finds every node', () => {
	it.each(ALL)('%s is found by the words a user types', (folder, node) => {
		const codex = codexOf(folder);
		expect(codex.node).toBe(`n8n-nodes-genmedia.${node.description.name}`);
		const missed = SEARCH_WORDS[folder].filter(
			(word) => !foundBySearch(node.description, codex, word),
		);
		expect(missed).toEqual([]);
	});

	it('every word of the issue finds at least one node', () => {
		for (const word of ['image', 'video', 'z-image', 'flux', 'hailuo', 'upscale', 'callback']) {
			const found = ALL.filter(([folder, node]) =>
				foundBySearch(node.description, codexOf(folder), word),
			);
			expect({ word, found: found.length > 0 }).toEqual({ word, found: true });
		}
	});

	it('the trigger is a trigger node, the others are not', () => {
		expect(NODES.AiMediaTrigger.description.group).toEqual(['trigger']);
		for (const [, node] of ACTION_NODES) expect(node.description.group).not.toContain('trigger');
	});
});

// ---------------------------------------------------------------------------------------------
// Actions and subtitles

const VERBS = [
	'Ban',
	'Cancel',
	'Change',
	'Create',
	'Delete',
	'Download',
	'Generate',
	'Get',
	'Transform',
	'Update',
	'Upscale',
	'Wait',
];
/** Short words an action may hold; anything else of one or two letters is a broken word ("lo ras"). */
const SHORT_WORDS = new Set([
	'a',
	'an',
	'as',
	'at',
	'by',
	'in',
	'of',
	'on',
	'or',
	'to',
	'up',
	'id',
	'ID',
	'2×',
	'4×',
]);
const VOWEL_SOUND_EXCEPTIONS = /^(user|uni|one|use)/i;

function actionProblems(action: string): string[] {
	const problems: string[] = [];
	const words = action.split(/\s+/);
	if (!VERBS.includes(words[0]))
		problems.push(`"${action}" does not start with a verb of n8n's actions`);
	for (let i = 0; i < words.length - 1; i++) {
		const [word, next] = [words[i].toLowerCase(), words[i + 1]];
		if (['a', 'an', 'the'].includes(word) && ['a', 'an', 'the'].includes(next.toLowerCase()))
			problems.push(`"${action}": two articles`);
		if (word === 'a' && /^[aeiou]/i.test(next) && !VOWEL_SOUND_EXCEPTIONS.test(next))
			problems.push(`"${action}": "a ${next}"`);
		if (word === 'an' && !/^[aeiou]/i.test(next) && !/^(API|hour)/.test(next))
			problems.push(`"${action}": "an ${next}"`);
	}
	for (const word of words) {
		if (word.length <= 2 && !SHORT_WORDS.has(word))
			problems.push(`"${action}": broken word "${word}"`);
	}
	return problems;
}

/** Every resource × operation pair a node offers, with the option the user picks. */
function operationsOf(description: INodeTypeDescription) {
	const resources = (description.properties.find((p) => p.name === 'resource')?.options ??
		[]) as INodePropertyOptions[];
	const pairs: Array<{ resource: INodePropertyOptions; operation: INodePropertyOptions }> = [];
	for (const resource of resources) {
		const operationProperty = description.properties.find(
			(p) =>
				p.name === 'operation' &&
				(p.displayOptions?.show?.resource ?? []).includes(resource.value as string),
		);
		for (const operation of (operationProperty?.options ?? []) as INodePropertyOptions[])
			pairs.push({ resource, operation });
	}
	return pairs;
}

/** Evaluates a subtitle expression the way n8n's expressions do: JavaScript with `$parameter`. */
function subtitle(description: INodeTypeDescription, parameters: INodeParameters): string {
	const source = String(description.subtitle ?? '');
	const match = /^=\{\{([\s\S]*)\}\}$/.exec(source);
	if (!match) return source;
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the node's own subtitle, evaluated as n8n does
	return String(new Function('$parameter', `return (${match[1]});`)(parameters));
}

describe('actions and subtitles', () => {
	it.each(ACTION_NODES)('%s: every operation has a grammatical action', (_folder, node) => {
		const problems: string[] = [];
		for (const { resource, operation } of operationsOf(node.description)) {
			if (!operation.action) problems.push(`${resource.value}.${operation.value} has no action`);
			else problems.push(...actionProblems(operation.action));
		}
		expect(problems).toEqual([]);
	});

	it.each(ACTION_NODES)('%s: the subtitle says in words what the node does', (_folder, node) => {
		const problems: string[] = [];
		for (const { resource, operation } of operationsOf(node.description)) {
			const text = subtitle(node.description, {
				resource: resource.value,
				operation: operation.value,
			});
			// The words of the action the user picked, not internal values such as "imageToImage: image".
			if (text !== operation.action)
				problems.push(
					`${resource.value}.${operation.value}: "${text}" (action "${operation.action}")`,
				);
		}
		expect(problems).toEqual([]);
	});

	it('the trigger subtitle names the provider as the panel shows it', () => {
		const { description } = NODES.AiMediaTrigger;
		const providers = description.properties.find((p) => p.name === 'provider')!
			.options as INodePropertyOptions[];
		for (const provider of providers) {
			const text = subtitle(description, { provider: provider.value });
			expect(text).toContain(provider.name);
			expect(text).not.toMatch(/undefined|\$parameter/);
		}
	});

	it('the four task operations are the shared ones in every node, word for word', () => {
		// The shared list with stand-in words: a node's own words may fill only those places.
		const WORDS = '⟨words⟩';
		const template = new Map(
			taskOperationOptions({ generate: WORDS, createTask: WORDS, media: WORDS }).map((option) => [
				String(option.value),
				option,
			]),
		);
		const pattern = (text: string | undefined) =>
			new RegExp(
				`^${String(text)
					.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
					.split(WORDS)
					.join('.+')}$`,
			);
		const problems: string[] = [];
		for (const [folder, node] of ACTION_NODES) {
			const values = new Set<string>();
			const operations = operationsOf(node.description);
			for (const { resource, operation } of operations)
				values.add(`${resource.value}.${operation.value}`);
			for (const { resource, operation } of operations) {
				// The four come together: a resource with Get Task has all of them from the shared list.
				if (!values.has(`${resource.value}.getTask`)) continue;
				const shared = template.get(String(operation.value));
				if (!shared) continue;
				for (const field of ['name', 'description', 'action'] as const) {
					if (!pattern(shared[field]).test(String(operation[field])))
						problems.push(
							`${folder}: ${resource.value}.${operation.value} ${field} "${operation[field]}"`,
						);
				}
			}
			// Every resource that waits for tasks can also read one.
			for (const pair of values) {
				const [resource, operation] = pair.split('.');
				if (operation === 'waitForTask' && !values.has(`${resource}.getTask`))
					problems.push(`${folder}: ${resource} has Wait for Task but no Get Task`);
			}
		}
		expect(problems).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
// Parameters: names, collections, placeholders

/** n8n's own collection names and their "Add …" buttons. */
const COLLECTIONS: Record<string, { displayName: string; placeholder: string }> = {
	additionalFields: { displayName: 'Additional Fields', placeholder: 'Add Field' },
	options: { displayName: 'Options', placeholder: 'Add Option' },
	filters: { displayName: 'Filters', placeholder: 'Add Filter' },
	updateFields: { displayName: 'Update Fields', placeholder: 'Add Field' },
};

describe('parameters', () => {
	it.each(ALL)(
		'%s: collections are named as in n8n (Additional Fields, Options, Filters, Update Fields)',
		(_folder, node) => {
			const problems = node.description.properties
				.filter((p) => p.type === 'collection')
				.filter(
					(p) =>
						COLLECTIONS[p.name]?.displayName !== p.displayName ||
						COLLECTIONS[p.name]?.placeholder !== p.placeholder,
				)
				.map((p) => `${p.name}: "${p.displayName}" / "${p.placeholder}"`);
			expect(problems).toEqual([]);
		},
	);

	it('the same parameter has the same label in every node', () => {
		const labels = new Map<string, Set<string>>();
		for (const [, node] of ALL) {
			for (const { property, parent } of flatten(node.description.properties)) {
				if (property.type === 'notice') continue;
				const key = `${parent ? `${parent.name}.` : ''}${property.name}`;
				(labels.get(key) ?? labels.set(key, new Set()).get(key)!).add(property.displayName);
			}
		}
		const different = [...labels].filter(
			([name, names]) => names.size > 1 && !['operation', 'resource'].includes(name),
		);
		expect(different.map(([name, names]) => `${name}: ${[...names].join(' | ')}`)).toEqual([]);
	});

	it('task IDs are "Task ID", read from the incoming item by default', () => {
		const problems: string[] = [];
		for (const [folder, node] of ACTION_NODES) {
			for (const property of node.description.properties) {
				const operations = (property.displayOptions?.show?.operation ?? []) as string[];
				if (!operations.some((operation) => ['getTask', 'waitForTask'].includes(operation)))
					continue;
				if (property.type !== 'string' || property.name === 'options') continue;
				if (property.name === 'toolDescription') continue;
				if (
					property.name !== 'taskId' ||
					property.displayName !== 'Task ID' ||
					!String(property.default).includes('$json.taskId')
				) {
					problems.push(
						`${folder}: ${property.name} "${property.displayName}" default ${String(property.default)}`,
					);
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('files of the incoming item are always named by an "Input Binary Field", links by an "Image URL"', () => {
		const problems: string[] = [];
		for (const [folder, node] of ALL) {
			for (const { property, parent } of flatten(node.description.properties)) {
				if (parent?.name === 'options') continue; // "Put Output File in Field" names the output
				const label = property.displayName;
				if (
					/binary|field$/i.test(label) &&
					property.type === 'string' &&
					label !== 'Input Binary Field'
				)
					problems.push(`${folder}: "${label}"`);
				if (/link/i.test(label)) problems.push(`${folder}: "${label}" (say URL, as n8n does)`);
				if (property.name === 'inputBinaryField' && property.default !== 'data')
					problems.push(`${folder}: ${property.name} default`);
			}
		}
		expect(problems).toEqual([]);
	});

	it.each(ALL)('%s: placeholders are examples ("e.g. …") or links', (_folder, node) => {
		const problems = flatten(node.description.properties)
			.map(({ property }) => property)
			.filter((p) => p.type === 'string' && p.placeholder !== undefined)
			.filter((p) => !/^(e\.g\. |https?:\/\/)/.test(String(p.placeholder)))
			.map((p) => `${p.name}: "${p.placeholder}"`);
		expect(problems).toEqual([]);
	});

	it.each(
		ACTION_NODES.filter(([, node]) =>
			node.description.properties.some((p) => p.name === 'customModel'),
		),
	)(
		"%s: the Custom Model ID example is written like this provider's model IDs",
		(_folder, node) => {
			const custom = node.description.properties.find((p) => p.name === 'customModel')!;
			const models = (
				node.description.properties.find((p) => p.name === 'model')!
					.options as INodePropertyOptions[]
			)
				.map((o) => String(o.value))
				.filter((v) => v !== 'custom');
			const example = String(custom.placeholder).replace(/^e\.g\. /, '');
			const family = (id: string) => /^[^-/.]+[-/.]?/.exec(id)?.[0];
			expect(models.map(family)).toContain(family(example));
		},
	);
});

// ---------------------------------------------------------------------------------------------
// Display rules

/** Every parameter a node shows for these values, as n8n decides it. */
function visible(description: INodeTypeDescription, values: INodeParameters): string[] {
	const parameters =
		NodeHelpers.getNodeParameters(description.properties, values, true, false, null, description) ??
		{};
	return description.properties
		.filter((p) => NodeHelpers.displayParameter(parameters, p, null, description))
		.map((p) => p.name);
}

function visibleCredentials(description: INodeTypeDescription, values: INodeParameters): string[] {
	const parameters =
		NodeHelpers.getNodeParameters(description.properties, values, true, false, null, description) ??
		{};
	return (description.credentials ?? [])
		.filter((credential: INodeCredentialDescription) =>
			NodeHelpers.displayParameter(parameters, credential as never, null, description),
		)
		.map((credential) => credential.name);
}

describe('display rules', () => {
	it.each(ALL)(
		'%s: every display rule names a parameter and values that exist',
		(_folder, node) => {
			const problems: string[] = [];
			const check = (
				owner: string,
				rules: Record<string, unknown> | undefined,
				siblings: INodeProperties[],
			) => {
				for (const [name, values] of Object.entries(rules ?? {})) {
					if (name.startsWith('@')) continue;
					const targets = siblings.filter((p) => p.name === name);
					if (!targets.length) {
						problems.push(`${owner}: no parameter "${name}"`);
						continue;
					}
					const allowed = targets.flatMap((t) =>
						t.type === 'options' ? (t.options as INodePropertyOptions[]).map((o) => o.value) : [],
					);
					for (const value of values as unknown[]) {
						if (allowed.length && !allowed.includes(value as string))
							problems.push(`${owner}: "${name}" has no value ${String(value)}`);
						if (targets[0].type === 'boolean' && typeof value !== 'boolean')
							problems.push(`${owner}: "${name}" is a boolean`);
					}
				}
			};
			const walk = (properties: INodeProperties[]) => {
				for (const property of properties) {
					check(property.name, property.displayOptions?.show as never, properties);
					check(property.name, property.displayOptions?.hide as never, properties);
					for (const option of property.options ?? []) {
						if ('values' in option) walk((option as INodePropertyCollection).values);
					}
				}
			};
			walk(node.description.properties);
			for (const credential of node.description.credentials ?? []) {
				check(
					credential.name,
					credential.displayOptions?.show as never,
					node.description.properties,
				);
				check(
					credential.name,
					credential.displayOptions?.hide as never,
					node.description.properties,
				);
			}
			expect(problems).toEqual([]);
		},
	);

	it.each(ALL)(
		'%s: every parameter is shown for some choice of the fields it depends on',
		(_folder, node) => {
			const pairs: INodeParameters[] = operationsOf(node.description).map(
				({ resource, operation }) => ({ resource: resource.value, operation: operation.value }),
			);
			if (!pairs.length) pairs.push({});
			const dead = node.description.properties.filter((property) => {
				const rules = (property.displayOptions?.show ?? {}) as Record<string, unknown[]>;
				// The other fields it depends on take the first value its rule names.
				const others = Object.fromEntries(
					Object.entries(rules)
						.filter(([name]) => !['resource', 'operation'].includes(name))
						.map(([name, values]) => [name, values[0]]),
				);
				// …and a value its hide rule does not name.
				for (const [name, values] of Object.entries(
					(property.displayOptions?.hide ?? {}) as Record<string, unknown[]>,
				)) {
					others[name] = typeof values[0] === 'boolean' ? !values[0] : `not ${String(values[0])}`;
				}
				// What only the tool shows (`@tool`) is checked on the tool: the node's name plus "Tool".
				delete others['@tool'];
				const shownOn =
					'@tool' in rules
						? { ...node.description, name: `${node.description.name}Tool` }
						: node.description;
				return !pairs.some((pair) =>
					visible(shownOn, { ...pair, ...others } as INodeParameters).includes(property.name),
				);
			});
			expect(dead.map((p) => p.name)).toEqual([]);
		},
	);

	it('the trigger shows a Provider field (the editor folds fields that credentials "show" on into the credential box)', () => {
		const { description } = NODES.AiMediaTrigger;
		for (const credential of description.credentials ?? [])
			expect(credential.displayOptions?.show).toBeUndefined();
		expect(visible(description, {})).toContain('provider');
	});

	it("the node panel does not offer one provider's events as the trigger's actions", () => {
		// The editor turns a trigger field labelled "Event", "Events" or "Trigger On" into the
		// trigger's actions ("On generation started", …): only Nalitek has events.
		const labels = NODES.AiMediaTrigger.description.properties.map((p) =>
			p.displayName.toLowerCase(),
		);
		expect(labels.filter((label) => ['event', 'events', 'trigger on'].includes(label))).toEqual([]);
	});

	it('the trigger shows only what each provider needs', () => {
		const { description } = NODES.AiMediaTrigger;
		const providers = (
			description.properties.find((p) => p.name === 'provider')!.options as INodePropertyOptions[]
		).map((o) => o.value);
		expect(providers.sort()).toEqual(['defApi', 'genApi', 'miniMax', 'nalitek']);
		const shown = (provider: string) => visible(description, { provider });
		expect(shown('genApi')).toEqual(expect.arrayContaining(['token']));
		expect(shown('defApi')).toEqual(expect.arrayContaining(['token']));
		for (const provider of ['genApi', 'defApi', 'miniMax']) {
			expect(shown(provider)).not.toContain('events');
			expect(shown(provider)).not.toContain('verifySignature');
		}
		expect(shown('nalitek')).toEqual(expect.arrayContaining(['events', 'verifySignature']));
		expect(shown('nalitek')).not.toContain('token');
		// Only MiniMax reports progress between the callbacks that matter.
		expect(
			providers.filter((provider) => shown(provider as string).includes('progressUpdates')),
		).toEqual(['miniMax']);
		// One note per provider on where its URL goes.
		for (const provider of providers)
			expect(shown(provider as string).filter((name) => name.endsWith('Notice'))).toEqual([
				`${provider}Notice`,
			]);
		// Exactly the credential of the chosen provider.
		expect(visibleCredentials(description, { provider: 'genApi' })).toEqual(['genApiApi']);
		expect(visibleCredentials(description, { provider: 'defApi' })).toEqual(['defApiApi']);
		expect(visibleCredentials(description, { provider: 'miniMax' })).toEqual(['miniMaxApi']);
		expect(visibleCredentials(description, { provider: 'nalitek' })).toEqual(['nalitekApi']);
	});
});

describe('Wait Mode', () => {
	/** "resource.operation" pairs where a node offers Wait Mode. */
	const offered = (node: INodeType) =>
		operationsOf(node.description)
			.filter(({ resource, operation }) =>
				visible(node.description, {
					resource: resource.value,
					operation: operation.value,
				} as INodeParameters).includes('waitMode'),
			)
			.map(({ resource, operation }) => `${String(resource.value)}.${String(operation.value)}`);

	it('is offered where a task is created and waited for, by every node', () => {
		expect(
			Object.fromEntries(ACTION_NODES.map(([folder, node]) => [folder, offered(node)])),
		).toEqual({
			GenApi: ['image.generate', 'network.generate'],
			Gptunnel: ['media.generate'],
			DefApi: ['image.generate'],
			MiniMax: ['video.generate'],
			Nalitek: ['image.generate', 'image.upscale'],
		});
	});

	it('defaults to Poll; the modes that pause say what they need (WEBHOOK_URL) and what a timeout gives', () => {
		const calledBack = ['GenApi', 'DefApi', 'Nalitek'];
		for (const [folder, node] of ACTION_NODES) {
			const [first] = offered(node);
			const [resource, operation] = first.split('.');
			const waitMode = node.description.properties.find((p) => p.name === 'waitMode')!;
			expect(waitMode.default).toBe('poll');
			// Provider Callback only where the provider can call a paused execution back.
			expect((waitMode.options as INodePropertyOptions[]).map((o) => o.name)).toEqual([
				'Poll',
				'Poll in the Background',
				...(calledBack.includes(folder) ? ['Provider Callback'] : []),
			]);
			const shown = visible(node.description, { resource, operation } as INodeParameters);
			expect(shown).not.toContain('callbackNotice');
			expect(shown).not.toContain('backgroundNotice');
			const noticeFor = (waitMode: string, name: string) =>
				node.description.properties.find(
					(p) =>
						p.name === name &&
						visible(node.description, {
							resource,
							operation,
							waitMode,
						} as INodeParameters).includes(p.name),
				);
			expect(`${folder}: ${noticeFor('background', 'backgroundNotice')?.displayName}`).toMatch(
				/webhook process in queue mode.*any worker.*WEBHOOK_URL.*"timeout".*Wait for Task/,
			);
			if (!calledBack.includes(folder)) continue;
			expect(`${folder}: ${noticeFor('callback', 'callbackNotice')?.displayName}`).toMatch(
				/WEBHOOK_URL.*"timeout".*Wait for Task/,
			);
		}
	});

	it('nodes that offer it resume parked executions through their own webhook, which no workflow activates', () => {
		for (const [folder, node] of ACTION_NODES) {
			const offers = offered(node).length > 0;
			expect(`${folder}: ${typeof node.webhook}`).toBe(
				`${folder}: ${offers ? 'function' : 'undefined'}`,
			);
			if (!offers) continue;
			expect(node.description.webhooks).toEqual([
				expect.objectContaining({
					path: '={{ $nodeId }}',
					restartWebhook: true,
					responseData: '',
				}),
			]);
		}
	});

	it('MiniMax says why it waits by polling, and what to use instead', () => {
		const { description } = NODES.MiniMax;
		const shown = visible(description, {
			resource: 'video',
			operation: 'generate',
		} as INodeParameters);
		const notice = description.properties.find((p) => p.name === 'pollingNotice')!;
		expect(shown).toContain('pollingNotice');
		expect(notice.displayName).toMatch(/challenge.*in the background.*AI Media Trigger/);
	});
});

describe('as an AI Agent tool', () => {
	// n8n runs a node as a tool under its name plus "Tool", and gives the model the description it
	// reads from the node's parameters (NodeHelpers.getToolDescriptionForNode).
	const asTool = (description: INodeTypeDescription): INodeTypeDescription => ({
		...description,
		name: `${description.name}Tool`,
	});
	const WAITS = ['generate', 'imageToImage', 'upscale', 'waitForTask'];

	it.each(ACTION_NODES)(
		'%s: every operation tells the model what it does and what comes back, on the tool only',
		(folder, node) => {
			const tool = asTool(node.description);
			const problems: string[] = [];
			for (const { resource, operation } of operationsOf(node.description)) {
				const key = `${folder} ${String(resource.value)}.${String(operation.value)}`;
				const values = { resource: resource.value, operation: operation.value } as INodeParameters;
				if (visible(node.description, values).includes('toolDescription'))
					problems.push(`${key}: the tool description shows on the node itself`);
				if (visible(tool, values).filter((name) => name === 'toolDescription').length !== 1)
					problems.push(`${key}: not exactly one tool description on the tool`);
				const parameters =
					NodeHelpers.getNodeParameters(tool.properties, values, true, false, null, tool) ?? {};
				const text = NodeHelpers.getToolDescriptionForNode(
					{ parameters, name: key, type: tool.name, typeVersion: 1 } as never,
					{ description: tool } as INodeType,
				);
				if (text.length < 60) problems.push(`${key}: "${text}" says too little`);
				if (!text.includes(node.description.displayName.split(' ')[0]))
					problems.push(`${key}: "${text}" does not name the provider`);
				if (WAITS.includes(String(operation.value)) && resource.value !== 'batch') {
					for (const needed of [/temporary link/, /taskId/, /"Wait for Task"/, /"error"/])
						if (!needed.test(text)) problems.push(`${key}: "${text}" lacks ${String(needed)}`);
				}
			}
			expect(problems).toEqual([]);
		},
	);
});
