'use strict';
/**
 * Issue 3: Piopiy's and the network's failures, injected by the simulator into 100-item runs in
 * n8n's engine. Whatever the fault, every input item comes out exactly once, paired to its input:
 * a success with its request_id, or an error saying what happened and whether a call may exist.
 * No item ever has more than one placed call: only a 429 or a refused connection, which place
 * nothing, are sent again.
 */
const net = require('node:net');
const { piopiyPackage, runPiopiy, useSimulator } = require('./harness/piopiy');
const { notRetriedFaults, piopiyBody, MAY_HAVE, NOT_PLACED } = require('./harness/faults');
const { APP_ID, APP_SECRET, NODE_TYPE, CREDENTIAL, CREDENTIAL_TYPE } = require('./harness/constants');

const ITEMS = 100;
const AGENT = 919999999999;
const FIRST_CUSTOMER = 917600000000;
const items = Array.from({ length: ITEMS }, (_, i) => ({ phone: String(FIRST_CUSTOMER + i) }));
const MASK = {
	operation: 'maskCall',
	agentNumber: String(AGENT),
	callerId: '918000000000',
	customerNumbers: '={{ $json.phone }}',
};
const WHAT = `the call to ${AGENT}`;
/** The requests a fault hits: 10 of every 100 (request index = item index when nothing is retried). */
const everyTenth = (index) => index % 10 === 3;
function itemOfCall(call) {
	return call.body.pcmo[0].connect[0].number - FIRST_CUSTOMER;
}

function callsPerItem(sim) {
	const counts = new Array(ITEMS).fill(0);
	for (const call of sim.calls) counts[itemOfCall(call)]++;
	return counts;
}

/**
 * The accounting every fault must pass: 100 output items in input order, each paired to its
 * input; successes carry the request_id of a call placed for that very item; failures name what
 * happened; at most one placed call per item.
 */
function expectAccounted(run, sim, { failed = () => false, message, details = {} } = {}) {
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(ITEMS);
	const counts = callsPerItem(sim);
	const byRequestId = new Map(sim.calls.map((call) => [call.request_id, call]));
	run.items.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		expect(counts[i]).toBeLessThanOrEqual(1);
		if (failed(i)) {
			expect(item.json.request_id).toBeUndefined();
			expect(item.json.error).toEqual(message);
			expect(item.json.details).toMatchObject({ itemIndex: i, ...details });
			expect(item.json.details.description).toEqual(expect.any(String));
		} else {
			expect(item.json.error).toBeUndefined();
			expect(item.json.cmi_code).toBe(200);
			expect(itemOfCall(byRequestId.get(item.json.request_id))).toBe(i);
		}
	});
	return counts;
}

/**
 * The faults below are placed by request index, so these runs send one request at a time (request
 * index = item index when nothing is retried); test/window.test.js and "the window" below cover
 * faults with many requests in flight.
 */
function continueRun(fixture, requestOptions = {}, extra = {}) {
	return runPiopiy({
		url: fixture.url,
		parameters: { ...MASK, requestOptions: { maxInFlight: 1, ...requestOptions } },
		items,
		onError: 'continueRegularOutput',
		...extra,
	});
}

/** A port on 127.0.0.1 with nothing listening: connecting to it is refused. */
async function closedPort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

const NOT_RETRIED = notRetriedFaults(WHAT);

describe('faults that are reported, never retried: 100 items, On Error: Continue', () => {
	const fixture = useSimulator();

	test.each(NOT_RETRIED)('%s', async (_name, fault, message, details, placedByFault = 0) => {
		fixture.sim.setFaults(({ index }) => (everyTenth(index) ? fault : undefined));
		const run = await continueRun(fixture, { rateLimitRetries: 3, retryWait: 10 });

		const counts = expectAccounted(run, fixture.sim, { failed: everyTenth, message, details });
		// Sent once each: nothing was retried.
		expect(fixture.sim.requests).toHaveLength(ITEMS);
		for (let i = 0; i < ITEMS; i++) expect(counts[i]).toBe(everyTenth(i) ? placedByFault : 1);
		const failure = run.items[3].json;
		expect(failure.details.retries).toBeUndefined();
		if (details.mayHaveBeenPlaced) {
			expect(failure.details.description).toMatch(/The call may or may not have been placed\. Do not simply run this item again/);
		} else {
			expect(failure.details.description).toMatch(/no call was placed/i);
		}
		if (fault.status !== undefined) expect(failure.details.httpCode).toBe(String(fault.status));
		if (fault.body?.cmi_code !== undefined) {
			expect(failure.details).toMatchObject({ piopiyCode: fault.body.cmi_code, piopiyMessage: fault.body.message });
		}
	});

	test('a response slower than the timeout: reported as "may have been placed", not retried', async () => {
		const slow = (index) => index % 25 === 3;
		fixture.sim.setFaults(({ index }) => (slow(index) ? { delayMs: 1600 } : undefined));
		const run = await continueRun(fixture, { timeout: 1, rateLimitRetries: 3 });

		expectAccounted(run, fixture.sim, {
			failed: slow,
			message: `No answer from Piopiy within 1 second for ${WHAT}`,
			details: { ...MAY_HAVE, networkCode: 'ETIMEDOUT' },
		});
		expect(run.items[3].json.details.description).toMatch(/raise Request Options > Timeout\.$/);
		expect(fixture.sim.requests).toHaveLength(ITEMS);
	});
});

