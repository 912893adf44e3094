'use strict';
// A stand-in for an OpenAI-compatible chat model on 127.0.0.1, for n8n's AI Agent: it calls a
// tool with the user's message as the prompt, follows a "timeout" answer with the wait tool when
// the agent has one, and then answers with what the tool returned. Every request is kept, so a
// test reads the tool schema and the tool results exactly as the model received them.

const http = require('http');

function readJson(req) {
	return new Promise((resolve, reject) => {
		const parts = [];
		req.on('data', (part) => parts.push(part));
		req.on('end', () => {
			try {
				resolve(JSON.parse(Buffer.concat(parts).toString('utf8') || '{}'));
			} catch (error) {
				reject(error);
			}
		});
		req.on('error', reject);
	});
}

const text = (content) =>
	typeof content === 'string'
		? content
		: Array.isArray(content)
			? content.map((part) => part.text ?? '').join('')
			: '';

/** Arguments for a tool from its JSON schema: the user's words for `prompt`, defaults elsewhere. */
function argumentsFor(tool, userText, taskId) {
	const properties = tool.function.parameters?.properties ?? {};
	const args = {};
	for (const [name, schema] of Object.entries(properties)) {
		if (name === 'prompt') args[name] = userText;
		else if (name === 'taskId') args[name] = String(taskId ?? '');
		else if (schema.type === 'number' || schema.type === 'integer')
			args[name] = schema.default ?? 1024;
		else if (schema.type === 'boolean') args[name] = false;
		else args[name] = schema.default ?? '';
	}
	return args;
}

/** The model's next message for a conversation: a tool call, or the final answer. */
function reply(body, calls) {
	const messages = body.messages ?? [];
	const tools = body.tools ?? [];
	const last = messages[messages.length - 1] ?? {};
	const userText = text([...messages].reverse().find((m) => m.role === 'user')?.content);
	const generate = tools.find((tool) => !/wait/i.test(tool.function.name)) ?? tools[0];
	const waitTool = tools.find((tool) => /wait/i.test(tool.function.name));
	const call = (tool, args) => {
		const id = `call_${++calls.count}`;
		return {
			role: 'assistant',
			content: null,
			tool_calls: [
				{
					id,
					type: 'function',
					function: { name: tool.function.name, arguments: JSON.stringify(args) },
				},
			],
		};
	};
	if (last.role !== 'tool') {
		if (!generate) return { role: 'assistant', content: 'I have no tool for that.' };
		return call(generate, argumentsFor(generate, userText));
	}
	const result = text(last.content);
	let answer;
	try {
		answer = JSON.parse(result);
	} catch {
		answer = undefined;
	}
	const first = Array.isArray(answer) ? answer[0] : answer;
	const waited = messages.some((m) =>
		(m.tool_calls ?? []).some((c) => waitTool && c.function.name === waitTool.function.name),
	);
	if (first?.status === 'timeout' && first.taskId && waitTool && !waited)
		return call(waitTool, argumentsFor(waitTool, userText, first.taskId));
	return { role: 'assistant', content: `The tool answered: ${result}` };
}

function completion(body, message) {
	return {
		id: `chatcmpl-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'fake-model',
		choices: [
			{
				index: 0,
				message,
				finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as server-sent events, for a client that asked for a stream. */
function streamed(res, body, message) {
	const base = {
		id: `chatcmpl-${Date.now()}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'fake-model',
	};
	const delta = message.tool_calls
		? {
				role: 'assistant',
				content: null,
				tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })),
			}
		: { role: 'assistant', content: message.content };
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	const send = (data) => res.write(`data: ${JSON.stringify(data)}\n\n`);
	send({ ...base, choices: [{ index: 0, delta, finish_reason: null }] });
	send({
		...base,
		choices: [{ index: 0, delta: {}, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	});
	res.end('data: [DONE]\n\n');
}

async function startFakeModel(port = 0) {
	const requests = [];
	const calls = { count: 0 };
	const server = http.createServer(async (req, res) => {
		try {
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				return res.end(
					JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] }),
				);
			}
			if (req.method === 'POST' && req.url.endsWith('/chat/completions')) {
				const body = await readJson(req);
				requests.push(body);
				const message = reply(body, calls);
				if (body.stream) return streamed(res, body, message);
				res.writeHead(200, { 'content-type': 'application/json' });
				return res.end(JSON.stringify(completion(body, message)));
			}
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
		} catch (error) {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: String(error) } }));
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const url = `http://127.0.0.1:${server.address().port}/v1`;
	return {
		url,
		requests,
		/** The tool results the model received, in order (their text, as sent). */
		toolResults: () =>
			requests.length
				? requests[requests.length - 1].messages
						.filter((m) => m.role === 'tool')
						.map((m) => text(m.content))
				: [],
		reset() {
			requests.length = 0;
		},
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { startFakeModel };
