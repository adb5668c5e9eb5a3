'use strict';
/**
 * Issue 9, item 2: Request Options > Timeout is a deadline for the whole answer, headers and body.
 * An answer whose headers come at once and whose body trickles in, headers followed by silence,
 * and headers trickled a line at a time all end at the deadline with the timeout message, and the
 * connection is closed then (the server sees it go). None is retried: the call may have been placed.
 */
const { useServers, maskCall, eventually, placed, WHAT, CHECK_RECORDS } = require('./support');

const TIMEOUT_MESSAGE = `No answer from Piopiy within 1 second for ${WHAT}`;

/** Writes `text` a piece at a time, every `everyMs`, until the connection goes (bounded by the text). */
function trickle(socketLike, text, everyMs) {
	let at = 0;
	const timer = setInterval(() => {
		if (at >= text.length || socketLike.destroyed || socketLike.writableEnded) {
			clearInterval(timer);
			if (at >= text.length && !socketLike.destroyed) socketLike.end();
			return;
		}
		socketLike.write(text[at++]);
	}, everyMs);
	socketLike.on('close', () => clearInterval(timer));
}

function expectTimedOut(result, server) {
	const { item, ms } = result;
	expect(item.request_id).toBeUndefined();
	expect(item.error).toBe(TIMEOUT_MESSAGE);
	expect(item.details).toMatchObject({ networkCode: 'ETIMEDOUT', mayHaveBeenPlaced: true });
	expect(item.details.description).toContain(CHECK_RECORDS);
	// The deadline, not the end of the trickle (about 30 s away): 1 s plus the engine's own time.
	expect(ms).toBeGreaterThanOrEqual(950);
	expect(ms).toBeLessThan(3000);
	// Sent once, never retried.
	expect(server.requests).toHaveLength(1);
}

describe('the timeout covers the whole answer', () => {
	const server = useServers();

	test('headers at once, then the body one byte every 300 ms: the timeout message at 1 s, and the connection closed', async () => {
		const body = JSON.stringify(placed('trickled-success'));
		const piopiy = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
			trickle(res, body, 300);
		});
		expectTimedOut(await maskCall(piopiy.url, { requestOptions: { timeout: 1 } }), piopiy);
		expect(await eventually(() => piopiy.openConnections() === 0, 1000)).toBe(true);
	});

	test('headers, then silence: the timeout message, not "connection broke"', async () => {
		const piopiy = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"request_id": ');
		});
		expectTimedOut(await maskCall(piopiy.url, { requestOptions: { timeout: 1 } }), piopiy);
		expect(await eventually(() => piopiy.openConnections() === 0, 1000)).toBe(true);
	});

	test('the status line, then the headers one byte every 200 ms: the timeout message at 1 s', async () => {
		const body = JSON.stringify(placed('slow-headers'));
		const piopiy = await server((req) => {
			const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: ${'x'.repeat(100)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
			trickle(req.socket, head, 200);
		});
		expectTimedOut(await maskCall(piopiy.url, { requestOptions: { timeout: 1 } }), piopiy);
	});

	test('nothing at all: the timeout message at 1 s', async () => {
		const piopiy = await server(() => {});
		expectTimedOut(await maskCall(piopiy.url, { requestOptions: { timeout: 1 } }), piopiy);
	});

	test('a slow but complete answer inside the deadline is a success', async () => {
		const body = JSON.stringify(placed('slow-but-in-time'));
		const piopiy = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
			trickle(res, body, 5);
		});
		const { item } = await maskCall(piopiy.url, { requestOptions: { timeout: 2 } });
		expect(item).toMatchObject({ request_id: 'slow-but-in-time', cmi_code: 200 });
	});
});
