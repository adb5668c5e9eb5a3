'use strict';
/**
 * Hang Up Call and Get Call Record: Piopiy's v1 call-control endpoints (docs/piopiy-api.md#4-other-endpoints), on the
 * credential's Call Control Base URL, never reported as calls placed.
 */
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { APP_ID, APP_SECRET } = require('./harness/constants');

/** A masked call placed through the global endpoint (its first number is not Indian). */
const MASK = { operation: 'maskCall', agentNumber: '14155550100', callerId: '19170000000', customerNumbers: '919876543210' };
/** A base URL nothing listens on: a request sent there fails with ECONNREFUSED. */
const NOWHERE = 'http://127.0.0.1:9';

async function placeCall(url) {
	const run = await runPiopiy({ url, parameters: MASK });
	expect(run.error).toBeUndefined();
}

describe('Hang Up Call', () => {
	const fixture = useSimulator();

	test('posts the hangup with the call ID under both keys the SDKs use, to the global endpoint of the Call Control Base URL', async () => {
		await placeCall(fixture.url);
		const call = fixture.sim.calls[0];
		fixture.sim.requests.length = 0;

		const run = await runPiopiy({
			url: fixture.url,
			items: [{ cmiuuid: call.cmiuuid }],
			parameters: { operation: 'hangUpCall', callId: '={{ $json.cmiuuid }}' },
			// The REST base points nowhere: the request must go to the call-control base.
			credentials: { baseUrl: NOWHERE, callControlBaseUrl: fixture.url },
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests).toHaveLength(1);
		const [request] = fixture.sim.requests;
		expect(request.path).toBe('/v1/call/global_action');
		expect(request.body).toEqual({ appid: APP_ID, secret: APP_SECRET, action: 'hangup', cmiuid: call.cmiuuid, cmiuuid: call.cmiuuid });
		expect(run.items).toEqual([{ json: { status: 'success', action: 'hangup', cmi_code: 200 }, pairedItem: { item: 0 } }]);
		expect(call.status).toBe('ended');
	});

	test('Region India posts to /v1/call/action', async () => {
		await runPiopiy({ url: fixture.url, parameters: { ...MASK, agentNumber: '914471000000' } });
		const call = fixture.sim.calls[0];
		// The simulator keeps global and India calls apart, as two endpoints would.
		const wrong = await runPiopiy({ url: fixture.url, parameters: { operation: 'hangUpCall', callId: call.cmiuuid } });
		expect(wrong.nodeError.message).toBe(`Piopiy has no live call ${call.cmiuuid} (HTTP 404, Piopiy code 404: Call not found)`);
		const right = await runPiopiy({
			url: fixture.url,
			parameters: { operation: 'hangUpCall', callId: call.cmiuuid, options: { region: 'india' } },
		});
		expect(right.error).toBeUndefined();
		expect(fixture.sim.requests.slice(1).map((r) => [r.path, r.status])).toEqual([
			['/v1/call/global_action', 404],
			['/v1/call/action', 200],
		]);
	});

	test('a call that has ended, or is unknown: an error that says so and does not claim a call was placed', async () => {
		await placeCall(fixture.url);
		const { cmiuuid } = fixture.sim.calls[0];
		fixture.sim.endCall(cmiuuid);
		const run = await runPiopiy({ url: fixture.url, parameters: { operation: 'hangUpCall', callId: cmiuuid }, onError: 'continueRegularOutput' });
		expect(run.items).toHaveLength(1);
		const { json } = run.items[0];
		expect(json.error).toBe(`Piopiy has no live call ${cmiuuid} (HTTP 404, Piopiy code 404: The call has already ended)`);
		expect(json.details ?? json).toMatchObject({
			description:
				"Check the ID and where it comes from. A call record exists only once the call has ended. Piopiy's call-control API also answers 404 to a wrong App ID or App Secret, and a wrong Call Control Base URL in the credential gives one too.",
			httpCode: '404',
			piopiyCode: 404,
			mayHaveBeenPlaced: false,
		});
	});

	test.each([
		[{ callId: '={{ "" }}' }, 'Invalid Call ID in item 0: "" is empty: a call ID is needed'],
		[{ callId: '={{ $json.cmiuuid }}' }, 'Invalid Call ID in item 0: there is no value (undefined): a call ID is needed'],
		[{ callId: 'not a call id' }, 'Invalid Call ID in item 0: "not a call id" is not a call ID like "2f6c1a9e-8b1d-4c2e-9a57-0c6d3f1e4b21"'],
		[{ callId: '={{ 42 }}' }, 'Invalid Call ID in item 0: 42 is a number, not a call ID like "2f6c1a9e-8b1d-4c2e-9a57-0c6d3f1e4b21"'],
		[{ options: { region: '={{ "europe" }}' } }, 'Invalid Options > Region in item 0: "europe" is not one of "global", "india"'],
	])('%j is refused before any request', async (change, message) => {
		const run = await runPiopiy({ url: fixture.url, parameters: { operation: 'hangUpCall', callId: 'a3f1c2d4-0000-4000-8000-123456789abc', ...change } });
		expect(run.nodeError.message).toBe(message);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('Get Call Record', () => {
	const fixture = useSimulator();

	test('by request ID: {count, cdr: [...], code} from /v1/piopiy/requestid_cdr, passed on as received', async () => {
		await placeCall(fixture.url);
		const call = fixture.sim.calls[0];
		const [record] = fixture.sim.endCall(call.request_id, { status: 'answered', duration: 42 });
		fixture.sim.requests.length = 0;

		const run = await runPiopiy({
			url: fixture.url,
			items: [{ request_id: call.request_id }],
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: '={{ $json.request_id }}' },
			credentials: { baseUrl: NOWHERE, callControlBaseUrl: fixture.url },
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests.map((r) => [r.path, r.body])).toEqual([
			['/v1/piopiy/requestid_cdr', { appid: APP_ID, secret: APP_SECRET, request_id: call.request_id }],
		]);
		expect(run.items).toEqual([
			{
				json: {
					count: 1,
					cdr: [
						{
							duration: 42,
							balance: '878.900000',
							rate: '0.450000',
							from: 19170000000,
							to: 14155550100,
							time: record.time,
							leg: 'a',
							direction: 'outbound',
							status: 'answered',
						},
					],
					code: 200,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('by call ID: {cdr: {...}, code} from /v1/piopiy/cmiuuid_cdr', async () => {
		await placeCall(fixture.url);
		const call = fixture.sim.calls[0];
		fixture.sim.endCall(call.cmiuuid, { status: 'missed' });
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', lookUpBy: 'callId', callId: call.cmiuuid },
		});
		expect(fixture.sim.requests.at(-1).path).toBe('/v1/piopiy/cmiuuid_cdr');
		expect(fixture.sim.requests.at(-1).body).toEqual({ appid: APP_ID, secret: APP_SECRET, cmiuuid: call.cmiuuid });
		expect(run.items[0].json).toEqual({
			cdr: expect.objectContaining({ leg: 'a', status: 'missed', duration: 0, direction: 'outbound' }),
			code: 200,
		});
	});

	test('an unknown request ID: "no call for request ..." (Piopiy answers 404), not "wrong endpoint"', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: 'X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm' },
		});
		expect(run.nodeError.message).toBe(
			'Piopiy has no call for request X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm (HTTP 404, Piopiy code 404: request_id not found)',
		);
	});

	test('the same, with errors inside an HTTP 200 body', async () => {
		const sim = require('../simulator/piopiy-simulator').createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, errorStyle: 'body' });
		const url = await sim.start();
		try {
			const run = await runPiopiy({
				url,
				parameters: { resource: 'callRecord', operation: 'getCallRecord', lookUpBy: 'callId', callId: 'a3f1c2d4-0000-4000-8000-123456789abc' },
			});
			expect(run.nodeError.message).toBe(
				'Piopiy has no call record for call a3f1c2d4-0000-4000-8000-123456789abc (HTTP 200, Piopiy code 404: cmiuuid not found)',
			);
		} finally {
			await sim.stop();
		}
	});

	test('a request ID that cannot be one is refused before any request', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: 'abc def' },
		});
		expect(run.nodeError.message).toBe(
			'Invalid Request ID in item 0: "abc def" is not a request ID like "X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm"',
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('the simulator\'s fault modes reach the call-control endpoints too', () => {
	const fixture = useSimulator();

	test('a rate limit (429) on Get Call Record is retried, then the record comes', async () => {
		await placeCall(fixture.url);
		const call = fixture.sim.calls[0];
		fixture.sim.endCall(call.request_id);
		fixture.sim.requests.length = 0;
		fixture.sim.failNext({ status: 429, body: { status: 'error', message: 'Too many requests', cmi_code: 429 } });
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: call.request_id, requestOptions: { retryWait: 10 } },
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests.map((r) => [r.path, r.status])).toEqual([
			['/v1/piopiy/requestid_cdr', 429],
			['/v1/piopiy/requestid_cdr', 200],
		]);
		expect(run.items[0].json.count).toBe(1);
	});

	test('an HTML page from a gateway instead of the record: an error that says so', async () => {
		fixture.sim.failNext({ status: 200, raw: '<html><body>Bad gateway</body></html>' });
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: 'X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm' },
		});
		expect(run.nodeError.message).toBe(
			"Piopiy's answer for the call record of request X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm could not be understood (HTTP 200, an HTML page instead of Piopiy’s JSON, usually from a proxy or gateway in between)",
		);
	});

	test('the connection drops after Piopiy read the hang-up: the call is ended there, the item fails, and no call is reported as placed', async () => {
		await placeCall(fixture.url);
		const call = fixture.sim.calls[0];
		fixture.sim.failNext({ drop: 'after-read' });
		const run = await runPiopiy({ url: fixture.url, parameters: { operation: 'hangUpCall', callId: call.cmiuuid }, onError: 'continueRegularOutput' });
		expect(call.status).toBe('ended');
		const { json } = run.items[0];
		expect(json.error).toMatch(/^The connection to Piopiy broke before it answered for hanging up the call .* \(ECONNRESET\)$/);
		expect(json.details.description).toBe(
			'The request was sent, so it was not retried. This request places no call, so the item can safely be run again (a hang-up of a call that has already ended does no harm).',
		);
		expect(json.details.mayHaveBeenPlaced).toBe(false);
	});

	test('a 5xx on Get Call Record is a server failure, safe to repeat, not "a number was refused"', async () => {
		fixture.sim.failNext({ status: 503, body: { message: 'Service unavailable' } });
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: 'X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm' },
		});
		expect(run.nodeError.message).toBe(
			"Piopiy's server failed while handling the call record of request X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm (HTTP 503: Service unavailable)",
		);
		expect(run.nodeError.description).toMatch(/^This request places no call, so the item can safely be run again/);
	});

	test('an unreachable call-control host names the Call Control Base URL', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { operation: 'hangUpCall', callId: 'c1b5d8e2-0000-4000-8000-000000000001', requestOptions: { rateLimitRetries: 0 } },
			credentials: { callControlBaseUrl: NOWHERE },
		});
		expect(run.nodeError.message).toMatch(/^Could not connect to Piopiy for hanging up the call .* \(ECONNREFUSED\)$/);
		expect(run.nodeError.description).toMatch(/Check the Call Control Base URL in the Piopiy API credential/);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

