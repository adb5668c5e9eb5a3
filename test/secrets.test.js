'use strict';
/**
 * Issue 3: the App Secret, the App ID (never needed in anything the node hands back) and the
 * credential's other secrets appear nowhere in a run's output items, error messages, descriptions
 * or the JSON of the whole run data, whatever Piopiy or the network does: every fault of the fault
 * tests, plus answers that echo the request (and so the credential) back, as some APIs and proxies do.
 */
const net = require('node:net');
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { notRetriedFaults, piopiyBody } = require('./harness/faults');
const { APP_ID, APP_SECRET, WEBHOOK_TOKEN } = require('./harness/constants');

const AGENT = 919999999999;
const MASK = {
	operation: 'maskCall',
	agentNumber: String(AGENT),
	callerId: '918000000000',
	customerNumbers: '={{ $json.phone }}',
};
const items = Array.from({ length: 10 }, (_, i) => ({ phone: String(917600000000 + i) }));
const hit = (index) => index % 3 === 1;

/** Everything a person or a later node can see of a run. */
function expectNoSecret(run) {
	const texts = [JSON.stringify(run.run ?? null), JSON.stringify(run.items), JSON.stringify(run.errorItems)];
	if (run.nodeError) texts.push(run.nodeError.message, String(run.nodeError.description), JSON.stringify(run.nodeError));
	if (run.error) texts.push(run.error.message, String(run.error.description));
	for (const text of texts) {
		expect(text).not.toContain(APP_SECRET);
		expect(text).not.toContain(String(APP_ID));
		expect(text).not.toContain(WEBHOOK_TOKEN);
	}
}

/** Answers that hand the request, and so the credential, back. */
const ECHOES = [
	['an error body echoing the request', { status: 422, body: (r) => ({ ...piopiyBody(422, `Invalid request ${r.rawBody}`), request: r.body }) }],
	['an error inside HTTP 200 echoing the request', { status: 200, body: (r) => ({ ...piopiyBody(401, `bad appid ${r.body.appid} or secret ${r.body.secret}`) }) }],
	['a 500 echoing the raw body as text', { status: 500, raw: (r) => `Internal error while parsing ${r.rawBody}`, headers: { 'content-type': 'text/plain' } }],
	['an HTML page echoing the body', { status: 502, raw: (r) => `<html><body><pre>${r.rawBody}</pre></body></html>` }],
	// With no retries allowed, so the echoing 429 itself becomes the item's error.
	['a 429 echoing the credential', { status: 429, body: (r) => ({ ...piopiyBody(429, `slow down, app ${r.body.appid}`), app_secret: r.body.secret }) }, { rateLimitRetries: 0 }],
	[
		'a success that echoes the request in its body',
		{
			status: 200,
			body: (r) => ({
				data: { status: 'progress', request: r.body, note: `for ${r.body.appid}/${r.body.secret}` },
				status: 'progress',
				request_id: `echo-${r.body.pcmo[0].connect[0].number}`,
				cmi_code: 200,
				Secret: r.body.secret,
				AppId: r.body.appid,
			}),
		},
	],
];

function run(fixture, onError, requestOptions = { rateLimitRetries: 1, retryWait: 10, timeout: 1 }) {
	return runPiopiy({
		url: fixture.url,
		parameters: { ...MASK, requestOptions },
		items,
		onError,
		credentials: { webhookToken: WEBHOOK_TOKEN },
	});
}

describe.each(['http', 'body'])('Piopiy reporting errors as %s: no secret in any run', (errorStyle) => {
	const fixture = useSimulator({ errorStyle });
	const faults = [
		...notRetriedFaults(`the call to ${AGENT}`).map(([name, fault]) => [name, fault]),
		['HTTP 429 with Retry-After', { status: 429, body: piopiyBody(429, 'Too many requests'), headers: { 'retry-after': '0' } }],
		['HTTP 429 without Retry-After', { status: 429, body: piopiyBody(429, 'Too many requests') }],
		['a response slower than the timeout', { delayMs: 1300 }],
		...ECHOES,
		// Every row the same length: jest takes a test function with more parameters than its row for
		// one that waits for a done() callback.
	].map(([name, fault, requestOptions = {}]) => [name, fault, requestOptions]);

	test.each(faults)('%s', async (_name, fault, requestOptions) => {
		const options = { rateLimitRetries: 1, retryWait: 10, timeout: 1, ...requestOptions };
		// The simulator really got the credential: there was something to leak.
		fixture.sim.setFaults(({ index }) => (hit(index) ? fault : undefined));
		const continued = await run(fixture, 'continueRegularOutput', options);
		expect(continued.items).toHaveLength(items.length);
		expect(fixture.sim.requests[0].body.secret).toBe(APP_SECRET);
		expectNoSecret(continued);

		fixture.sim.reset();
		fixture.sim.setFaults(({ index }) => (hit(index) ? fault : undefined));
		const errorOutput = await run(fixture, 'continueErrorOutput', options);
		expectNoSecret(errorOutput);

		fixture.sim.reset();
		fixture.sim.setFaults(({ index }) => (hit(index) ? fault : undefined));
		expectNoSecret(await run(fixture, undefined, options));
	});

	test('a success that echoes the credential keeps the rest of its answer as received', async () => {
		fixture.sim.setFaults(() => ECHOES.at(-1)[1]);
		const result = await run(fixture, 'continueRegularOutput');
		const [first] = result.items;
		expect(first.json).toMatchObject({
			status: 'progress',
			request_id: 'echo-917600000000',
			cmi_code: 200,
			Secret: '[redacted]',
			AppId: '[redacted]',
			data: { note: 'for [redacted]/[redacted]', request: { appid: '[redacted]', secret: '[redacted]', to: AGENT } },
		});
		expect(first.json.data.request.pcmo[0].connect[0].number).toBe(917600000000);
		expectNoSecret(result);
	});
});

