'use strict';
/**
 * Issue 17, defect 7: a key of Extra Params (v2's extra_params, v3's call variables) or of any
 * other JSON object the node sends (v3's Variables, param data, connect metadata, endpoint
 * headers) is either sent exactly as given or refused by name, never dropped on the way.
 * n8n's HTTP client leaves "__proto__", "constructor" and "prototype" out of every request body
 * (nodes/shared/values.ts, UNSENT_KEYS), so those are refused by name, wherever they are and
 * however they are written; so is a key whose value JSON cannot carry (undefined, a function,
 * NaN). Each is refused under v2 and v3 alike with nothing sent. Their neighbours (toString,
 * hasOwnProperty, "Constructor"...) reach Piopiy as given: the exact body is checked.
 */
const { runPiopiy } = require('../harness/piopiy');
const { APP_ID, APP_SECRET } = require('../harness/constants');
const { useV3Simulator, runPiopiyV3 } = require('../harness/v3');
const { A1: AGENT_ID, A2: FAILOVER_ID } = require('../fixtures/piopiy-v3-values');

const RUN = { v2: runPiopiy, v3: runPiopiyV3 };
const MASK = { operation: 'maskCall', agentNumber: '919876543210', callerId: '918044000000', customerNumbers: '919700000001' };
const CUSTOM = { operation: 'customCall', customerNumber: '919876543210', callerId: '918044000000', actionsSource: 'json' };
const NO_REQUEST = 'No request was sent to Piopiy for item 0. ';

const unsent = (key) =>
	`"${key}" cannot be sent: n8n's HTTP client leaves the keys "__proto__", "constructor", "prototype" out of every request, so Piopiy would never get it; rename the key`;
const NO_JSON = 'which JSON cannot carry: give text, a number, true/false or null';

/** [Extra Params as the workflow gives them, the place named, the reason]. */
const REFUSED = [
	['{"__proto__": "x", "crm_id": "A-17"}', '__proto__', unsent('__proto__')],
	['{"crm_id": "A-17", "constructor": "x"}', 'constructor', unsent('constructor')],
	['{"prototype": "x"}', 'prototype', unsent('prototype')],
	['{"__proto__": {"crm_id": "A-17"}}', '__proto__', unsent('__proto__')],
	['{"constructor": {"prototype": 1}}', 'constructor', unsent('constructor')],
	['{"\\u0063onstructor": "x"}', 'constructor', unsent('constructor')],
	['{"__pro\\u0074o__": 1}', '__proto__', unsent('__proto__')],
	['{"crm": {"id": "A-17", "constructor": "x"}}', 'crm > constructor', unsent('constructor')],
	['{"leads": [{"id": 1}, {"prototype": 2}]}', 'leads (number 2) > prototype', unsent('prototype')],
	['={{ JSON.parse(\'{"__proto__": "x"}\') }}', '__proto__', unsent('__proto__')],
	['={{ { crm_id: "A-17", constructor: "x" } }}', 'constructor', unsent('constructor')],
	['={{ { crm_id: $json.missing, lead: "L-1" } }}', 'crm_id', `there is no value (undefined), ${NO_JSON}`],
	['={{ { crm: { id: undefined } } }}', 'crm > id', `there is no value (undefined), ${NO_JSON}`],
	['={{ { list: [1, undefined] } }}', 'list (number 2)', `there is no value (undefined), ${NO_JSON}`],
	['={{ { f: () => 1 } }}', 'f', `there is a function, ${NO_JSON}`],
	['={{ { score: 0 / 0 } }}', 'score', 'NaN is no number JSON can carry (it would go as null): give a finite number'],
	['={{ { score: 1 / 0 } }}', 'score', 'Infinity is no number JSON can carry (it would go as null): give a finite number'],
];

