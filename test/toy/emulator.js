'use strict';
// The toy provider's emulator module: POST /toy/tickets → { ticket }, GET /toy/tickets/{id} →
// { state: waiting|done|broken, picture }, a callback to `hook` when done. "[broken]" in a prompt
// makes its ticket fail.
module.exports = function toy(emulator) {
	const tickets = new Map();
	let next = 1;
	const view = (ticket) => {
		if (emulator.now() - ticket.createdAt < emulator.config.taskMs)
			return { ticket: ticket.id, state: 'waiting' };
		if (ticket.broken) return { ticket: ticket.id, state: 'broken', reason: 'The toy broke' };
		return {
			ticket: ticket.id,
			state: 'done',
			picture: emulator.pictureUrl(`toy-${ticket.id}`, {
				prompt: ticket.prompt,
				width: 64,
				height: 64,
			}),
		};
	};
	return {
		reset: () => tickets.clear(),
		async handle(req, res, url, body, { send }) {
			if (!url.pathname.startsWith('/toy/')) return false;
			if (req.headers['x-toy-key'] !== 'toy-key') return send(res, 401, { message: 'no key' });
			if (req.method === 'POST' && url.pathname === '/toy/tickets') {
				const prompt = String(body.json?.prompt ?? '');
				const ticket = {
					id: `t${next++}`,
					prompt,
					broken: prompt.includes('[broken]'),
					createdAt: emulator.now(),
				};
				tickets.set(ticket.id, ticket);
				emulator.countTask('toy', ticket.id, 'creates', { prompt });
				if (typeof body.json?.hook === 'string')
					emulator.later(emulator.config.taskMs + 5, () =>
						emulator.callback(body.json.hook, view(ticket)),
					);
				return send(res, 200, { ticket: ticket.id });
			}
			const read = /^\/toy\/tickets\/([^/]+)$/.exec(url.pathname);
			const ticket = read && tickets.get(decodeURIComponent(read[1]));
			if (req.method === 'GET' && ticket) {
				emulator.countTask('toy', ticket.id, 'reads');
				return send(res, 200, view(ticket));
			}
			return send(res, 404, { message: 'no such ticket' });
		},
	};
};
