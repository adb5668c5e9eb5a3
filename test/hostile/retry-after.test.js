'use strict';
/**
 * Issue 17, item 3: Retry-After counts only as whole non-negative seconds (plain decimal digits)
 * or as an HTTP date (RFC 9110 section 5.6.7: IMF-fixdate and the two obsolete forms, RFC 850 and
 * asctime). Anything else (-1, 1.5, "1,5", an ISO date, a date with the wrong zone...) counts as
 * absent, so Retry Wait's back-off applies: Date.parse read most of them as dates in 2000 and the
 * item went again within milliseconds. A wait past Max Retry Wait fails the item at once, worded
 * with that setting, never as "1e+23 seconds". The times asserted are between the 429's arrival
 * and the re-send's, with generous upper bounds for a loaded machine.
 */
const { runPiopiy } = require('../harness/piopiy');
const { useServers, maskCall, placed, sendJson, MASK, WHAT } = require('./support');

const LIMITED = { cmi_code: 429, message: 'Too many requests' };
const CODES = '(HTTP 429, Piopiy code 429: Too many requests)';
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
const clock = (d) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
/** The three forms RFC 9110 names, written here by hand (toUTCString gives only the first). */
const imfFixdate = (d) => d.toUTCString();
const rfc850 = (d) =>
	`${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ${clock(d)} GMT`;
const asctime = (d) =>
	`${DAYS[d.getUTCDay()].slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${clock(d)} ${d.getUTCFullYear()}`;

/**
 * A Piopiy that answers each item's first request 429 with the next of `retryAfters` (a function
 * of nothing, so a date can be worked out as the answer goes) and its second with a placed call.
 * With Max Requests in Flight 1 the requests come in pairs: 429, re-send, 429, re-send...
 */
function limitedOnce(server, retryAfters) {
	let answered = 0;
	return server((_req, res) => {
		const turn = answered++;
		if (turn % 2 === 1) return sendJson(res, 200, placed(`placed-${turn}`));
		return sendJson(res, 429, LIMITED, { 'retry-after': retryAfters[turn / 2]() });
	});
}

/** Runs one Mask Call item per Retry-After value, one at a time; returns [value, ms from the 429 to its re-send] pairs. */
async function gapsFor(server, values, requestOptions) {
	const piopiy = await limitedOnce(server, values.map((value) => (typeof value === 'function' ? value : () => value)));
	const run = await runPiopiy({
		url: piopiy.url,
		parameters: { ...MASK, requestOptions: { maxInFlight: 1, ...requestOptions } },
		credentials: { baseUrl: piopiy.url },
		items: values.map(() => ({})),
		onError: 'continueRegularOutput',
	});
	// Every item went through on its second try.
	expect(run.items.map((item) => item.json.error)).toEqual(values.map(() => undefined));
	expect(piopiy.requests).toHaveLength(values.length * 2);
	return values.map((value, i) => [String(value), piopiy.requests[2 * i + 1].time - piopiy.requests[2 * i].time]);
}

describe('a Retry-After that is neither whole seconds nor an HTTP date counts as absent: Retry Wait applies', () => {
	const server = useServers();

	test('negative, fractional, signed, exponent, hex, comma, units, words, ISO and not-quite-HTTP dates', async () => {
		const values = [
			'-1',
			'-5',
			'-0',
			'1.5',
			'0.5',
			'1,5',
			'+1',
			'1e1',
			'0x1',
			'5 s',
			'1 2',
			'now',
			'2000-01-01',
			'2001-02-03T04:05:06Z',
			// An IMF-fixdate but for one thing: a zone other than GMT, lower case, a one-digit day, a day
			// that does not exist, an hour past 23, a name that is not a day's.
			'Sun, 06 Nov 1994 08:49:37 UTC',
			'sun, 06 Nov 1994 08:49:37 GMT',
			'Sun, 6 Nov 1994 08:49:37 GMT',
			'Sun, 31 Feb 1994 08:49:37 GMT',
			'Sun, 06 Nov 1994 24:49:37 GMT',
			'Sud, 06 Nov 1994 08:49:37 GMT',
			'06 Nov 1994 08:49:37 GMT',
		];
		// Retry Wait 500 ms: the first retry waits between 250 and 500 ms (a random half, so that
		// concurrent items do not retry in lockstep); read as dates, they were re-sent within milliseconds.
		const gaps = await gapsFor(server, values, { retryWait: 500 });
		expect(gaps.filter(([, ms]) => ms < 200)).toEqual([]);
		expect(gaps.filter(([, ms]) => ms > 4000)).toEqual([]);
	});
});

