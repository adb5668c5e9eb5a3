'use strict';
/**
 * A local HTTP service on 127.0.0.1 standing in for the systems a workflow talks to (a CRM, a shop):
 * it records every request and answers with `answer(request)` = { status, body, delayMs }.
 * close() ends it, dropping requests still being answered.
 */
const http = require('node:http');

async function startService(answer) {
	const received = [];
	const sockets = new Set();
	const timers = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const request = { method: req.method, url: req.url, body: raw ? JSON.parse(raw) : undefined, time: Date.now() };
			received.push(request);
			const { status = 200, body = {}, delayMs = 0 } = answer(request);
			const send = () => {
				if (res.destroyed) return;
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (delayMs > 0) {
				const timer = setTimeout(() => {
					timers.delete(timer);
					send();
				}, delayMs);
				timers.add(timer);
			} else {
				send();
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		async close() {
			for (const timer of timers) clearTimeout(timer);
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { startService };
