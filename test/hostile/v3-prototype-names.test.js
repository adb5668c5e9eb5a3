'use strict';
/**
 * Issue 17, defect 2: the names every JavaScript object has (toString, constructor, __proto__,
 * hasOwnProperty, valueOf and the rest of Object.prototype's) are no v3 action, endpoint type,
 * prompt type or on_result type, and no key of any v3 object. Wherever a name picks a schema
 * (nodes/shared/v3/actions.ts, connect.ts, prompts.ts) or finds a hint (checks.ts), only own keys
 * count: each is refused naming the item and the field, never a TypeError ("schema.safeParse is
 * not a function") nor a hint made of a built-in function's text; nothing is sent. Where v2 has
 * the same field (Custom Call's Actions (JSON)), it is run under v2 too (round 1, pcmo-names.test.js).
 */
const { runPiopiy } = require('../harness/piopiy');
const { useV3Simulator, runPiopiyV3 } = require('../harness/v3');
const { CALL: CALL_ID } = require('../fixtures/piopiy-v3-values');

const NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
const CUSTOM = { operation: 'customCall', customerNumber: '919876543210', callerId: '918044000000', actionsSource: 'json' };
const KEYS_URL = 'https://n8n.example.com/webhook/piopiy-keys';
const V3_ACTIONS = '"connect", "hangup", "input", "param", "play", "play_get_input", "record"';
const V2_ACTIONS = '"speak", "play", "input", "play_get_input", "bridge", "record", "hangup", "param", "stream"';
const NO_REQUEST = (field) => `No request was sent to Piopiy for item 0. Check the "${field}" field or the expression that fills it.`;

/**
 * The JSON text of `actions` with NAME (a placeholder) replaced by the name, written into the text
 * so that "__proto__" stays a key or a value as JSON text has it, not an object's prototype.
 */
const withName = (actions, name) => JSON.stringify(actions).replaceAll('"NAME"', JSON.stringify(name));

const connectTo = (endpoint) => [{ action: 'connect', params: { caller_id: '918044000000' }, endpoints: [endpoint] }];
const playGetInput = (changes) => [
	{ action: 'play_get_input', prompt: { type: 'file', file_name: 'menu.wav' }, input: ['dtmf'], on_result: { type: 'url', url: KEYS_URL }, ...changes },
];

/** [where, the v3 actions with NAME at that place, the field in the error, what the name is not]. */
const V3_PLACES = [
	['an action', [{ action: 'NAME' }], 'Actions (JSON) (number 1) > action', (q) => `${q} is not a v3 action; use one of ${V3_ACTIONS}`],
	[
		'an endpoint type',
		connectTo({ type: 'NAME', number: '919000000001' }),
		'Actions (JSON) (number 1) > endpoints (number 1) > type',
		(q) => `${q} is not an endpoint type; use "pstn" (a phone number), "sip" or "agent" (an AI agent)`,
	],
	[
		'a prompt type',
		playGetInput({ prompt: { type: 'NAME', file_name: 'menu.wav' } }),
		'Actions (JSON) (number 1) > prompt > type',
		(q) => `${q} is not a prompt type; use "say" (text to speech) or "file" (an audio file)`,
	],
	[
		'a retry prompt type',
		playGetInput({ retries: { max: 1, no_input_prompt: { type: 'NAME' } } }),
		'Actions (JSON) (number 1) > retries > no_input_prompt > type',
		(q) => `${q} is not a prompt type; use "say" (text to speech) or "file" (an audio file)`,
	],
	[
		'an on_result type',
		[{ action: 'input', on_result: { type: 'NAME', url: KEYS_URL } }],
		'Actions (JSON) (number 1) > on_result > type',
		(q) => `${q} is not an "on_result" type; use "url" or "pcmo"`,
	],
	[
		'a key of an action (one with hints for keys it does not have)',
		[{ action: 'play', file_name: 'menu.wav', NAME: 1 }],
		'Actions (JSON) (number 1) > NAME',
		(q) => `${q} is not a key of a "play" action, which has "action", "file_name"`,
	],
	[
		'a key of a connect\'s params',
		[{ action: 'connect', params: { caller_id: '918044000000', NAME: 1 }, endpoints: [{ type: 'pstn', number: '919000000001' }] }],
		'Actions (JSON) (number 1) > params > NAME',
		(q) => `${q} is not a key of a connect's "params", which has "caller_id", "strategy", "options", "metadata"`,
	],
	[
		'a key of a say prompt',
		playGetInput({ prompt: { type: 'say', say: 'Press 1', language: 'en-IN', voice_id: 'female', speed: 1, NAME: 1 } }),
		'Actions (JSON) (number 1) > prompt > NAME',
		(q) => `${q} is not a key of a "say" prompt, which has "type", "say", "language", "voice_id", "speed"`,
	],
	[
		'a key of the dtmf settings',
		[{ action: 'input', on_result: { type: 'url', url: KEYS_URL }, dtmf: { max_digits: 1, NAME: 1 } }],
		'Actions (JSON) (number 1) > dtmf > NAME',
		(q) => `${q} is not a key of the dtmf settings, which has "min_digits", "max_digits", "finish_on_key", "first_digit_timeout", "inter_digit_timeout", "flush_buffer"`,
	],
];

