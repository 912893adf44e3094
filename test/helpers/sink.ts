/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// A server on 127.0.0.1 that keeps the JSON bodies posted to it: the receiving end of provider
// callbacks in node tests.
import http from 'http';
import type { AddressInfo } from 'net';

import type { IDataObject } from 'n8n-workflow';

export interface JsonSink {
	/** The URL of `path` on the sink. */
	url(path?: string): string;
	received: IDataObject[];
	close(): void;
}

export async function startJsonSink(): Promise<JsonSink> {
	const received: IDataObject[] = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (part) => (text += part));
		req.on('end', () => {
			received.push(JSON.parse(text) as IDataObject);
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
		received,
		close: () => server.close(),
	};
}
