'use strict';
/**
 * Piopiy's rejections (wrong credentials as an HTTP status and inside an HTTP 200 body), n8n's
 * "On Error" settings, and the App Secret kept out of everything a run records.
 */
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { APP_SECRET } = require('./harness/constants');

const MASK = { operation: 'maskCall', agentNumber: '919999999999', callerId: '918000000000', customerNumbers: '917600000000' };
const WRONG_SECRET = 'wrong-secret-Xk42';

describe.each([
	['as HTTP 401', 'http', 'Piopiy rejected the App ID or App Secret (HTTP 401, Piopiy code 401: Authentication failed)'],
	['inside an HTTP 200 body', 'body', 'Piopiy rejected the App ID or App Secret (HTTP 200, Piopiy code 401: Authentication failed)'],
])('wrong credentials reported %s', (_label, errorStyle, message) => {
	const fixture = useSimulator({ errorStyle });

	test('the run stops with an error that says what to fix; no call is placed', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: MASK, credentials: { appSecret: WRONG_SECRET } });
		expect(run.nodeError.name).toBe('NodeApiError');
		expect(run.nodeError.message).toBe(message);
		expect(run.nodeError.description).toBe(
			'Check the App ID and App Secret in the Piopiy API credential (Piopiy dashboard > Apps). No call was placed.',
		);
		expect(fixture.sim.requests).toHaveLength(1);
		expect(fixture.sim.calls).toHaveLength(0);
		expect(JSON.stringify(run.run)).not.toContain(WRONG_SECRET);
	});

	test('a number Piopiy refuses is reported with its code and words', async () => {
		fixture.sim.failNext(fixture.sim.failure(422, 'Invalid property: to'));
		const run = await runPiopiy({ url: fixture.url, parameters: MASK });
		expect(run.nodeError.message).toBe(
			`Piopiy refused the call to 919999999999 (HTTP ${errorStyle === 'http' ? 422 : 200}, Piopiy code 422: Invalid property: to)`,
		);
		expect(run.nodeError.description).toMatch(/^Piopiy did not accept a number or an option of this request, so no call was placed\./);
	});
});

describe('"On Error" settings', () => {
	const fixture = useSimulator();
	const items = [
		{ phone: '917600000001' },
		{ phone: 'not a number' },
		{ phone: '917600000003' },
		{ phone: '917600000004' },
		{ phone: '+91 76000 00005' },
	];
	const parameters = { ...MASK, customerNumbers: '={{ $json.phone }}' };

	beforeEach(() => {
		// Piopiy refuses the 4th contact; the 2nd never gets to Piopiy.
		fixture.sim.setFaults(({ index }) => (index === 2 ? fixture.sim.failure(422, 'Invalid property: connect') : undefined));
	});

	test('continue (regular output): one output item per input, paired, failures carry the error', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters, items, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(fixture.sim.requests.map((r) => r.body.pcmo[0].connect[0].number)).toEqual([
			917600000001, 917600000003, 917600000004, 917600000005,
		]);
		const [first, second, third, fourth, fifth] = run.items.map((item) => item.json);
		expect(first.request_id).toBe(fixture.sim.calls[0].request_id);
		expect(second).toEqual({
			error: 'Invalid Customer Numbers (number 1) in item 1: "not a number" has "n" (U+006E): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number',
			details: {
				description: 'No request was sent to Piopiy for item 1. Check the "Customer Numbers" field or the expression that fills it.',
				itemIndex: 1,
			},
		});
		expect(third.request_id).toBe(fixture.sim.calls[1].request_id);
		expect(fourth).toEqual({
			error: 'Piopiy refused the call to 919999999999 (HTTP 422, Piopiy code 422: Invalid property: connect)',
			details: {
				description: expect.stringMatching(/^Piopiy did not accept a number or an option/),
				httpCode: '422',
				piopiyCode: 422,
				piopiyMessage: 'Invalid property: connect',
				mayHaveBeenPlaced: false,
				itemIndex: 3,
			},
		});
		expect(fifth.request_id).toBe(fixture.sim.calls[2].request_id);
	});

	test('continue (error output): successes on the first output, failures on the second, all paired', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters, items, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem.item)).toEqual([0, 2, 4]);
		expect(run.items.every((item) => item.json.cmi_code === 200)).toBe(true);
		// n8n puts the input item's fields beside the error, so the failed contact is at hand.
		expect(run.errorItems.map((item) => [item.pairedItem.item, item.json.details.itemIndex, item.json.phone])).toEqual([
			[1, 1, 'not a number'],
			[3, 3, '917600000004'],
		]);
		expect(run.errorItems[1].json.error).toBe(
			'Piopiy refused the call to 919999999999 (HTTP 422, Piopiy code 422: Invalid property: connect)',
		);
	});

	test('stop (the default): the error says how many calls were already placed', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			// One at a time, so that the calls before the failure are placed and none after it.
			parameters: { ...parameters, requestOptions: { maxInFlight: 1 } },
			items: items.filter((_, i) => i !== 1),
		});
		expect(run.nodeError.message).toBe(
			'Piopiy refused the call to 919999999999 (HTTP 422, Piopiy code 422: Invalid property: connect)',
		);
		expect(run.nodeError.description).toMatch(
			/2 of 4 items had already placed their calls before this one failed; they are not undone\.$/,
		);
		expect(fixture.sim.calls).toHaveLength(2);
	});
});

describe('the App Secret stays secret', () => {
	const fixture = useSimulator();

	test('absent from the whole run data of a success, a validation error and a Piopiy error', async () => {
		fixture.sim.setFaults(({ index }) => (index === 1 ? { status: 500, body: { message: 'oops' } } : undefined));
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { ...MASK, customerNumbers: '={{ $json.phone }}' },
			items: [{ phone: '917600000001' }, { phone: '917600000002' }, { phone: 'x' }],
			onError: 'continueRegularOutput',
		});
		expect(run.items).toHaveLength(3);
		expect(run.items[1].json.error).toBe(
			"Piopiy's server failed while handling the call to 919999999999 (HTTP 500: oops)",
		);
		expect(fixture.sim.requests[0].body.secret).toBe(APP_SECRET);
		expect(JSON.stringify(run.run)).not.toContain(APP_SECRET);
	});
});