const cases = (places) => places.flatMap(([where, actions, field, message]) => NAMES.map((name) => [where, name, actions, field, message]));

/** The field as the error names it, with the name where the place has NAME. */
const fieldFor = (field, name) => field.replace('NAME', name);
/** And as the description names it (without the numbers of list entries). */
const describedField = (field) => field.replace(/ \(number \d+\)/g, '');

describe('v3 Custom Call JSON: each name at each place refused, naming the item and the field; nothing sent', () => {
	const fixture = useV3Simulator();

	test.each(cases(V3_PLACES))('%s named %j', async (_where, name, actions, field, message) => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: { ...CUSTOM, actionsJson: withName(actions, name) } });
		expect(run.nodeError?.message).toBe(`Invalid ${fieldFor(field, name)} in item 0: ${message(JSON.stringify(name))}`);
		expect(run.nodeError.description).toBe(NO_REQUEST(describedField(fieldFor(field, name))));
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('v3 Transfer Call pipeline: the same', () => {
	const fixture = useV3Simulator();
	const TRANSFER = { operation: 'transferCall', callId: CALL_ID, transferType: 'pipeline' };

	test.each(NAMES)('an action named %j', async (name) => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: { ...TRANSFER, pipeline: withName([{ action: 'NAME' }], name) } });
		expect(run.nodeError?.message).toBe(`Invalid Pipeline (JSON) (number 1) > action in item 0: ${JSON.stringify(name)} is not a v3 action; use one of ${V3_ACTIONS}`);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test.each(NAMES)('an endpoint type named %j', async (name) => {
		const pipeline = withName(connectTo({ type: 'NAME', number: '919000000001' }), name);
		const run = await runPiopiyV3({ url: fixture.url, parameters: { ...TRANSFER, pipeline } });
		expect(run.nodeError?.message).toBe(
			`Invalid Pipeline (JSON) (number 1) > endpoints (number 1) > type in item 0: ${JSON.stringify(name)} is not an endpoint type; use "pstn" (a phone number), "sip" or "agent" (an AI agent)`,
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('the same field under v2 (App ID and App Secret): the same names refused', () => {
	const fixture = useV3Simulator();

	test.each(NAMES)('an action named %j', async (name) => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...CUSTOM, actionsJson: withName([{ action: 'NAME' }], name) } });
		expect(run.nodeError?.message).toBe(`Invalid Actions (JSON) (number 1) > action in item 0: ${JSON.stringify(name)} is not a PCMO action; use one of ${V2_ACTIONS}`);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test.each(NAMES)('a key named %j in an action', async (name) => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...CUSTOM, actionsJson: withName([{ action: 'play', file_name: 'menu.wav', NAME: 1 }], name) } });
		expect(run.nodeError?.message).toBe(
			`Invalid Actions (JSON) (number 1) > ${name} in item 0: ${JSON.stringify(name)} is not a property of the "play" action, which has "file_url", "file_name"`,
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});