describe('no secret when nothing answers', () => {
	test('connection refused', async () => {
		const server = net.createServer();
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address();
		await new Promise((resolve) => server.close(resolve));
		for (const onError of ['continueRegularOutput', undefined]) {
			const result = await runPiopiy({
				url: `http://127.0.0.1:${port}`,
				parameters: { ...MASK, requestOptions: { rateLimitRetries: 1, retryWait: 10 } },
				items,
				onError,
				credentials: { webhookToken: WEBHOOK_TOKEN },
			});
			expectNoSecret(result);
		}
	});
});

/**
 * Issue 10: the API Token of a v3 credential goes only into the Authorization header. It appears in
 * no output item, error, description, run data or log line, whatever Piopiy echoes back: the
 * header, the whole request, or the token inside an error text. n8n's own log lines (LoggerProxy,
 * which the engine writes to as it runs each node) are captured and searched as well.
 */
describe('API Token (v3): no token in any run or log', () => {
	const { LoggerProxy } = require('n8n-workflow');
	const { piopiyPackage } = require('./harness/piopiy');
	const { API_TOKEN, useV3Simulator, runPiopiyV3 } = require('./harness/v3');
	const fixture = useV3Simulator();
	const logged = [];

	beforeAll(async () => {
		await piopiyPackage();
		const keep = (level) => (message, meta) => logged.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
		LoggerProxy.init({ error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug'), verbose: keep('verbose') });
	});

	/** Answers that hand the token back in every way it could be. */
	const TOKEN_ECHOES = [
		['a 401 naming the token', { status: 401, body: (r) => ({ error: 'invalid_token', message: `Invalid API token ${r.headers.authorization}` }) }],
		['a 403 echoing the headers', { status: 403, body: (r) => ({ error: 'app_not_active', headers: r.headers }) }],
		['an error inside HTTP 200 echoing the token', { status: 200, body: (r) => ({ error: 'invalid_token', token: r.headers.authorization.slice(7) }) }],
		['a 400 echoing the request', { status: 400, body: (r) => ({ error: 'invalid_request', message: `bad ${r.rawBody}`, request: r.body, auth: r.headers.authorization }) }],
		['a 500 echoing the raw header as text', { status: 500, raw: (r) => `Internal error for ${r.headers.authorization}`, headers: { 'content-type': 'text/plain' } }],
		['a 429 echoing the token', { status: 429, body: (r) => ({ error: 'rate_limited', message: `slow down ${r.headers.authorization}` }) }],
		['a success echoing the token and the request', { status: 200, placeCall: true, body: (r) => ({ message: 'call_queued', echo: { headers: r.headers, body: r.body }, note: `for ${r.headers.authorization}` }) }],
	];

	function expectNoToken(run) {
		const texts = [JSON.stringify(run.run ?? null), JSON.stringify(run.items), JSON.stringify(run.errorItems), logged.join('\n')];
		if (run.nodeError) texts.push(run.nodeError.message, String(run.nodeError.description), JSON.stringify(run.nodeError));
		for (const text of texts) {
			expect(text).not.toContain(API_TOKEN);
			expect(text).not.toContain(String(APP_ID));
			expect(text).not.toContain(WEBHOOK_TOKEN);
		}
	}

	test.each(TOKEN_ECHOES)('%s', async (_name, fault) => {
		for (const onError of ['continueRegularOutput', 'continueErrorOutput', undefined]) {
			logged.length = 0;
			fixture.sim.reset();
			fixture.sim.setFaults(({ index }) => (hit(index) ? fault : undefined));
			const result = await runPiopiyV3({
				url: fixture.url,
				parameters: { ...MASK, requestOptions: { rateLimitRetries: 0, timeout: 2 } },
				items,
				onError,
				credentials: { webhookToken: WEBHOOK_TOKEN },
			});
			// There was something to leak: the token went out in the header, and n8n logged the run.
			expect(fixture.sim.requests[0].headers.authorization).toBe(`Bearer ${API_TOKEN}`);
			expect(logged.length).toBeGreaterThan(0);
			expectNoToken(result);
		}
	});

	test('a success echoing the token keeps the rest of its answer, the token replaced', async () => {
		fixture.sim.setFaults(() => TOKEN_ECHOES.at(-1)[1]);
		const result = await runPiopiyV3({ url: fixture.url, parameters: MASK, items: items.slice(0, 1) });
		expect(result.items[0].json).toMatchObject({
			message: 'call_queued',
			note: 'for Bearer [redacted]',
			echo: { headers: { authorization: 'Bearer [redacted]' }, body: { app_id: '[redacted]', to_number: String(AGENT) } },
		});
		expectNoToken(result);
	});

	test('a credential whose token has spaces around it: the token sent and redacted without them', async () => {
		fixture.sim.setFaults(() => TOKEN_ECHOES[0][1]);
		const result = await runPiopiyV3({ url: fixture.url, parameters: MASK, items: items.slice(0, 1), onError: 'continueRegularOutput', credentials: { apiToken: ` ${API_TOKEN}\n` } });
		expect(fixture.sim.requests[0].headers.authorization).toBe(`Bearer ${API_TOKEN}`);
		expect(result.items[0].json.error).toBe('Piopiy rejected the API Token (HTTP 401: invalid_token: Invalid API token Bearer [redacted])');
		expectNoToken(result);
	});
});
