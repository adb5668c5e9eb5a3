'use strict';
/**
 * Issue 17, defect 6: number text is read one way under both API generations. Only plain decimal
 * text counts as a number (nodes/shared/values.ts, decimalText): what JavaScript's Number() would
 * also read (hexadecimal, binary, octal, exponents, a plus sign, Infinity, digit separators,
 * digits of other scripts) is refused with the same words under v2 (App ID and App Secret) and v3
 * (API Token) wherever both take the field, and nothing is sent. Fields that take decimals (Speed,
 * a say prompt's speed) take plain decimal text; what passes goes on the wire as that number.
 */
const { runPiopiy } = require('../harness/piopiy');
const { APP_ID, APP_SECRET } = require('../harness/constants');
const { useV3Simulator, runPiopiyV3 } = require('../harness/v3');

const RUN = { v2: runPiopiy, v3: runPiopiyV3 };
const MASK = { operation: 'maskCall', agentNumber: '919876543210', callerId: '918044000000', customerNumbers: '919700000001' };
const CUSTOM = { operation: 'customCall', customerNumber: '919876543210', callerId: '918044000000' };
const KEYS_URL = 'https://n8n.example.com/webhook/piopiy-keys';
const ALERT = { operation: 'transactionAlertCall', customerNumber: '919876543210', callerId: '918044000000', message: 'Rs 1500 was debited.', resultUrl: KEYS_URL };

/** Text Number() reads as a number, none of it plain decimal text: refused wherever a number is asked for. */
const NOT_PLAIN = [
	'0x1',
	'0X1',
	'0b1',
	'0o1',
	'1e0',
	'1E1',
	'+1',
	'Infinity',
	'-Infinity',
	'NaN',
	'1_000',
	'1,000',
	'１',
	'١',
	'0x',
	'1n',
	'1 0',
	'--1',
	'- 1',
];
/** And, where a whole number is asked for, decimals. */
const NOT_WHOLE = [...NOT_PLAIN, '1.0', '1.', '.5'];
/** Where decimals are taken, what is still no plain decimal. */
const NOT_DECIMAL = [...NOT_PLAIN, '1.', '.', '1.2.3', '1,5', '0x1p0'];

const row = (values) => ({ ...CUSTOM, actionsSource: 'fields', actions: { action: [values] } });
const bridgeRow = (values) => row({ type: 'bridge', connect: '919000000001', ...values });
const inputRow = (values) => row({ type: 'input', actionUrl: KEYS_URL, ...values });
const json = (actions) => ({ ...CUSTOM, actionsSource: 'json', actionsJson: JSON.stringify(actions) });

/**
 * The fields both generations take: [field, parameters for the text under each generation, the
 * field's label in the error under each, the unit named]. A function of the generation where the
 * two write the same thing differently (a JSON action list).
 */
const WHOLE_FIELDS = [
	['Mask Call: Options > Duration', (t) => ({ ...MASK, options: { duration: t } }), 'Options > Duration (Seconds)', 'seconds'],
	['Mask Call: Options > Timeout', (t) => ({ ...MASK, options: { timeout: t } }), 'Options > Timeout (Seconds)', 'seconds'],
	['Mask Call: Options > Loop', (t) => ({ ...MASK, options: { loop: t } }), 'Options > Loop', 'retries'],
	['Custom Call builder: a bridge row\'s Duration', (t) => bridgeRow({ duration: t }), 'Actions > Action (number 1) > Duration (Seconds)', 'seconds'],
	['Custom Call builder: a bridge row\'s Ring Timeout', (t) => bridgeRow({ ringTimeout: t }), 'Actions > Action (number 1) > Ring Timeout (Seconds)', 'seconds'],
	['Custom Call builder: a bridge row\'s Loop', (t) => bridgeRow({ loop: t }), 'Actions > Action (number 1) > Loop', 'retries'],
	['Custom Call builder: an input row\'s Max Digits', (t) => inputRow({ maxDigits: t }), 'Actions > Action (number 1) > Max Digits', 'digits'],
	['Custom Call builder: an input row\'s Wait for Key', (t) => inputRow({ inputTimeout: t }), 'Actions > Action (number 1) > Wait for Key (Seconds)', 'seconds'],
	[
		'Custom Call builder: a play and collect row\'s Max Plays',
		(t) => row({ type: 'play_get_input', file: 'https://example.com/menu.wav', actionUrl: KEYS_URL, maxRetry: t }),
		'Actions > Action (number 1) > Max Plays',
		'plays',
	],
	[
		'Custom Call JSON: the digits to collect',
		(t, generation) =>
			json(
				generation === 'v2'
					? [{ action: 'input', action_url: KEYS_URL, max_digit: t }]
					: [{ action: 'input', on_result: { type: 'url', url: KEYS_URL }, dtmf: { max_digits: t } }],
			),
		(generation) => (generation === 'v2' ? 'Actions (JSON) (number 1) > max_digit' : 'Actions (JSON) (number 1) > dtmf > max_digits'),
		'digits',
	],
	[
		'Custom Call JSON: a bridge or connect\'s longest duration',
		(t, generation) =>
			json(
				generation === 'v2'
					? [{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000001 }], duration: t }]
					: [
							{
								action: 'connect',
								params: { caller_id: '918044000000', options: { max_duration_sec: t } },
								endpoints: [{ type: 'pstn', number: '919000000001' }],
							},
						],
			),
		(generation) => (generation === 'v2' ? 'Actions (JSON) (number 1) > duration' : 'Actions (JSON) (number 1) > params > options > max_duration_sec'),
		'seconds',
	],
];