describe('rate limits (429) are waited out and retried; nothing is placed twice', () => {
	const fixture = useSimulator();
	const tooMany = (headers) => ({ status: 429, body: piopiyBody(429, 'Too many requests'), headers });

	test('with Retry-After: every item placed once; the whole run pauses for the time asked', async () => {
		const limited = new Set([3, 51]);
		fixture.sim.setFaults(({ index }) => (limited.has(index) ? tooMany({ 'retry-after': '1' }) : undefined));
		const run = await continueRun(fixture, { retryWait: 10 });

		const counts = expectAccounted(run, fixture.sim);
		expect(counts.every((count) => count === 1)).toBe(true);
		expect(fixture.sim.requests).toHaveLength(ITEMS + 2);
		for (const index of limited) {
			// Nothing at all reached Piopiy during the second it asked for.
			const pause = fixture.sim.requests[index + 1].time - fixture.sim.requests[index].time;
			expect(pause).toBeGreaterThanOrEqual(990);
		}
		expect(run.runData.Piopiy[0].hints).toEqual([
			expect.objectContaining({ message: expect.stringMatching(/^Piopiy limited the request rate or refused the connection: 2 items were sent again \(2 retries in all\)/) }),
		]);
	});

	test('without Retry-After: backs off from Retry Wait and retries', async () => {
		fixture.sim.setFaults(({ index }) => (everyTenth(index) ? tooMany() : undefined));
		const run = await continueRun(fixture, { retryWait: 20 });

		const counts = expectAccounted(run, fixture.sim);
		expect(counts.every((count) => count === 1)).toBe(true);
		expect(fixture.sim.requests.length).toBeGreaterThan(ITEMS);
		expect(fixture.sim.requests.filter((r) => r.status === 429)).toHaveLength(fixture.sim.requests.length - ITEMS);
	});

	test('a 429 reported inside an HTTP 200 body is a rate limit too', async () => {
		fixture.sim.setFaults(({ index }) =>
			everyTenth(index) ? { status: 200, body: piopiyBody(429, 'Too many requests') } : undefined,
		);
		const run = await continueRun(fixture, { retryWait: 10 });
		const counts = expectAccounted(run, fixture.sim);
		expect(counts.every((count) => count === 1)).toBe(true);
	});

	test('still limited after all retries: the item fails with its retry count, the others go on', async () => {
		// Item 30's first try and both retries are refused.
		fixture.sim.setFaults(({ index }) => (index >= 30 && index <= 32 ? tooMany() : undefined));
		const run = await continueRun(fixture, { rateLimitRetries: 2, retryWait: 10 });

		expectAccounted(run, fixture.sim, {
			failed: (i) => i === 30,
			message: `Piopiy is limiting the request rate for ${WHAT} (HTTP 429, Piopiy code 429: Too many requests)`,
			details: { ...NOT_PLACED, retries: 2, httpCode: '429', piopiyCode: 429 },
		});
		expect(run.items[30].json.details.description).toBe(
			'Piopiy refused the request: no call was placed and the item can safely be run again. Slow down with Request Options: a lower Max Requests in Flight, a Max Calls per Second, or more Rate Limit Retries. The item was tried 3 times: 2 retries after a rate limit or a refused connection, neither of which places a call.',
		);
		expect(fixture.sim.requests).toHaveLength(ITEMS + 2);
	});

	test('Retry-After longer than Max Retry Wait: the item fails at once instead of stalling the run', async () => {
		fixture.sim.setFaults(({ index }) => (index === 7 ? tooMany({ 'retry-after': '120' }) : undefined));
		const started = Date.now();
		const run = await continueRun(fixture, { maxRetryWait: 60 });

		expect(Date.now() - started).toBeLessThan(10000);
		expectAccounted(run, fixture.sim, {
			failed: (i) => i === 7,
			message: `Piopiy is limiting the request rate and asked to wait 120 seconds for ${WHAT} (HTTP 429, Piopiy code 429: Too many requests)`,
			details: { ...NOT_PLACED, retries: 0 },
		});
		expect(run.items[7].json.details.description).toMatch(/^That is longer than Request Options > Max Retry Wait \(60 seconds\)/);
	});

	test('Retry-After as an HTTP date is honoured', async () => {
		fixture.sim.setFaults(({ index }) =>
			index === 5 ? tooMany({ 'retry-after': new Date(Date.now() + 1000).toUTCString() }) : undefined,
		);
		const run = await continueRun(fixture, { retryWait: 10 });
		const counts = expectAccounted(run, fixture.sim);
		expect(counts.every((count) => count === 1)).toBe(true);
	});

	test('Rate Limit Retries 0: a 429 fails the item at once, with the count shown', async () => {
		fixture.sim.setFaults(({ index }) => (everyTenth(index) ? tooMany() : undefined));
		const run = await continueRun(fixture, { rateLimitRetries: 0 });
		expectAccounted(run, fixture.sim, {
			failed: everyTenth,
			message: `Piopiy is limiting the request rate for ${WHAT} (HTTP 429, Piopiy code 429: Too many requests)`,
			details: { ...NOT_PLACED, retries: 0 },
		});
	});
});

