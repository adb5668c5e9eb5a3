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
