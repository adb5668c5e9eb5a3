'use strict';
/**
 * Issue 11: how a run works through a long list, as the Piopiy simulator sees it. Nothing here times
 * the machine: the simulator counts the requests in progress at once and records when each arrived.
 *   - the sliding window: never more than Max Requests in Flight at once, and that many reached;
 *     the next item sent as soon as one answers (a slow answer holds up nobody else), in item order,
 *     each result paired to its item;
 *   - Max Calls per Second: sends spread evenly at that rate (within 10% over 3 s), never in bursts;
 *   - stopping: after a failure (On Error: Stop; test/faults.test.js has the main case) or when the
 *     run is cancelled, nothing more is sent;
 *   - once per run, not per item: the credential is read (in n8n: decrypted) once; a field hidden by
 *     another field's choice is not evaluated at all.
 */
const { requestOptionsProperty } = require('../dist/nodes/Piopiy/requestOptions');
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { piopiyBody } = require('./harness/faults');

const AGENT = 919999999999;
const FIRST_CUSTOMER = 917600000000;
const MASK = {
	operation: 'maskCall',
	agentNumber: String(AGENT),
	callerId: '918000000000',
	customerNumbers: '={{ $json.phone }}',
};
const itemsOf = (count) => Array.from({ length: count }, (_, i) => ({ phone: String(FIRST_CUSTOMER + i) }));
const itemOf = (record) => record.body.pcmo[0].connect[0].number - FIRST_CUSTOMER;
/** The defaults as the editor shows them (the field specs of nodes/Piopiy/requestOptions.ts). */
const DEFAULTS = Object.fromEntries(requestOptionsProperty.options.map((option) => [option.name, option.default]));

/** Every item out once, in order, paired, with the request_id of the one call placed for that very item. */
function expectPaired(run, sim, count) {
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(count);
	const byRequestId = new Map(sim.calls.map((call) => [call.request_id, call]));
	run.items.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		expect(itemOf(byRequestId.get(item.json.request_id))).toBe(i);
	});
	expect(sim.calls.map(itemOf).sort((a, b) => a - b)).toEqual([...Array(count).keys()]);
}

describe('the sliding window', () => {
	const fixture = useSimulator();

	test(`default: ${DEFAULTS.maxInFlight} requests in flight at most, and reached`, async () => {
		expect(DEFAULTS.maxInFlight).toBe(20);
		expect(DEFAULTS.callsPerSecond).toBe(0);
		fixture.sim.setLatency(50);
		const run = await runPiopiy({ url: fixture.url, parameters: MASK, items: itemsOf(100) });
		expectPaired(run, fixture.sim, 100);
		expect(fixture.sim.maxInFlight).toBe(20);
	});

	test.each([1, 7, 32])('Max Requests in Flight %i: the simulator sees at most that many at once, and that many', async (maxInFlight) => {
		// Sending one request takes the engine a few ms of CPU: the answers must take long enough
		// for that many to be sent before the first answer is back.
		fixture.sim.setLatency(40 + 8 * maxInFlight);
		const count = maxInFlight * 3 + 5;
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight } }, items: itemsOf(count) });
		expectPaired(run, fixture.sim, count);
		expect(fixture.sim.maxInFlight).toBe(maxInFlight);
	});

	test('no batch barrier: while one answer is slow, the other lanes go on through the list', async () => {
		// Item 0 answers after 1.5 s, every other item after 20 ms. In batches of 4, items 4 and on
		// would wait for item 0; in the window, the other three lanes send all 39 meanwhile.
		fixture.sim.setLatency(20);
		fixture.sim.setFaults(({ index }) => (index === 0 ? { delayMs: 1500 } : undefined));
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight: 4 } }, items: itemsOf(40) });
		expectPaired(run, fixture.sim, 40);
		const [first, ...others] = fixture.sim.requests;
		expect(itemOf(first)).toBe(0);
		expect(Math.max(...others.map((r) => r.time)) - first.time).toBeLessThan(1500);
		expect(fixture.sim.maxInFlight).toBe(4);
	});

	test('a rate limit (429) pauses the whole window, not just its own item; the item is placed once after', async () => {
		fixture.sim.setLatency(20);
		fixture.sim.setFaults(({ index }) =>
			index === 30 ? { status: 429, headers: { 'retry-after': '1' }, body: piopiyBody(429, 'Too many requests') } : undefined,
		);
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight: 10 } }, items: itemsOf(80) });
		expectPaired(run, fixture.sim, 80);
		expect(fixture.sim.requests).toHaveLength(81);
		const limited = fixture.sim.requests[30];
		// Those already sent arrive within the answer's 20 ms; nothing else is sent for Retry-After's second.
		const duringPause = fixture.sim.requests.filter((r) => r.time > limited.time + 100 && r.time < limited.time + 950);
		expect(duringPause).toEqual([]);
		expect(fixture.sim.requests.filter((r) => itemOf(r) === itemOf(limited))).toHaveLength(2);
	});

	test('sent in item order (no item overtakes the window), each result paired to its item', async () => {
		// Answers take 0 to 29 ms, unevenly, so the lanes finish out of step.
		fixture.sim.setFaults(({ index }) => ({ delayMs: (index * 37) % 30 }));
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight: 5 } }, items: itemsOf(60) });
		expectPaired(run, fixture.sim, 60);
		// Item k is sent only once items 0..k-1 have been; two sent in the same instant on two
		// connections may reach the server in either order, but never further apart than the window.
		fixture.sim.requests.forEach((request, arrival) => expect(Math.abs(itemOf(request) - arrival)).toBeLessThan(5));
	});
});