describe('refused connections (nothing was sent)', () => {
	const fixture = useSimulator();

	test('Piopiy unreachable for the whole run: every item fails as "not sent"; retries stop after the first item', async () => {
		const port = await closedPort();
		const started = Date.now();
		const run = await runPiopiy({
			url: `http://127.0.0.1:${port}`,
			parameters: { ...MASK, requestOptions: { maxInFlight: 1, rateLimitRetries: 2, retryWait: 50 } },
			items,
			onError: 'continueRegularOutput',
		});

		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(ITEMS);
		run.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.error).toBe(`Could not connect to Piopiy for ${WHAT} (ECONNREFUSED)`);
			expect(item.json.details).toMatchObject({
				networkCode: 'ECONNREFUSED',
				mayHaveBeenPlaced: false,
				retries: i === 0 ? 2 : 0,
				itemIndex: i,
			});
			expect(item.json.details.description).toMatch(/^Nothing was sent, so no call was placed and the item can safely be run again\./);
		});
		expect(run.items[1].json.details.description).toMatch(/not retried because an earlier item already found Piopiy unreachable/);
		// 99 items did not each wait out their own back-off.
		expect(Date.now() - started).toBeLessThan(10000);
	});

	test('Piopiy refuses connections for a while mid-run: the items retry and all 100 calls are placed once', async () => {
		fixture.sim.setFaults(({ index }) => {
			if (index === 40) fixture.sim.refuseConnections(300);
			return undefined;
		});
		const run = await continueRun(fixture, { rateLimitRetries: 5, retryWait: 100 });

		const counts = expectAccounted(run, fixture.sim);
		expect(counts.every((count) => count === 1)).toBe(true);
		expect(fixture.sim.requests).toHaveLength(ITEMS);
		expect(run.runData.Piopiy[0].hints[0].message).toMatch(/^Piopiy limited the request rate or refused the connection: 1 item was sent again/);
	});
});

describe('the window: bound and pace', () => {
	const fixture = useSimulator();

	test('Max Requests in Flight 1: one request at a time', async () => {
		fixture.sim.setLatency(20);
		const run = await continueRun(fixture, { maxInFlight: 1 });
		expectAccounted(run, fixture.sim);
		expect(fixture.sim.maxInFlight).toBe(1);
	});

	test('Max Requests in Flight bounds the requests in flight; every item accounted for', async () => {
		fixture.sim.setLatency(50);
		fixture.sim.setFaults(({ index }) => (everyTenth(index) ? { status: 500, body: piopiyBody(500, 'Internal server error') } : undefined));
		const run = await continueRun(fixture, { maxInFlight: 8 });

		// Which item met a fault depends on arrival order within the window: check by result, not index.
		const failedItems = new Set(run.items.flatMap((item, i) => (item.json.error ? [i] : [])));
		expect(failedItems.size).toBe(10);
		expectAccounted(run, fixture.sim, {
			failed: (i) => failedItems.has(i),
			message: `Piopiy's server failed while handling ${WHAT} (HTTP 500, Piopiy code 500: Internal server error)`,
			details: MAY_HAVE,
		});
		expect(fixture.sim.maxInFlight).toBeLessThanOrEqual(8);
		expect(fixture.sim.maxInFlight).toBeGreaterThan(1);
	});

	test('Max Calls per Second: the k-th request is sent no sooner than k intervals after the first', async () => {
		fixture.sim.setLatency(10);
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { ...MASK, requestOptions: { maxInFlight: 10, callsPerSecond: 5 } },
			items: items.slice(0, 8),
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(8);
		const times = fixture.sim.requests.map((r) => r.time);
		// 5 a second: one every 200 ms; the first may have taken up to 20 ms to arrive.
		times.forEach((time, k) => expect(time - times[0]).toBeGreaterThanOrEqual(k * 200 - 20));
	});
});

