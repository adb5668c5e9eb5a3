'use strict';
/**
 * Issue 17, item 4: every run ends, whatever the Request Options say. Max Calls per Second 1e-10
 * (as a number, or as the text "0.0000000001") passed the "at most 3 decimals" check, which
 * allowed a difference of 1e-9, and was used as it was: a gap of 1e13 ms between sends, more than
 * a timer holds, so Node fired it at once, warned "TimeoutOverflowWarning", and the run waited for
 * ever, warning hundreds of times a second. The check is now relative to the value, so the
 * smallest rate is 0.001 (a gap of 1000 s, which a timer holds) and nothing positive reads as 0
 * ("no limit"). The other Request Options are held to the same: tiny, huge, exponent, NaN and
 * Infinity values are refused before anything is sent, and the largest accepted waits print no
 * warning and end when the run is stopped.
 */
const { runPiopiy } = require('../harness/piopiy');
const { useServers, placed, sendJson, MASK, WHAT } = require('./support');

// The jest sandbox has its own `process`; Node warns on the real one.
const realProcess = require('node:vm').runInThisContext('process');
const warnings = [];
const onWarning = (warning) => warnings.push(`${warning.name}: ${warning.message}`);
beforeAll(() => realProcess.on('warning', onWarning));
afterAll(() => realProcess.off('warning', onWarning));
beforeEach(() => warnings.splice(0));
afterEach(() => expect(warnings).toEqual([]));

const items = (count) => Array.from({ length: count }, () => ({}));

async function run(url, requestOptions, { count = 2, cancelAfterMs } = {}) {
	const started = Date.now();
	const result = await runPiopiy({
		url,
		parameters: { ...MASK, requestOptions },
		credentials: { baseUrl: url },
		items: items(count),
		onError: 'continueRegularOutput',
		cancelAfterMs,
	});
	return { ...result, ms: Date.now() - started };
}

describe('Max Calls per Second below 0.001 is refused, and the run ends', () => {
	const server = useServers();
	const NOT_RATE = 'is not a number of calls per second with at most 3 decimals';

	test.each([
		[1e-10, `1e-10 ${NOT_RATE}`],
		['0.0000000001', `"0.0000000001" ${NOT_RATE}`],
		['={{ 1e-10 }}', `1e-10 ${NOT_RATE}`],
		['={{ "0.0000000001" }}', `"0.0000000001" ${NOT_RATE}`],
		['1e-10', `"1e-10" ${NOT_RATE}`],
		[5e-324, `5e-324 ${NOT_RATE}`],
		[-1e-10, `-1e-10 ${NOT_RATE}`],
		[0.0009999, `0.0009999 ${NOT_RATE}`],
		[0.0004, `0.0004 ${NOT_RATE}`],
		[0.0005, `0.0005 ${NOT_RATE}`],
		[100.0001, `100.0001 ${NOT_RATE}`],
		['={{ NaN }}', `NaN ${NOT_RATE}`],
		['={{ Infinity }}', `Infinity ${NOT_RATE}`],
		['={{ 1e300 }}', '1e+300 is outside the allowed 0 to 100 calls per second'],
	])('%p', async (callsPerSecond, why) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { items: out, ms } = await run(piopiy.url, { callsPerSecond });
		expect(out.map((item) => item.json.error)).toEqual([
			`Invalid Request Options > Max Calls per Second in item 0: ${why}`,
			`Invalid Request Options > Max Calls per Second in item 0: ${why}`,
		]);
		expect(out[0].json.details.description).toBe(
			'Request Options apply to the whole run and are read once, from the first item. No request was sent to Piopiy for any item.',
		);
		expect(piopiy.requests).toHaveLength(0);
		expect(ms).toBeLessThan(5000);
	});
});

describe('the smallest accepted rate, 0.001: one send every 1000 s, and the run ends', () => {
	const server = useServers();

	test('one item goes at once', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('only')));
		const { items: out, ms } = await run(piopiy.url, { callsPerSecond: 0.001 }, { count: 1 });
		expect(out.map((item) => item.json.request_id)).toEqual(['only']);
		expect(ms).toBeLessThan(5000);
	});

	test('the second waits its turn (not a timer that fires at once), and stopping the run ends it', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('first')));
		const { items: out, ms } = await run(piopiy.url, { callsPerSecond: '0.001' }, { count: 3, cancelAfterMs: 1500 });
		expect(piopiy.requests).toHaveLength(1);
		expect(out[0].json.request_id).toBe('first');
		// Both were in the window, waiting for their send time: neither was sent.
		expect(out.slice(1).map((item) => [item.json.error, item.json.details.description])).toEqual([
			[`The run was stopped before ${WHAT} was sent`, 'Nothing was sent, so no call was placed, and the item can safely be run again.'],
			[`The run was stopped before ${WHAT} was sent`, 'Nothing was sent, so no call was placed, and the item can safely be run again.'],
		]);
		expect(ms).toBeGreaterThanOrEqual(1400);
		expect(ms).toBeLessThan(6000);
	});

	test('0.0010000000001 (a rounding error) is 0.001, never 0 ("no limit")', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		await run(piopiy.url, { callsPerSecond: 0.0010000000001 }, { count: 3, cancelAfterMs: 1000 });
		expect(piopiy.requests).toHaveLength(1);
	});
});