describe('Max Calls per Second', () => {
	const fixture = useSimulator();

	/** Arrivals within the first 3 s of the run, and the most in any one second (bursts). */
	function arrivals(sim) {
		const times = sim.requests.map((r) => r.time);
		const start = times[0];
		const inWindow = times.filter((t) => t < start + 3000).length;
		const busiestSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
		return { inWindow, busiestSecond };
	}

	test('10 per second: 30 sends in the first 3 s (within 10%), evenly, in item order', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { callsPerSecond: 10 } }, items: itemsOf(40) });
		expectPaired(run, fixture.sim, 40);
		const { inWindow, busiestSecond } = arrivals(fixture.sim);
		expect(inWindow).toBeGreaterThanOrEqual(27);
		expect(inWindow).toBeLessThanOrEqual(33);
		// Evenly, not in bursts: no second holds more than the rate (+1 for where the second starts).
		expect(busiestSecond).toBeLessThanOrEqual(11);
		// 100 ms apart, the sends reach the simulator in item order exactly.
		expect(fixture.sim.requests.map(itemOf)).toEqual([...Array(40).keys()]);
	});

	test('a rate with decimals, given by an expression as text ("12.5"), with a window of 2 and slow answers', async () => {
		// 2 in flight at 100 ms allow up to 20 a second: the rate, not the window, is the bound.
		fixture.sim.setLatency(100);
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { ...MASK, requestOptions: { callsPerSecond: '={{ "12.5" }}', maxInFlight: 2 } },
			items: itemsOf(45),
		});
		expectPaired(run, fixture.sim, 45);
		const { inWindow, busiestSecond } = arrivals(fixture.sim);
		expect(inWindow).toBeGreaterThanOrEqual(34); // 37.5 - 10%
		expect(inWindow).toBeLessThanOrEqual(41); // 37.5 + 10%
		expect(busiestSecond).toBeLessThanOrEqual(14);
		expect(fixture.sim.maxInFlight).toBeLessThanOrEqual(2);
	});

	test('a bad rate stops the run before anything is sent, naming the option', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { callsPerSecond: 0.0001 } }, items: itemsOf(3) });
		expect(run.nodeError.message).toBe(
			'Invalid Request Options > Max Calls per Second in item 0: 0.0001 is not a number of calls per second with at most 3 decimals',
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('stopping', () => {
	const fixture = useSimulator();

	test('On Error: Stop with other failures in flight: they are named too', async () => {
		fixture.sim.setLatency(30);
		fixture.sim.setFaults(({ index }) =>
			index === 2 || index === 3 ? { status: 422, body: piopiyBody(422, 'Invalid property') } : undefined,
		);
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, requestOptions: { maxInFlight: 4 } }, items: itemsOf(20) });
		const failed = fixture.sim.requests.filter((r) => r.status === 422).map(itemOf);
		expect(failed).toHaveLength(2);
		const other = failed.find((item) => item !== run.nodeError.context.itemIndex);
		expect(run.nodeError.description).toContain(`Other items that failed without placing a call: ${other}.`);
	});

	test('cancelling the run (n8n\'s Stop button) stops sending: only what was already in flight', async () => {
		fixture.sim.setLatency(50);
		let running;
		fixture.sim.setFaults(({ index }) => {
			if (index === 20) running.cancel();
			return undefined;
		});
		await runPiopiy({
			url: fixture.url,
			parameters: { ...MASK, requestOptions: { maxInFlight: 5 } },
			items: itemsOf(200),
			onError: 'continueRegularOutput',
			whileRunning: (run) => (running = run),
		});
		// n8n ends a cancelled run without waiting for the node: let what was on its way arrive.
		const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
		await settle();
		const sent = fixture.sim.requests.length;
		expect(sent).toBeGreaterThanOrEqual(21);
		// The request that arrived as the run was stopped and at most the 4 beside it in the window.
		expect(sent).toBeLessThanOrEqual(25);
		await settle();
		expect(fixture.sim.requests).toHaveLength(sent);
	});
});

describe('once per run, not once per item', () => {
	const fixture = useSimulator();

	test('the credential is read (in n8n: fetched and decrypted) once for a run of 50 items', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: MASK, items: itemsOf(50) });
		expectPaired(run, fixture.sim, 50);
		expect(run.credentialReads).toBe(1);
	});

	test('a field hidden by another field\'s choice is not evaluated: an expression left in it cannot fail the item', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: {
				operation: 'transactionAlertCall',
				customerNumber: '={{ $json.phone }}',
				callerId: '918000000000',
				messageType: 'audio',
				audioFile: 'https://example.com/alert.mp3',
				// Left behind from when Speak Text was chosen; it refers to a node that is not there.
				message: '={{ $("Old CRM lookup").item.json.text }}',
			},
			items: itemsOf(2),
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests.map((r) => r.body.pcmo[0])).toEqual([
			{ action: 'play', file_url: 'https://example.com/alert.mp3' },
			{ action: 'play', file_url: 'https://example.com/alert.mp3' },
		]);
	});
});
