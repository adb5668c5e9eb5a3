'use strict';
/**
 * Issue 10: how the node talks to Piopiy's v3 API, in n8n's engine against the simulator. The
 * token goes as a Bearer header to the credential's V3 Base URL; the answer's JSON is the item
 * whatever it holds (v3's answers are not documented: no request_id or cmi_code is demanded);
 * errors are read from `error` and `message` with the HTTP status, and their hints name the API
 * Token and the V3 Base URL; the retry rules are v2's (429 and refused connections only, never a
 * call after a timeout or a 5xx). docs/piopiy-api.md section 7.7 says what is not documented.
 */
const net = require('node:net');
const { useV3Simulator, runPiopiyV3, API_TOKEN } = require('./harness/v3');

const AI = { operation: 'aiAgentCall', customerNumber: '919876543210', callerId: '918044000000', agentId: 'bdd32bcb-767c-40a5-be4a-5f45eeb348a6' };
const WHAT = 'the AI agent call to 919876543210';
const FAST = { rateLimitRetries: 2, retryWait: 10, timeout: 1 };

function run(fixture, { requestOptions = FAST, ...spec } = {}) {
	return runPiopiyV3({ url: fixture.url, parameters: { ...AI, requestOptions }, onError: 'continueRegularOutput', ...spec });
}

/** The one output item's error and details. */
function failureOf(result) {
	expect(result.items).toHaveLength(1);
	const { json } = result.items[0];
	expect(json.error).toEqual(expect.any(String));
	return json;
}

describe('v3 answers and failures reported over HTTP', () => {
	const fixture = useV3Simulator({ inactiveTokens: ['tok-of-a-paused-app'] });

	test('an accepted call: the item is the answer as received', async () => {
		const result = await run(fixture);
		expect(result.items).toEqual([{ json: { message: 'call_queued', call_id: fixture.sim.calls[0].call_id }, pairedItem: { item: 0 } }]);
		expect(fixture.sim.requests[0].path).toBe('/v3/voice/ai/call');
	});

	test('a wrong token: HTTP 401, the API Token named', async () => {
		const failure = failureOf(await run(fixture, { credentials: { apiToken: 'tok-wrong' } }));
		expect(failure.error).toBe('Piopiy rejected the API Token (HTTP 401: invalid_token: Invalid API token)');
		expect(failure.details).toMatchObject({
			description: 'Check the API Token in the Piopiy API credential: copy it again from the Piopiy dashboard, without spaces. No call was placed.',
			httpCode: '401',
			piopiyMessage: 'invalid_token: Invalid API token',
			mayHaveBeenPlaced: false,
		});
		expect(fixture.sim.requests).toHaveLength(1);
	});

	test("a token whose app is not active: HTTP 403, the token and its app named", async () => {
		const failure = failureOf(await run(fixture, { credentials: { apiToken: 'tok-of-a-paused-app' } }));
		expect(failure.error).toBe(`Piopiy refused the API Token for ${WHAT} (HTTP 403: app_not_active: The app of this token is not active)`);
		expect(failure.details.description).toBe(
			"Check the API Token in the Piopiy API credential, and that its app is active in the Piopiy dashboard. For calls that name the app, the credential's App ID must be that app's. No call was placed.",
		);
	});

	test('a V3 Base URL without /v3: no such endpoint, the field named', async () => {
		const failure = failureOf(await run(fixture, { credentials: { v3BaseUrl: fixture.url } }));
		expect(failure.error).toBe('Piopiy has no such endpoint (HTTP 404: Not found)');
		expect(failure.details.description).toBe(
			'Check the V3 Base URL in the Piopiy API credential: it should be https://rest.piopiy.com/v3 (with /v3) unless you use a proxy. No call was placed.',
		);
	});

	test.each([
		['HTTP 400 invalid_request', { status: 400, body: { error: 'invalid_request', message: 'to_number must match ^[1-9][0-9]{6,15}$.' } }, `Piopiy refused ${WHAT} (HTTP 400: invalid_request: to_number must match ^[1-9][0-9]{6,15}$.)`, false],
		['HTTP 500', { status: 500, body: { error: 'internal_error' } }, `Piopiy's server failed while handling ${WHAT} (HTTP 500: internal_error)`, true],
		['HTTP 503 with Retry-After (a 5xx is never retried)', { status: 503, body: { message: 'Service unavailable' }, headers: { 'retry-after': '0' } }, `Piopiy's server failed while handling ${WHAT} (HTTP 503: Service unavailable)`, true],
		['an HTML page with HTTP 200', { status: 200, raw: '<html><body>Gateway</body></html>' }, `Piopiy's answer for ${WHAT} could not be understood (HTTP 200, an HTML page instead of Piopiy’s JSON, usually from a proxy or gateway in between)`, true],
		['a response slower than the timeout', { delayMs: 1300 }, `No answer from Piopiy within 1 second for ${WHAT}`, true],
		['a connection reset after Piopiy read it', { drop: 'after-read' }, `The connection to Piopiy broke before it answered for ${WHAT} (ECONNRESET)`, true],
	])('%s: reported, never sent again', async (_name, fault, message, mayHaveBeenPlaced) => {
		fixture.sim.failNext(fault, 5);
		const failure = failureOf(await run(fixture));
		expect(failure.error).toBe(message);
		expect(failure.details.mayHaveBeenPlaced).toBe(mayHaveBeenPlaced);
		expect(fixture.sim.requests).toHaveLength(1);
		if (mayHaveBeenPlaced) expect(failure.details.description).toMatch(/The call may or may not have been placed\. Do not simply run this item again/);
		else expect(failure.details.description).toMatch(/no call was placed/i);
	});

	test('HTTP 429 twice, then accepted: sent again, one call placed, the answer is the item', async () => {
		fixture.sim.failNext({ status: 429, body: { error: 'rate_limited', message: 'Too many requests' }, headers: { 'retry-after': '0' } }, 2);
		const result = await run(fixture);
		expect(fixture.sim.requests).toHaveLength(3);
		expect(fixture.sim.calls).toHaveLength(1);
		expect(result.items[0].json).toEqual({ message: 'call_queued', call_id: fixture.sim.calls[0].call_id });
	});

	test('HTTP 429 more often than allowed: the rate limit reported, no call', async () => {
		fixture.sim.failNext({ status: 429, body: { error: 'rate_limited', message: 'Too many requests' }, headers: { 'retry-after': '0' } }, 5);
		const failure = failureOf(await run(fixture, { requestOptions: { ...FAST, rateLimitRetries: 1 } }));
		expect(failure.error).toBe(`Piopiy is limiting the request rate for ${WHAT} (HTTP 429: Too many requests)`);
		expect(failure.details.retries).toBe(1);
		expect(fixture.sim.calls).toHaveLength(0);
	});

	test('an answer of another shape is passed on as it is: no request_id or cmi_code demanded', async () => {
		fixture.sim.failNext({ status: 201, body: { status: 'accepted', data: { id: 'x-1' } }, placeCall: true });
		expect((await run(fixture)).items[0].json).toEqual({ status: 'accepted', data: { id: 'x-1' } });
	});

	test('an empty 2xx answer is accepted, as an empty item (what v3 answers is not documented)', async () => {
		fixture.sim.failNext({ status: 200, raw: '' , placeCall: true });
		const result = await run(fixture);
		expect(result.items).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
		expect(fixture.sim.calls).toHaveLength(1);
	});
});

