'use strict';
/**
 * Issue 17, defect 1: an App Secret or API Token of any length works, every echo of it is
 * redacted, and no error carries it. The redactor once built one regular expression per encoded
 * form from the secret; from about 7,950 characters those no longer compiled ("Invalid regular
 * expression ... stack overflow"), every item failed before sending, and the error quoted the
 * pattern, and so the whole secret. Here each length is sent in full and echoed back in every
 * form (one form per item: a form of a 200,000-character secret is up to 420 KB), and the run is
 * searched for any piece of any form. The secrets are random text with the characters that change
 * under each encoding (`"`, `\`, `+`, `/`, `&`, `%`, a space, non-ASCII).
 */
const { runPiopiy } = require('../harness/piopiy');
const { APP_ID } = require('../harness/constants');
const { useServers, placed, sendJson, MASK, CUSTOMER, WHAT } = require('./support');
const { forms, requestForms, expectNoForm, seen } = require('./secret-forms');

const LENGTHS = [64, 8000, 50000, 200000];
const SECRET_CHARACTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\\+/ &%~-Äé€'];
/** What a header can carry: visible ASCII, `"` and `\` among it. */
const TOKEN_CHARACTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/="\\&%'];

/** `length` characters of `alphabet`, the same each run (a seeded generator), starting and ending with a letter. */
function randomText(length, alphabet) {
	let state = length;
	const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
	const chars = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]);
	chars[0] = 'K';
	chars[length - 1] = 'q';
	return chars.join('');
}

/** One Mask Call item per echo, each answered with the echo its request's place calls for. */
async function echoRun(server, { credentials, echoesOf, serverOptions, v3 = false }) {
	const count = echoesOf({ body: '', headers: {} }).length;
	const piopiy = await server((_req, res, request) => {
		const echo = echoesOf(request)[piopiy.requests.indexOf(request)];
		const body = v3 ? { message: 'call_queued', echo: `echo: ${echo} :end` } : placed(`echo-${piopiy.requests.indexOf(request)}`, { echo: `echo: ${echo} :end` });
		sendJson(res, 200, body);
	}, serverOptions);
	const base = v3 ? { apiVersion: 'v3', v3BaseUrl: `${piopiy.url}/v3` } : { baseUrl: piopiy.url };
	const run = await runPiopiy({
		url: piopiy.url,
		parameters: { ...MASK, customerNumbers: '={{ $json.phone }}', requestOptions: { timeout: 60 } },
		items: Array.from({ length: count }, (_, index) => ({ phone: String(CUSTOMER + index) })),
		credentials: { ...base, ...credentials },
		onError: 'continueRegularOutput',
	});
	return { piopiy, run, count };
}

/** Each output item: the answer as received, its echo replaced (and something replaced in it). */
function expectEchoesRedacted(run, count) {
	expect(run.items).toHaveLength(count);
	for (const { json } of run.items) {
		expect(json.error).toBeUndefined();
		expect(json.echo).toMatch(/^echo: .*\[redacted\].* :end$/s);
		// Nothing of a long form is left around the "[redacted]".
		expect(json.echo.length).toBeLessThan(1000);
	}
}

describe('a long App Secret (v2): sent in full, every echo of it redacted', () => {
	const server = useServers();

	test.each(LENGTHS)('%d characters', async (length) => {
		const secret = randomText(length, SECRET_CHARACTERS);
		const echoesOf = (request) => [...Object.values(forms(secret)), ...Object.values(requestForms(request))];
		const { piopiy, run, count } = await echoRun(server, { credentials: { appId: APP_ID, appSecret: secret }, echoesOf });

		expect(piopiy.requests).toHaveLength(count);
		for (const request of piopiy.requests) expect(JSON.parse(request.body).secret).toBe(secret);
		expectEchoesRedacted(run, count);
		expectNoForm(secret, seen(run), { sampled: true });
	});

	test.each(LENGTHS)('%d characters: an error echoing it, with On Error Stop, is worded as any refusal', async (length) => {
		const secret = randomText(length, SECRET_CHARACTERS);
		const piopiy = await server((_req, res) => sendJson(res, 422, { cmi_code: 422, message: `Invalid secret ${secret}`, hex: Buffer.from(secret).toString('hex') }));
		const result = await runPiopiy({
			url: piopiy.url,
			parameters: { ...MASK, requestOptions: { timeout: 60 } },
			credentials: { baseUrl: piopiy.url, appId: APP_ID, appSecret: secret },
		});
		expect(piopiy.requests).toHaveLength(1);
		expect(result.nodeError.message).toBe(`Piopiy refused ${WHAT} (HTTP 422, Piopiy code 422: Invalid secret [redacted])`);
		expect(JSON.stringify(result.nodeError).length).toBeLessThan(10000);
		expectNoForm(secret, [...seen(result), JSON.stringify(result.nodeError)], { sampled: true });
	});

	test('a secret of 1 character: sent, and a value equal to it redacted (ordinary text around it stays)', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('one', { exact: '%', inside: '100%' })));
		const result = await runPiopiy({ url: piopiy.url, parameters: MASK, credentials: { baseUrl: piopiy.url, appSecret: '%' }, onError: 'continueRegularOutput' });
		expect(JSON.parse(piopiy.requests[0].body).secret).toBe('%');
		expect(result.items[0].json).toMatchObject({ request_id: 'one', exact: '[redacted]', inside: '100%' });
	});
});

describe('a long API Token (v3): sent in full, every echo of it redacted', () => {
	const server = useServers();
	// Node's own server takes 16 KB of headers by default; Piopiy's limit is not documented.
	const serverOptions = { maxHeaderSize: 1024 * 1024 };

	test.each(LENGTHS)('%d characters', async (length) => {
		const token = randomText(length, TOKEN_CHARACTERS);
		const echoesOf = (request) => [
			...Object.values(forms(token)),
			`${request.headers.authorization}`,
			Buffer.from(`Authorization: ${request.headers.authorization}`).toString('base64'),
			encodeURIComponent(JSON.stringify(request.headers)),
		];
		const { piopiy, run, count } = await echoRun(server, { credentials: { apiToken: token }, echoesOf, serverOptions, v3: true });

		expect(piopiy.requests).toHaveLength(count);
		for (const request of piopiy.requests) expect(request.headers.authorization).toBe(`Bearer ${token}`);
		expectEchoesRedacted(run, count);
		expectNoForm(token, seen(run), { sampled: true });
	});

	test('a token of 1 character: sent, and a value equal to it redacted', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, { message: 'call_queued', token: 'Z', note: 'Zoe' }));
		const result = await runPiopiy({
			url: piopiy.url,
			parameters: MASK,
			credentials: { apiVersion: 'v3', v3BaseUrl: `${piopiy.url}/v3`, apiToken: 'Z' },
			onError: 'continueRegularOutput',
		});
		expect(piopiy.requests[0].headers.authorization).toBe('Bearer Z');
		expect(result.items[0].json).toEqual({ message: 'call_queued', token: '[redacted]', note: 'Zoe' });
	});
});