describe('the other Request Options: tiny, huge, exponent, NaN and Infinity values are refused', () => {
	const server = useServers();

	test.each([
		['Timeout (Seconds)', 1e-10, 'timeout', '1e-10 is not a whole number of seconds'],
		['Timeout (Seconds)', '={{ NaN }}', 'timeout', 'NaN is not a whole number of seconds'],
		['Timeout (Seconds)', '={{ Infinity }}', 'timeout', 'Infinity is not a whole number of seconds'],
		['Timeout (Seconds)', 2147484, 'timeout', '2147484 is outside the allowed 1 to 600 seconds'],
		['Timeout (Seconds)', 1e300, 'timeout', '1e+300 is outside the allowed 1 to 600 seconds'],
		['Timeout (Seconds)', '6e2', 'timeout', '"6e2" is not a whole number of seconds'],
		['Timeout (Seconds)', 0, 'timeout', '0 is outside the allowed 1 to 600 seconds'],
		['Retry Wait (Ms)', 0.5, 'retryWait', '0.5 is not a whole number of milliseconds'],
		['Retry Wait (Ms)', '={{ -Infinity }}', 'retryWait', '-Infinity is not a whole number of milliseconds'],
		['Retry Wait (Ms)', 2 ** 31, 'retryWait', '2147483648 is outside the allowed 0 to 60000 milliseconds'],
		['Retry Wait (Ms)', '1e4', 'retryWait', '"1e4" is not a whole number of milliseconds'],
		['Max Retry Wait (Seconds)', 1e-10, 'maxRetryWait', '1e-10 is not a whole number of seconds'],
		['Max Retry Wait (Seconds)', 2147484, 'maxRetryWait', '2147484 is outside the allowed 1 to 3600 seconds'],
		['Max Retry Wait (Seconds)', '={{ NaN }}', 'maxRetryWait', 'NaN is not a whole number of seconds'],
		['Max Requests in Flight', 1e-10, 'maxInFlight', '1e-10 is not a whole number of requests'],
		['Max Requests in Flight', 0, 'maxInFlight', '0 is outside the allowed 1 to 100 requests'],
		['Max Requests in Flight', 1e9, 'maxInFlight', '1000000000 is outside the allowed 1 to 100 requests'],
		['Max Requests in Flight', '={{ Infinity }}', 'maxInFlight', 'Infinity is not a whole number of requests'],
		['Rate Limit Retries', '={{ NaN }}', 'rateLimitRetries', 'NaN is not a whole number of retries'],
		['Rate Limit Retries', 1e9, 'rateLimitRetries', '1000000000 is outside the allowed 0 to 10 retries'],
	])('%s = %p', async (label, value, name, why) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { items: out, ms } = await run(piopiy.url, { [name]: value });
		expect(out[0].json.error).toBe(`Invalid Request Options > ${label} in item 0: ${why}`);
		expect(piopiy.requests).toHaveLength(0);
		expect(ms).toBeLessThan(5000);
	});
});

describe('the longest accepted waits fit a timer: no warning, and stopping the run ends them', () => {
	const server = useServers();
	const STOPPED = `The run was stopped before ${WHAT} was sent again`;

	test('Retry-After 3600 with Max Retry Wait 3600: waits, and ends when stopped', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 429, { cmi_code: 429 }, { 'retry-after': '3600' }));
		const { items: out, ms } = await run(piopiy.url, { maxRetryWait: 3600, timeout: 600 }, { count: 1, cancelAfterMs: 800 });
		expect(out[0].json.error).toBe(STOPPED);
		expect(piopiy.requests).toHaveLength(1);
		expect(ms).toBeLessThan(5000);
	});

	test('Retry Wait 60000 and Max Retry Wait 3600, no Retry-After: waits, and ends when stopped', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 429, { cmi_code: 429 }));
		const { items: out, ms } = await run(piopiy.url, { retryWait: 60000, maxRetryWait: 3600, rateLimitRetries: 10 }, { count: 1, cancelAfterMs: 800 });
		expect(out[0].json.error).toBe(STOPPED);
		expect(piopiy.requests).toHaveLength(1);
		expect(ms).toBeLessThan(5000);
	});

	test('Max Calls per Second 100 and 100 in flight: 20 items go through', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { items: out } = await run(piopiy.url, { callsPerSecond: 100, maxInFlight: 100 }, { count: 20 });
		expect(out.filter((item) => item.json.error)).toEqual([]);
		expect(piopiy.requests).toHaveLength(20);
	});
});