const cases = (fields, texts) =>
	fields.flatMap(([name, parameters, label, unit]) =>
		['v2', 'v3'].flatMap((generation) => texts.map((text) => [name, generation, text, parameters, label, unit])),
	);

describe('number text that is not plain decimal digits: the same refusal under v2 and v3, nothing sent', () => {
	const fixture = useV3Simulator();

	test.each(cases(WHOLE_FIELDS, NOT_WHOLE))('%s, %s: %j', async (_name, generation, text, parameters, label, unit) => {
		const run = await RUN[generation]({ url: fixture.url, parameters: parameters(text, generation) });
		const field = typeof label === 'function' ? label(generation) : label;
		expect(run.nodeError?.message).toBe(`Invalid ${field} in item 0: ${JSON.stringify(text)} is not a whole number of ${unit}`);
		expect(run.nodeError.description).toMatch(/^No request was sent to Piopiy for item 0\. /);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('decimals where a field takes them: plain decimal text only', () => {
	const fixture = useV3Simulator();
	const sayJson = (speed) =>
		json([
			{
				action: 'play_get_input',
				prompt: { type: 'say', say: 'Press 1', language: 'en-IN', voice_id: 'female', speed },
				input: ['dtmf'],
				on_result: { type: 'url', url: KEYS_URL },
			},
		]);

	test.each(NOT_DECIMAL)('Speed %j: refused, nothing sent', async (text) => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: { ...ALERT, speed: text } });
		expect(run.nodeError?.message).toBe(`Invalid Speed in item 0: ${JSON.stringify(text)} is not a number (speech speed)`);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test.each(NOT_DECIMAL)('a say prompt\'s speed %j in Custom Call JSON: refused, nothing sent', async (text) => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: sayJson(text) });
		expect(run.nodeError?.message).toBe(`Invalid Actions (JSON) (number 1) > prompt > speed in item 0: ${JSON.stringify(text)} is not a number (speech speed)`);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test.each([
		['1.5', 1.5],
		[' 1.25 ', 1.25],
		['.5', 0.5],
		['2', 2],
		['1.0', 1],
	])('Speed %j goes as %j; a say prompt\'s speed the same', async (text, speed) => {
		const alert = await runPiopiyV3({ url: fixture.url, parameters: { ...ALERT, speed: text } });
		expect(alert.nodeError).toBeUndefined();
		expect(fixture.sim.requests[0].body.pipeline[0].prompt).toEqual({ type: 'say', say: 'Rs 1500 was debited.', language: 'en-US', voice_id: 'female', speed });
		const custom = await runPiopiyV3({ url: fixture.url, parameters: sayJson(text) });
		expect(custom.nodeError).toBeUndefined();
		expect(fixture.sim.requests[1].rawBody).toContain(`"prompt":{"type":"say","say":"Press 1","language":"en-IN","voice_id":"female","speed":${speed}}`);
	});
});

describe('plain decimal text is read as the number it says, under both generations', () => {
	const fixture = useV3Simulator();

	test('a Custom Call bridge row of Duration " 90 ", Ring Timeout "015" and Loop "1"', async () => {
		const parameters = bridgeRow({ duration: ' 90 ', ringTimeout: '015', loop: '1' });
		const v2 = await runPiopiy({ url: fixture.url, parameters });
		expect(v2.nodeError).toBeUndefined();
		expect(fixture.sim.requests[0].rawBody).toBe(
			JSON.stringify({
				extra_params: {},
				from: 918044000000,
				duration: 5400,
				pcmo: [{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000001 }], duration: 90, timeout: 15, loop: 1 }],
				to: 919876543210,
				appid: APP_ID,
				secret: APP_SECRET,
			}),
		);
		const v3 = await runPiopiyV3({ url: fixture.url, parameters });
		expect(v3.nodeError).toBeUndefined();
		expect(fixture.sim.requests[1].rawBody).toBe(
			JSON.stringify({
				caller_id: '918044000000',
				to_number: '919876543210',
				app_id: String(APP_ID),
				pipeline: [
					{
						action: 'connect',
						params: { caller_id: '918044000000', strategy: 'sequential', options: { max_duration_sec: 90, ring_timeout_sec: 15 } },
						endpoints: [{ type: 'pstn', number: '919000000001' }],
					},
				],
			}),
		);
	});

	test('Loop "2" in a bridge row under v3: told v3 has no Loop, as for the number 2', async () => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: bridgeRow({ loop: '2' }) });
		expect(run.nodeError?.message).toBe(
			'Invalid Actions > Action (number 1) > Loop in item 0: 2: the v3 API (API Token credential) has no Loop (ringing the second leg again when nobody answers); leave Loop at 1 or remove it, or use an App ID and App Secret credential (v2 API)',
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});
