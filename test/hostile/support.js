'use strict';
/**
 * The hostile Piopiy: HTTP servers on 127.0.0.1 that answer the node the way a broken network, a
 * misconfigured proxy or an attacker would (redirects, trickled or stalled answers, bombs, echoes
 * of the secret). Each records every request it gets and every connection it sees closed, and
 * close() ends every connection it still holds, so a test never leaves anything running.
 */
const http = require('node:http');

const { runPiopiy } = require('../harness/piopiy');

const AGENT = 919999999999;
const CUSTOMER = 917600000000;
const MASK = { operation: 'maskCall', agentNumber: String(AGENT), callerId: '918000000000', customerNumbers: String(CUSTOMER) };
const WHAT = `the call to ${AGENT}`;
const CHECK_RECORDS = 'The call may or may not have been placed. Do not simply run this item again';

/**
 * A server whose every request is answered by `handler(req, res, record)`, after the request body
 * has been read (record.body is its text). `options` go to http.createServer (maxHeaderSize, say).
 * @returns {Promise<{url, port, requests: object[], closedConnections: () => number, close: () => Promise<void>}>}
 */
async function hostileServer(handler, options = {}) {
	const requests = [];
	const sockets = new Set();
	let closed = 0;
	const server = http.createServer(options, (req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const record = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), time: Date.now() };
			requests.push(record);
			Promise.resolve(handler(req, res, record)).catch((error) => {
				res.destroy(error);
			});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => {
			sockets.delete(socket);
			closed++;
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		/** Connections that have ended (from either side). */
		closedConnections: () => closed,
		/** Connections still open. */
		openConnections: () => sockets.size,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** The servers a test starts, closed after it whatever happens. */
function useServers() {
	const started = [];
	afterEach(async () => {
		while (started.length) await started.pop().close();
	});
	return async (handler, options) => {
		const server = await hostileServer(handler, options);
		started.push(server);
		return server;
	};
}

/** Waits (bounded) until `check()` is true; returns whether it became true. */
async function eventually(check, ms = 2000) {
	const until = Date.now() + ms;
	while (!check()) {
		if (Date.now() > until) return false;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return true;
}

/** A Piopiy success body as the make-call endpoint answers it. */
function placed(requestId = 'hostile-request-1', extra = {}) {
	return { data: { status: 'progress' }, status: 'progress', request_id: requestId, cmi_code: 200, ...extra };
}

function sendJson(res, status, body, headers = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/**
 * One Mask Call item against `url` (On Error: Continue unless `onError` says otherwise); returns the
 * run, the output item's JSON, and how long the run took.
 */
async function maskCall(url, { requestOptions = { timeout: 1 }, credentials = {}, onError = 'continueRegularOutput', parameters = {} } = {}) {
	const started = Date.now();
	const run = await runPiopiy({
		url,
		parameters: { ...MASK, requestOptions, ...parameters },
		credentials: { baseUrl: url, ...credentials },
		onError,
	});
	return { run, item: run.items[0]?.json, ms: Date.now() - started };
}

module.exports = { hostileServer, useServers, eventually, placed, sendJson, maskCall, MASK, WHAT, AGENT, CUSTOMER, CHECK_RECORDS };