describe('Extra Params keys that would vanish: refused by name under v2 and v3, nothing sent', () => {
	const fixture = useV3Simulator();

	test.each(['v2', 'v3'].flatMap((generation) => REFUSED.map((entry) => [generation, ...entry])))('%s: %s', async (generation, extraParams, place, reason) => {
		const run = await RUN[generation]({ url: fixture.url, parameters: { ...MASK, options: { extraParams } } });
		expect(run.nodeError?.message).toBe(`Invalid Options > Extra Params > ${place} in item 0: ${reason}`);
		expect(run.nodeError.description.startsWith(NO_REQUEST)).toBe(true);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test.each(['v2', 'v3'])('%s: Order Confirmation Call, whose Extra Params also go in the Keypress URL', async (generation) => {
		const parameters = {
			operation: 'orderConfirmationCall',
			customerNumber: '919876543210',
			callerId: '918044000000',
			orderId: 'A-1001',
			message: 'Press 1 to confirm your order.',
			actionUrl: 'https://n8n.example.com/webhook/piopiy-keys',
			options: { extraParams: '{"constructor": "x"}' },
		};
		const run = await RUN[generation]({ url: fixture.url, parameters });
		expect(run.nodeError?.message).toBe(`Invalid Options > Extra Params > constructor in item 0: ${unsent('constructor')}`);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('the other JSON objects v3 sends: the same rule', () => {
	const fixture = useV3Simulator();
	const connect = (changes) => [
		{ action: 'connect', params: { caller_id: '918044000000', ...changes.params }, endpoints: [{ type: 'pstn', number: '919000000001', ...changes.endpoint }] },
	];

	test.each([
		[
			'AI Agent Call, Options > Variables',
			{ operation: 'aiAgentCall', customerNumber: '919876543210', callerId: '918044000000', agentId: AGENT_ID, options: { variables: '{"prototype": "x"}' } },
			'Options > Variables > prototype',
			'prototype',
		],
		[
			'AI Agent Call, Options > Failover Metadata',
			{
				operation: 'aiAgentCall',
				customerNumber: '919876543210',
				callerId: '918044000000',
				agentId: AGENT_ID,
				options: { failoverAgentId: FAILOVER_ID, failoverMetadata: '{"__proto__": "x"}' },
			},
			'Options > Failover Metadata > __proto__',
			'__proto__',
		],
		['a param action\'s data', { ...CUSTOM, actionsJson: '[{"action": "param", "data": {"constructor": "x"}}]' }, 'Actions (JSON) (number 1) > data > constructor', 'constructor'],
		[
			'a connect\'s metadata',
			{ ...CUSTOM, actionsJson: JSON.stringify(connect({ params: { metadata: { lead: 'L-1' } } })).replace('"lead"', '"__proto__"') },
			'Actions (JSON) (number 1) > params > metadata > __proto__',
			'__proto__',
		],
		[
			'an endpoint\'s headers',
			{ ...CUSTOM, actionsJson: JSON.stringify(connect({ endpoint: { headers: { 'X-Lead': { prototype: 1 } } } })) },
			'Actions (JSON) (number 1) > endpoints (number 1) > headers > X-Lead > prototype',
			'prototype',
		],
	])('%s', async (_name, parameters, field, key) => {
		const run = await runPiopiyV3({ url: fixture.url, parameters });
		expect(run.nodeError?.message).toBe(`Invalid ${field} in item 0: ${unsent(key)}`);
		expect(run.nodeError.description.startsWith(NO_REQUEST)).toBe(true);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('their neighbours reach Piopiy exactly as given', () => {
	const fixture = useV3Simulator();
	const NEIGHBOURS = {
		toString: 'a',
		hasOwnProperty: 'b',
		valueOf: 1,
		isPrototypeOf: true,
		__defineGetter__: 'c',
		__proto: 'd',
		proto__: 'e',
		Constructor: 'f',
		PROTOTYPE: 'g',
		constructor_: 'h',
		_prototype: 'i',
	};
	const text = JSON.stringify(NEIGHBOURS);

	test('v2: in extra_params, at the top and nested', async () => {
		const extraParams = `{"crm": ${text}, ${text.slice(1)}`;
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, options: { extraParams } } });
		expect(run.nodeError).toBeUndefined();
		expect(fixture.sim.requests[0].rawBody).toBe(
			`{"extra_params":${extraParams.replace(/ /g, '')},"from":918044000000,"duration":5400,"pcmo":[{"action":"bridge","from":918044000000,"connect":[{"type":"pstn","number":919700000001}],"duration":5400,"timeout":40,"loop":1}],"to":919876543210,"appid":${APP_ID},"secret":"${APP_SECRET}"}`,
		);
	});

	test('v3: as the call variables', async () => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: { ...MASK, options: { extraParams: text } } });
		expect(run.nodeError).toBeUndefined();
		expect(fixture.sim.requests[0].rawBody).toBe(
			`{"caller_id":"918044000000","to_number":"919876543210","app_id":"${APP_ID}","pipeline":[{"action":"connect","params":{"caller_id":"918044000000","strategy":"sequential"},"endpoints":[{"type":"pstn","number":"919700000001"}]}],"variables":${text}}`,
		);
	});
});
