'use strict';
/**
 * Issue 9, item 9: the smaller edges.
 * - Whole-number fields take text only as plain decimal digits: "0x10" and "1e3" are refused, as
 *   phone fields refuse them, instead of being read as 16 and 1000.
 * - "." and "/" are not readability marks inside a phone number.
 * - A Custom Call bridge refuses a number listed twice, as Customer Numbers does.
 * - A run stopped while an item waits out a 429 reports the one try that was made, not two.
 */
const { runPiopiy } = require('../harness/piopiy');
const { useServers, maskCall, placed, sendJson, WHAT } = require('./support');

describe('whole numbers as text: decimal digits only', () => {
	const server = useServers();

	test.each([
		['0x10', '"0x10" is not a whole number of seconds'],
		['1e3', '"1e3" is not a whole number of seconds'],
		[' 1e3 ', '" 1e3 " is not a whole number of seconds'],
		['1.0', '"1.0" is not a whole number of seconds'],
		['0b11', '"0b11" is not a whole number of seconds'],
		['+60', '"+60" is not a whole number of seconds'],
		['-60', '"-60" is outside the allowed 1 to 86400 seconds'],
	])('Duration %p is refused', async (duration, why) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { item } = await maskCall(piopiy.url, { parameters: { options: { duration } } });
		expect(item.error).toBe(`Invalid Options > Duration (Seconds) in item 0: ${why}`);
		expect(piopiy.requests).toHaveLength(0);
	});

	test('"90" and " 90 " as text are 90; 1e3 as a number is 1000', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		for (const duration of ['90', ' 90 ', 1e3]) await maskCall(piopiy.url, { parameters: { options: { duration } } });
		expect(piopiy.requests.map((r) => JSON.parse(r.body).duration)).toEqual([90, 90, 1000]);
	});

	test('the same in Request Options: Timeout "1e1" is refused before anything is sent', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { item } = await maskCall(piopiy.url, { requestOptions: { timeout: '1e1' } });
		expect(item.error).toBe('Invalid Request Options > Timeout (Seconds) in item 0: "1e1" is not a whole number of seconds');
		expect(piopiy.requests).toHaveLength(0);
	});
});

describe('phone numbers: "." and "/" are not readability marks', () => {
	const server = useServers();

	test.each([
		['9198765/4321', '"/" (U+002F)'],
		['91.98765.43210', '"." (U+002E)'],
		['919876543210/1', '"/" (U+002F)'],
	])('%s is refused', async (number, character) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const { item } = await maskCall(piopiy.url, { parameters: { customerNumbers: number } });
		expect(item.error).toBe(
			`Invalid Customer Numbers (number 1) in item 0: ${JSON.stringify(number)} has ${character}, which more likely separates two numbers or an extension than groups the digits of one: only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number`,
		);
		expect(piopiy.requests).toHaveLength(0);
	});

	test('spaces, dashes and brackets still are', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		await maskCall(piopiy.url, { parameters: { customerNumbers: '+91 (98765) 432-10' } });
		expect(JSON.parse(piopiy.requests[0].body).pcmo[0].connect).toEqual([{ type: 'pstn', number: 919876543210 }]);
	});
});

describe('a Custom Call bridge with a number listed twice', () => {
	const server = useServers();
	const custom = (actionsJson) => ({ operation: 'customCall', customerNumber: '+1 415 555 0100', callerId: '19170000000', actionsSource: 'json', actionsJson });

	test('as JSON: refused, naming the leg', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const run = await runPiopiy({
			url: piopiy.url,
			parameters: custom(
				'[{"action": "bridge", "from": 19170000000, "connect": [{"type": "pstn", "number": "919000000001"}, {"type": "pstn", "number": 919000000002}, {"type": "pstn", "number": "+91 90000 00001"}]}]',
			),
			onError: 'continueRegularOutput',
		});
		expect(run.items[0].json.error).toBe('Invalid Actions (JSON) (number 1) > connect (number 3) > number in item 0: 919000000001 is listed twice');
		expect(piopiy.requests).toHaveLength(0);
	});

	test('in the fields: refused as in Customer Numbers', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const run = await runPiopiy({
			url: piopiy.url,
			parameters: { operation: 'customCall', customerNumber: '+1 415 555 0100', callerId: '19170000000', actions: { action: [{ type: 'bridge', connect: '919000000001, +91 90000 00001' }] } },
			onError: 'continueRegularOutput',
		});
		expect(run.items[0].json.error).toMatch(/919000000001 is listed twice$/);
		expect(piopiy.requests).toHaveLength(0);
	});
});

describe('a run stopped during a rate-limit wait', () => {
	const server = useServers();

	test('reports the one try made, and that no call was placed', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 429, { cmi_code: 429, message: 'Too many requests' }, { 'retry-after': '5' }));
		const started = Date.now();
		const run = await runPiopiy({
			url: piopiy.url,
			parameters: { operation: 'maskCall', agentNumber: '919999999999', callerId: '918000000000', customerNumbers: '917600000000' },
			onError: 'continueRegularOutput',
			cancelAfterMs: 600,
		});
		expect(Date.now() - started).toBeLessThan(3000);
		expect(piopiy.requests).toHaveLength(1);
		const { json } = run.items[0];
		expect(json.error).toBe(`The run was stopped before ${WHAT} was sent again`);
		expect(json.details).toMatchObject({ mayHaveBeenPlaced: false, retries: 0 });
		expect(json.details.description).toBe(
			"Piopiy had answered the item's only try with a rate limit or a refused connection, neither of which places a call, and the run was stopped while it waited to send it again: no call was placed, and the item can safely be run again.",
		);
	});
});