describe('v3 failures reported inside an HTTP 200 answer', () => {
	const fixture = useV3Simulator({ errorStyle: 'body', inactiveTokens: ['tok-of-a-paused-app'] });

	test('a wrong token in a 200: still the API Token named', async () => {
		const failure = failureOf(await run(fixture, { credentials: { apiToken: 'tok-wrong' } }));
		expect(failure.error).toBe('Piopiy rejected the API Token (HTTP 200: invalid_token: Invalid API token)');
		expect(failure.details.mayHaveBeenPlaced).toBe(false);
	});

	test('an inactive app in a 200', async () => {
		const failure = failureOf(await run(fixture, { credentials: { apiToken: 'tok-of-a-paused-app' } }));
		expect(failure.error).toBe(`Piopiy refused the API Token for ${WHAT} (HTTP 200: app_not_active: The app of this token is not active)`);
	});

	test('another error in a 200: a refusal, no call', async () => {
		fixture.sim.failNext({ status: 200, body: { error: 'invalid_request', message: 'agent not found' } });
		const failure = failureOf(await run(fixture));
		expect(failure.error).toBe(`Piopiy refused ${WHAT} (HTTP 200: invalid_request: agent not found)`);
		expect(failure.details.description).toBe(
			'Piopiy answered with an error, so no call was placed. Check the numbers (country code first) and the options against what your Piopiy plan allows.',
		);
	});
});

describe('v3 with nothing listening', () => {
	test('a refused connection: retried, then reported with the V3 Base URL named', async () => {
		const server = net.createServer();
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address();
		await new Promise((resolve) => server.close(resolve));
		const result = await runPiopiyV3({
			url: `http://127.0.0.1:${port}`,
			parameters: { ...AI, requestOptions: { rateLimitRetries: 1, retryWait: 10 } },
			onError: 'continueRegularOutput',
		});
		const failure = failureOf(result);
		expect(failure.error).toBe(`Could not connect to Piopiy for ${WHAT} (ECONNREFUSED)`);
		expect(failure.details.description).toMatch(/^Nothing was sent, so no call was placed and the item can safely be run again\. Check the V3 Base URL in the Piopiy API credential and the network\./);
		expect(failure.details.retries).toBe(1);
		expect(JSON.stringify(result)).not.toContain(API_TOKEN);
	});
});
