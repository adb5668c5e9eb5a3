'use strict';
/**
 * Issue 9, item 1: a redirect is never followed. Whatever the status (301, 302, 303, 307, 308),
 * wherever it points (another host, the same URL, a relative path), exactly one request reaches
 * any server: the one the node sent. The error names the Location's host, and says whether the
 * call may have been placed: the request reached a server in full, so for a make-call it may.
 */
const { runPiopiy } = require('../harness/piopiy');
const { useServers, maskCall, placed, sendJson, WHAT, CHECK_RECORDS } = require('./support');

const REDIRECTS = [301, 302, 303, 307, 308];
const DESCRIPTION =
	/^The node never follows a redirect: it would send the request, App Secret included, wherever the answer points\..*Check the Base URL in the Piopiy API credential.*The request reached a server in full before the redirect came back, so it may have acted on it\. The call may or may not have been placed\. Do not simply run this item again/;

describe('redirects are errors, never followed', () => {
	const server = useServers();

	test.each(REDIRECTS)('HTTP %i to another host: one request in all, the other host gets nothing', async (status) => {
		const elsewhere = await server((_req, res) => sendJson(res, 200, placed('from-elsewhere')));
		const piopiy = await server((req, res) => {
			res.writeHead(status, { location: `${elsewhere.url}${req.url}` });
			res.end();
		});

		const { item } = await maskCall(piopiy.url);

		expect(piopiy.requests.map((r) => [r.method, r.url])).toEqual([['POST', '/v2/ind_pcmo_make_call']]);
		expect(elsewhere.requests).toHaveLength(0);
		expect(item.request_id).toBeUndefined();
		expect(item.error).toBe(`Piopiy answered ${WHAT} with a redirect to 127.0.0.1:${elsewhere.port} (HTTP ${status}), which the node does not follow`);
		expect(item.details).toMatchObject({ httpCode: String(status), mayHaveBeenPlaced: true, itemIndex: 0 });
		expect(item.details.description).toMatch(DESCRIPTION);
	});

	test.each(REDIRECTS)('HTTP %i back to the same URL (a loop): one request, not 22', async (status) => {
		const piopiy = await server((req, res) => {
			res.writeHead(status, { location: `http://127.0.0.1:${req.socket.localPort}${req.url}` });
			res.end();
		});
		const { item } = await maskCall(piopiy.url);
		expect(piopiy.requests).toHaveLength(1);
		expect(item.error).toBe(`Piopiy answered ${WHAT} with a redirect to 127.0.0.1:${piopiy.port} (HTTP ${status}), which the node does not follow`);
	});

	test('a relative Location and a host with a name: the host is named, nothing is sent there', async () => {
		const relative = await server((_req, res) => {
			res.writeHead(307, { location: '/v2/elsewhere' });
			res.end('moved');
		});
		const named = await server((_req, res) => {
			res.writeHead(308, { location: 'https://api.attacker.example:8443/steal?x=1' });
			res.end();
		});
		expect((await maskCall(relative.url)).item.error).toBe(
			`Piopiy answered ${WHAT} with a redirect to 127.0.0.1:${relative.port} (HTTP 307), which the node does not follow`,
		);
		expect((await maskCall(named.url)).item.error).toBe(
			`Piopiy answered ${WHAT} with a redirect to api.attacker.example:8443 (HTTP 308), which the node does not follow`,
		);
		expect([relative.requests.length, named.requests.length]).toEqual([1, 1]);
	});

	test('a 3xx without a Location is an error as well', async () => {
		const piopiy = await server((_req, res) => {
			res.writeHead(300, { 'content-type': 'text/plain' });
			res.end('choose');
		});
		const { item } = await maskCall(piopiy.url);
		expect(item.error).toBe(`Piopiy answered ${WHAT} with a redirect (HTTP 300) that names no address, which the node does not follow`);
		expect(item.details.mayHaveBeenPlaced).toBe(true);
	});

	test('a redirect with On Error: Stop stops the run with the same error', async () => {
		const piopiy = await server((req, res) => {
			res.writeHead(302, { location: `https://rest.telecmi.com${req.url}` });
			res.end();
		});
		const { run } = await maskCall(piopiy.url, { onError: 'stopWorkflow' });
		expect(run.nodeError.message).toBe(`Piopiy answered ${WHAT} with a redirect to rest.telecmi.com (HTTP 302), which the node does not follow`);
		expect(run.nodeError.description).toContain(CHECK_RECORDS);
		expect(piopiy.requests).toHaveLength(1);
	});

	test('a request that places no call (Hang Up Call): safe to run again', async () => {
		const elsewhere = await server((_req, res) => sendJson(res, 200, { status: 'success', cmi_code: 200 }));
		const piopiy = await server((req, res) => {
			res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
			res.end();
		});
		const run = await runPiopiy({
			url: piopiy.url,
			parameters: { operation: 'hangUpCall', callId: 'c0ffee00-1111-4222-8333-444455556666' },
			credentials: { callControlBaseUrl: piopiy.url },
			onError: 'continueRegularOutput',
		});
		const { json } = run.items[0];
		expect(json.error).toBe(
			`Piopiy answered hanging up the call c0ffee00-1111-4222-8333-444455556666 with a redirect to 127.0.0.1:${elsewhere.port} (HTTP 307), which the node does not follow`,
		);
		expect(json.details.mayHaveBeenPlaced).toBe(false);
		expect(json.details.description).toMatch(/Check the Call Control Base URL in the Piopiy API credential.*This request places no call, so the item can safely be run again/);
		expect([piopiy.requests.length, elsewhere.requests.length]).toEqual([1, 0]);
	});
});
