'use strict';
/**
 * Issue 9, item 4: "nothing was sent" and "may have been placed" are told apart by what happened.
 * A Base URL that is not an http(s) address, a TLS handshake that fails, and values JSON cannot
 * carry (Extra Params nested thousands deep, a BigInt, an object that contains itself) all fail
 * before any byte of the request has left: the error says nothing was sent, and a server listening
 * where the request would have gone sees no request at all.
 */
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');

const { runPiopiy } = require('../harness/piopiy');
const { useServers, maskCall, placed, sendJson, WHAT } = require('./support');

const NOTHING_SENT = /^Nothing was sent, so no call was placed and the item can safely be run again\./;

describe('a Base URL that is not a web address: refused before sending', () => {
	const server = useServers();

	test.each([
		['htps://127.0.0.1:PORT', 'is not an https:// or http:// address'],
		['ftp://127.0.0.1:PORT', 'is not an https:// or http:// address'],
		['file:///etc/passwd', 'is not an https:// or http:// address'],
		['http//127.0.0.1:PORT', 'is not an https:// or http:// address'],
		['http://', 'is not an https:// or http:// address'],
		// A query with a value is quoted without it (url-quoting.test.js); the refusal is the same.
		['http://127.0.0.1:PORT/?', 'has a "?" or "#" part, which a base URL cannot have (the request\'s path is added at its end)'],
	])('%s', async (pattern, why) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const baseUrl = pattern.replace('PORT', String(piopiy.port));
		const { item } = await maskCall(piopiy.url, { credentials: { baseUrl } });

		expect(item.error).toBe(`Invalid Base URL in the Piopiy API credential: ${JSON.stringify(baseUrl)} ${why}`);
		expect(item.details).toEqual({
			description:
				"Nothing was sent, so no call was placed. Set the Base URL to Piopiy's address (https://rest.telecmi.com) or your proxy's, then run the item again.",
			mayHaveBeenPlaced: false,
			itemIndex: 0,
		});
		expect(piopiy.requests).toHaveLength(0);
		expect(piopiy.closedConnections() + piopiy.openConnections()).toBe(0);
	});

	test('a Base URL with spaces around it and a trailing slash is still the address it names', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('tidy')));
		const { item } = await maskCall(piopiy.url, { credentials: { baseUrl: `  ${piopiy.url}/ ` } });
		expect(item.request_id).toBe('tidy');
		expect(piopiy.requests.map((r) => r.url)).toEqual(['/v2/ind_pcmo_make_call']);
	});

	test('the Call Control Base URL is checked the same way (Hang Up Call)', async () => {
		const run = await runPiopiy({
			url: 'http://127.0.0.1:9',
			parameters: { operation: 'hangUpCall', callId: 'c0ffee00-1111-4222-8333-444455556666' },
			credentials: { callControlBaseUrl: 'ws://piopiy.telecmi.com' },
			onError: 'continueRegularOutput',
		});
		expect(run.items[0].json.error).toBe('Invalid Call Control Base URL in the Piopiy API credential: "ws://piopiy.telecmi.com" is not an https:// or http:// address');
		expect(run.items[0].json.details.description).toMatch(/Set the Call Control Base URL to Piopiy's address \(https:\/\/piopiy\.telecmi\.com\)/);
	});

	// fixtures/self-signed.key and .crt: a throwaway certificate for 127.0.0.1, made for this test
	// (openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=127.0.0.1); it secures nothing.
	test('https:// to a server whose certificate is not trusted: the TLS handshake fails, nothing was sent', async () => {
		const requests = [];
		const tls = https.createServer(
			{ key: fs.readFileSync(path.join(__dirname, 'fixtures', 'self-signed.key')), cert: fs.readFileSync(path.join(__dirname, 'fixtures', 'self-signed.crt')) },
			(req, res) => {
				requests.push(req.url);
				sendJson(res, 200, placed());
			},
		);
		await new Promise((resolve) => tls.listen(0, '127.0.0.1', resolve));
		try {
			const { item } = await maskCall('unused', { credentials: { baseUrl: `https://127.0.0.1:${tls.address().port}` } });
			expect(item.error).toBe(`Could not connect to Piopiy for ${WHAT} (DEPTH_ZERO_SELF_SIGNED_CERT)`);
			expect(item.details).toMatchObject({ networkCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', mayHaveBeenPlaced: false });
			expect(item.details.description).toMatch(NOTHING_SENT);
			expect(requests).toHaveLength(0);
		} finally {
			tls.closeAllConnections();
			await new Promise((resolve) => tls.close(resolve));
		}
	});
});

describe('Extra Params JSON cannot carry: refused before sending, with the reason', () => {
	const server = useServers();

	function nestedText(levels) {
		return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
	}

	test.each([
		['nested 5,000 levels deep', nestedText(5000), 'is nested more than 32 levels deep; at most 32 levels are sent with a call'],
		['nested 100,000 levels deep', nestedText(100000), 'is nested more than 32 levels deep; at most 32 levels are sent with a call'],
		['nested 33 levels deep', nestedText(33), 'is nested more than 32 levels deep; at most 32 levels are sent with a call'],
	])('%s', async (_name, extraParams, why) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { item } = await maskCall(piopiy.url, { parameters: { options: { extraParams } } });
		expect(item.error).toBe(`Invalid Options > Extra Params in item 0: ${JSON.stringify(extraParams).slice(0, 77)}... ${why}`);
		expect(item.details.description).toMatch(/^No request was sent to Piopiy for item 0\./);
		expect(piopiy.requests).toHaveLength(0);
	});

	test('32 levels are sent as they are', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('deep-enough')));
		const { item } = await maskCall(piopiy.url, { parameters: { options: { extraParams: nestedText(32) } } });
		expect(item.request_id).toBe('deep-enough');
		expect(JSON.parse(piopiy.requests[0].body).extra_params).toEqual(JSON.parse(nestedText(32)));
	});

	test('a BigInt and an object that contains itself, from expressions', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const bigint = await maskCall(piopiy.url, { parameters: { options: { extraParams: '={{ { id: BigInt(12) } }}' } } });
		// n8n's runtime gives BigInt a toJSON (it would go out as the text "12"): refused all the same.
		expect(bigint.item.error).toBe(
			'Invalid Options > Extra Params in item 0: {"id":"12"} holds a BigInt (12n), which JSON cannot carry: turn it into text or a number first',
		);
		// n8n's expression engine itself refuses an object that contains itself.
		const cycle = await maskCall(piopiy.url, {
			parameters: { options: { extraParams: '={{ (() => { const crm = { id: "L-1" }; crm.self = crm; return crm; })() }}' } },
		});
		expect(cycle.item.error).toMatch(/^Invalid Options in item 0: its expression failed/);
		expect(piopiy.requests).toHaveLength(0);
	});

	test('the Extra Params check itself, for values an expression engine could hand over', () => {
		const { jsonObject } = require('../../dist/nodes/shared/values');
		const crm = { id: 'L-1', nested: { list: [] } };
		crm.nested.list.push(crm);
		expect(jsonObject.safeParse(crm).error.issues[0].message).toBe('an object contains itself, which JSON cannot carry');
		expect(jsonObject.safeParse({ a: [1, 2n] }).error.issues[0].message).toMatch(/^.* holds a BigInt \(2n\), which JSON cannot carry/);
		// The same object twice, side by side, is no cycle.
		const shared = { id: 1 };
		expect(jsonObject.safeParse({ first: shared, second: shared }).data).toEqual({ first: { id: 1 }, second: { id: 1 } });
	});
});