describe('whole seconds and HTTP dates are honoured', () => {
	const server = useServers();

	test('"1" and " 01 " wait a second; "0" retries at once, not after Retry Wait', async () => {
		const gaps = await gapsFor(server, ['1', ' 01 ', '0'], { retryWait: 5000 });
		expect(gaps[0][1]).toBeGreaterThanOrEqual(950);
		expect(gaps[1][1]).toBeGreaterThanOrEqual(950);
		expect(gaps.slice(0, 2).filter(([, ms]) => ms > 4000)).toEqual([]);
		expect(gaps[2][1]).toBeLessThan(1500);
	});

	test('a date two seconds ahead in each of the three forms waits until then', async () => {
		const ahead = (form) => () => form(new Date(Date.now() + 2000));
		const gaps = await gapsFor(server, [ahead(imfFixdate), ahead(rfc850), ahead(asctime)], { retryWait: 10 });
		// Dates are whole seconds: two seconds ahead is between one and two seconds' wait.
		expect(gaps.filter(([, ms]) => ms < 950 || ms > 5000)).toEqual([]);
	});

	test('a date in the past, in each of the three forms, retries at once (not after Retry Wait)', async () => {
		const past = new Date(Date.UTC(1994, 10, 6, 8, 49, 37));
		expect([imfFixdate(past), rfc850(past), asctime(past)]).toEqual([
			'Sun, 06 Nov 1994 08:49:37 GMT',
			'Sunday, 06-Nov-94 08:49:37 GMT',
			'Sun Nov  6 08:49:37 1994',
		]);
		const gaps = await gapsFor(server, [imfFixdate(past), rfc850(past), asctime(past)], { retryWait: 5000 });
		expect(gaps.filter(([, ms]) => ms > 1500)).toEqual([]);
	});
});

describe('a wait past Max Retry Wait fails the item at once', () => {
	const server = useServers();
	const farAhead = imfFixdate(new Date(Date.UTC(9999, 11, 31, 23, 59, 59)));

	test.each([
		['1e+23 seconds as digits', '99999999999999999999999', 60],
		['400 nines (Infinity as a number)', '9'.repeat(400), 60],
		['3601 seconds, past the longest Max Retry Wait', '3601', 3600],
		['the last second of the year 9999', farAhead, 60],
	])('%s: "longer than Max Retry Wait", no number', async (_label, retryAfter, maxRetryWait) => {
		const piopiy = await server((_req, res) => sendJson(res, 429, LIMITED, { 'retry-after': retryAfter }));
		const { item, ms } = await maskCall(piopiy.url, { requestOptions: { maxRetryWait } });
		expect(ms).toBeLessThan(5000);
		expect(piopiy.requests).toHaveLength(1);
		expect(item.error).toBe(
			`Piopiy is limiting the request rate and asked to wait longer than Max Retry Wait (${maxRetryWait} seconds) for ${WHAT} ${CODES}`,
		);
		expect(item.details).toEqual({
			description: `That is more than 3600 seconds, the longest Max Retry Wait can be, so the node did not wait. Piopiy refused the request: no call was placed and the item can safely be run again. Slow down with Request Options: a lower Max Requests in Flight, a Max Calls per Second, or more Rate Limit Retries.`,
			httpCode: '429',
			piopiyCode: 429,
			piopiyMessage: 'Too many requests',
			mayHaveBeenPlaced: false,
			retries: 0,
			itemIndex: 0,
		});
	});

	test.each([
		['120', 60, '120 seconds'],
		['3600', 60, '3600 seconds'],
		['2', 1, '2 seconds'],
	])('Retry-After %p with Max Retry Wait %p: within what the setting can be raised to, the wait is named', async (retryAfter, maxRetryWait, asked) => {
		const piopiy = await server((_req, res) => sendJson(res, 429, LIMITED, { 'retry-after': retryAfter }));
		const { item } = await maskCall(piopiy.url, { requestOptions: { maxRetryWait } });
		expect(piopiy.requests).toHaveLength(1);
		expect(item.error).toBe(`Piopiy is limiting the request rate and asked to wait ${asked} for ${WHAT} ${CODES}`);
		expect(item.details.description).toBe(
			`That is longer than Request Options > Max Retry Wait (${maxRetryWait} ${maxRetryWait === 1 ? 'second' : 'seconds'}), so the node did not wait. Piopiy refused the request: no call was placed and the item can safely be run again. Raise Max Retry Wait, or slow down with a lower Max Requests in Flight, a Max Calls per Second, or more Rate Limit Retries.`,
		);
	});

	test('a date past Max Retry Wait but within an hour is named in seconds', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 429, LIMITED, { 'retry-after': imfFixdate(new Date(Date.now() + 600_000)) }));
		const { item } = await maskCall(piopiy.url, { requestOptions: { maxRetryWait: 60 } });
		expect(item.error).toMatch(new RegExp(`^Piopiy is limiting the request rate and asked to wait (599|600) seconds for ${WHAT} `));
	});
});