describe('On Error: Stop says which calls exist', () => {
	const fixture = useSimulator();

	test('one at a time: stops at the item, names the calls already placed', async () => {
		fixture.sim.setFaults(({ index }) => (index === 5 ? { drop: 'after-read' } : undefined));
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight: 1 } }, items });

		expect(run.nodeError.message).toBe(`The connection to Piopiy broke before it answered for ${WHAT} (ECONNRESET)`);
		expect(run.nodeError.context.itemIndex).toBe(5);
		expect(run.nodeError.description).toMatch(
			/The call may or may not have been placed\..* 5 of 100 items had already placed their calls before this one failed; they are not undone\.$/,
		);
		expect(fixture.sim.requests).toHaveLength(6);
	});

	test('in the window: the requests in flight finish, nothing more is sent, the note lists the items', async () => {
		fixture.sim.setLatency(20);
		fixture.sim.setFaults(({ index }) => (index === 14 ? { status: 422, body: piopiyBody(422, 'Invalid property') } : undefined));
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight: 10 } }, items });

		expect(run.nodeError.message).toBe(`Piopiy refused ${WHAT} (HTTP 422, Piopiy code 422: Invalid property)`);
		// The failed request and the at most 9 in flight beside it; none after.
		const sent = fixture.sim.requests.length;
		expect(sent).toBeGreaterThanOrEqual(15);
		expect(sent).toBeLessThanOrEqual(24);
		expect(fixture.sim.calls).toHaveLength(sent - 1);
		const failedItem = run.nodeError.context.itemIndex;
		expect(failedItem).toBeGreaterThanOrEqual(5);
		expect(failedItem).toBeLessThan(sent);
		expect(run.nodeError.description).toContain(`Items never sent: ${sent}-99.`);
		expect(run.nodeError.description).toContain(`${sent - 1} of 100 items had already placed their calls`);
		const placed = fixture.sim.calls.map(itemOfCall).sort((a, b) => a - b);
		expect(placed).not.toContain(failedItem);
		expect(placed).toEqual([...Array(sent).keys()].filter((i) => i !== failedItem));
	});
});

describe('Request Options themselves', () => {
	const fixture = useSimulator();

	test('a bad value stops the run before anything is sent, naming the option', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { timeout: 0 } }, items });
		expect(run.nodeError.name).toBe('NodeOperationError');
		expect(run.nodeError.message).toBe(
			'Invalid Request Options > Timeout (Seconds) in item 0: 0 is outside the allowed 1 to 600 seconds',
		);
		expect(run.nodeError.description).toMatch(/No request was sent to Piopiy for any item\.$/);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test('with On Error: Continue, a bad value fails every item, paired, and sends nothing', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { ...MASK, requestOptions: { maxInFlight: '={{ $json.nope }}x' } },
			items: items.slice(0, 5),
			onError: 'continueRegularOutput',
		});
		expect(run.items.map((item) => [item.pairedItem.item, item.json.details.itemIndex])).toEqual(
			[0, 1, 2, 3, 4].map((i) => [i, i]),
		);
		expect(run.items[0].json.error).toMatch(/^Invalid Request Options > Max Requests in Flight in item 0: /);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test('n8n\'s "Retry On Fail" is refused: it would place every call again', async () => {
		const pkg = await piopiyPackage();
		const result = await pkg.run({
			nodes: [
				{
					id: 'piopiy-node',
					name: 'Piopiy',
					type: NODE_TYPE,
					typeVersion: 1,
					parameters: MASK,
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 0,
					credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
				},
			],
			items: items.slice(0, 3),
			credentials: { [CREDENTIAL.id]: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: fixture.url } },
		});
		const error = result.nodeError('Piopiy');
		expect(error.message).toBe('Turn off "Retry On Fail" in this node\'s settings: it would place calls a second time');
		expect(fixture.sim.requests).toHaveLength(0);
	});
});
