'use strict';
/**
 * Bad input: each gets an error naming the field, the item and the value, and no request is sent.
 */
const { runPiopiy, useSimulator } = require('./harness/piopiy');

const MASK = { operation: 'maskCall', agentNumber: '919999999999', callerId: '918000000000', customerNumbers: '917600000000' };
const DIALER = {
	operation: 'dialerCall',
	customerNumber: '14155550100',
	piopiyNumber: '19170000000',
	agentNumbers: '919000000001',
};

describe('each bad value stops the run with a clear error and sends nothing', () => {
	const fixture = useSimulator();

	const cases = [
		[{ ...MASK, agentNumber: 'call me' }, 'Invalid Agent Number in item 0: "call me" has "c" (U+0063): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number'],
		[{ ...MASK, agentNumber: '98765' }, 'Invalid Agent Number in item 0: "98765" has 5 digits: a phone number has 7 to 15 digits with its country code first'],
		[{ ...MASK, agentNumber: '+91 98765 43210 12345' }, 'Invalid Agent Number in item 0: "+91 98765 43210 12345" has 17 digits: a phone number has 7 to 15 digits with its country code first'],
		[{ ...MASK, agentNumber: '09876543210' }, 'Invalid Agent Number in item 0: "09876543210" starts with 0: write it with its country code first, e.g. 919876543210 rather than 09876543210'],
		[{ ...MASK, agentNumber: '={{ "" }}' }, 'Invalid Agent Number in item 0: "" is empty: a phone number is needed'],
		[{ ...MASK, agentNumber: '={{ $json.missing }}' }, 'Invalid Agent Number in item 0: there is no value (undefined): a phone number is needed'],
		[{ ...MASK, agentNumber: '={{ { phone: 1 } }}' }, 'Invalid Agent Number in item 0: {"phone":1} is an object, not a phone number'],
		[{ ...MASK, callerId: '={{ 9.1e11 + 0.5 }}' }, 'Invalid Caller ID in item 0: 910000000000.5 is not a phone number'],
		[{ ...MASK, callerId: '={{ null }}' }, 'Invalid Caller ID in item 0: there is no value (null): a phone number is needed'],
		[{ ...MASK, customerNumbers: ' , ' }, 'Invalid Customer Numbers in item 0: no phone number was given'],
		[{ ...MASK, customerNumbers: '917600000000, 9176x0000000' }, 'Invalid Customer Numbers (number 2) in item 0: " 9176x0000000" has "x" (U+0078): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number'],
		[{ ...MASK, customerNumbers: '917600000000, +91 76000 00000' }, 'Invalid Customer Numbers (number 2) in item 0: 917600000000 is listed twice'],
		[{ ...MASK, customerNumbers: `={{ Array.from({length: 21}, (_, i) => 919800000000 + i) }}` }, 'Invalid Customer Numbers in item 0: 21 numbers were given; one call rings at most 20'],
		[{ ...MASK, customerNumbers: '={{ { a: 1 } }}' }, 'Invalid Customer Numbers in item 0: {"a":1} is an object, not a list of phone numbers'],
		[{ ...DIALER, agentNumbers: '={{ [919000000001, true] }}' }, 'Invalid Agent Numbers (number 2) in item 0: true is a boolean, not a phone number'],
		[{ ...DIALER, customerNumber: '+1 415 555 01OO' }, 'Invalid Customer Number in item 0: "+1 415 555 01OO" has "O" (U+004F): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number'],
		[{ ...DIALER, piopiyNumber: '={{ "  " }}' }, 'Invalid Piopiy Number in item 0: "  " is empty: a phone number is needed'],
		[{ ...MASK, options: { duration: 0 } }, 'Invalid Options > Duration (Seconds) in item 0: 0 is outside the allowed 1 to 86400 seconds'],
		[{ ...MASK, options: { duration: -5 } }, 'Invalid Options > Duration (Seconds) in item 0: -5 is outside the allowed 1 to 86400 seconds'],
		[{ ...MASK, options: { duration: 5400000 } }, 'Invalid Options > Duration (Seconds) in item 0: 5400000 is outside the allowed 1 to 86400 seconds'],
		[{ ...MASK, options: { duration: '90.5' } }, 'Invalid Options > Duration (Seconds) in item 0: "90.5" is not a whole number of seconds'],
		[{ ...MASK, options: { timeout: 0 } }, 'Invalid Options > Timeout (Seconds) in item 0: 0 is outside the allowed 1 to 300 seconds'],
		[{ ...MASK, options: { timeout: 'soon' } }, 'Invalid Options > Timeout (Seconds) in item 0: "soon" is not a whole number of seconds'],
		[{ ...MASK, options: { loop: 0 } }, 'Invalid Options > Loop in item 0: 0 is outside the allowed 1 to 10 retries'],
		[{ ...MASK, options: { ringType: '={{ "everyone" }}' } }, 'Invalid Options > Ring Type in item 0: "everyone" is not one of "single", "group"'],
		[{ ...MASK, options: { region: '={{ "europe" }}' } }, 'Invalid Options > Region in item 0: "europe" is not one of "auto", "india", "global"'],
		[{ ...MASK, options: { extraParams: '{crmId: 1}' } }, 'Invalid Options > Extra Params in item 0: "{crmId: 1}" is not valid JSON'],
		[{ ...MASK, options: { extraParams: '[1,2]' } }, 'Invalid Options > Extra Params in item 0: "[1,2]" is a list, not a JSON object like {"crmId": "A-17"}'],
	];

	test.each(cases)('%j', async (parameters, message) => {
		const run = await runPiopiy({ url: fixture.url, parameters });
		expect(run.nodeError).toBeDefined();
		expect(run.nodeError.message).toBe(message);
		expect(run.nodeError.description).toMatch(/^No request was sent to Piopiy for item 0\. Check the ".+" field/);
		expect(run.items).toEqual([]);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe("n8n's own check of required fields", () => {
	const fixture = useSimulator();

	test('a required number left empty in the editor is refused by n8n before the run starts', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, agentNumber: '' } });
		expect(run.error.message).toBe("The 'Piopiy' node has issues:\n- Parameter \"Agent Number\" is required.");
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('all items are checked before any call is placed', () => {
	const fixture = useSimulator();

	test('a bad third item stops the run before the first two are called', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			items: [{ phone: '917600000001' }, { phone: '917600000002' }, { phone: 'n/a' }, { phone: '917600000004' }],
			parameters: { ...MASK, customerNumbers: '={{ $json.phone }}' },
		});
		expect(run.nodeError.message).toBe(
			'Invalid Customer Numbers (number 1) in item 2: "n/a" has "n" (U+006E): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number',
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});
