'use strict';
/**
 * Issue 10: every class of input Piopiy's SDK 1.2.0 refuses (test/fixtures/piopiy-v3-refusals.js)
 * has a test at the level of the node's operations, in n8n's engine: the user's values go into the
 * fields of an operation, and the node refuses them before anything is sent, with its own message
 * naming the field, the item and the value. Where the node has no way to express the SDK's input
 * (an unknown top-level key, a call-level machine detection, a pipeline in a flow call), the test
 * shows what the node does with the nearest thing a user can give instead.
 *
 * - Pipeline rules: the refused pipeline is pasted into Custom Call's Actions (JSON), and every
 *   other one into Transfer Call's Pipeline (JSON); the message is the one the fixture expects.
 * - Variables: given as an AI Agent Call's (or, every other one, a Flow Call's) Options > Variables.
 * - The rest, one test each below, naming the SDK cases it covers.
 * A last test checks that every refused SDK case is covered.
 */
const { cases, NORMALISED } = require('./fixtures/piopiy-v3-refusals');
const { useV3Simulator, runPiopiyV3 } = require('./harness/v3');

const { CALLER, TO, A1, A2, CALL, FLOW, ORG } = require('./fixtures/piopiy-v3-values');

const refused = cases.filter((c) => !c.surface && c.node !== NORMALISED);
// A pipeline that is empty or no list at all is a class of its own below (its JSON text is quoted as given).
const pipelineCases = refused.filter((c) => c.endpoint === '/voice/pcmo/call' && c.node[0].startsWith('pipeline['));
const variableCases = refused.filter((c) => c.node[0].startsWith('variables'));

const AI = { operation: 'aiAgentCall', customerNumber: TO, callerId: CALLER, agentId: A1 };
const FLOW_CALL = { operation: 'flowCall', customerNumber: TO, callerId: CALLER, flowId: FLOW, orgId: ORG };
const MASK = { operation: 'maskCall', agentNumber: TO, callerId: CALLER, customerNumbers: '918888888887' };
const CUSTOM = { operation: 'customCall', customerNumber: TO, callerId: CALLER, actionsSource: 'json', actionsJson: '[{"action": "hangup"}]' };
const HANG_UP = { operation: 'hangUpCall', callId: CALL };

const fixture = useV3Simulator();

/** Runs the operation; it must be refused before sending. Resolves to the error message. */
async function refusedMessage(parameters, credentials) {
	const run = await runPiopiyV3({ url: fixture.url, parameters, credentials });
	expect(fixture.sim.requests).toHaveLength(0);
	expect(run.nodeError).toBeDefined();
	expect(run.nodeError.description).toMatch(/No request was sent to Piopiy for item 0\./);
	return run.nodeError.message;
}

/** Runs the operation; it must send one request. Resolves to its body. */
async function sentBody(parameters, credentials) {
	const run = await runPiopiyV3({ url: fixture.url, parameters, credentials });
	expect(run.nodeError).toBeUndefined();
	expect(fixture.sim.requests).toHaveLength(1);
	expect(fixture.sim.requests[0].status).toBe(200);
	return fixture.sim.requests[0].body;
}

describe('pipeline rules: a refused pipeline pasted into Custom Call or Transfer Call', () => {
	test.each(pipelineCases.map((c, index) => [c.sdk, index % 2 === 0 ? 'customCall' : 'transferCall', c]))('%s (%s)', async (_name, operation, testCase) => {
		const json = JSON.stringify(testCase.body.pipeline);
		const [label, parameters] =
			operation === 'customCall'
				? ['Actions (JSON)', { ...CUSTOM, actionsJson: json }]
				: ['Pipeline (JSON)', { operation: 'transferCall', callId: CALL, transferType: 'pipeline', pipeline: json }];
		const message = await refusedMessage(parameters);
		expect(message.startsWith(`Invalid ${label}`)).toBe(true);
		expect(message).toMatch(/ in item 0: /);
		expect(message).toMatch(testCase.node[1]);
	});
});

describe("variables: the refused map given as an AI Agent Call's or a Flow Call's variables", () => {
	test.each(variableCases.map((c, index) => [c.sdk, index % 2 === 0 ? AI : FLOW_CALL, c]))('%s', async (_name, base, testCase) => {
		const [, key] = testCase.node[0].split('.');
		const message = await refusedMessage({ ...base, options: { variables: JSON.stringify(testCase.body.variables) } });
		expect(message.startsWith(`Invalid Options > Variables > ${key} in item 0: `)).toBe(true);
		expect(message).toMatch(testCase.node[1]);
	});
});

/** One test per remaining class: [title, the SDK cases it covers, the test]. */
const CLASSES = [
	[
		'phone numbers v3 would refuse: Customer Number',
		['number with leading 0', 'number too short (6 digits)', 'number 17 digits'],
		async () => {
			for (const testCase of refused.filter((c) => c.node[0] === 'to_number')) {
				const message = await refusedMessage({ ...AI, customerNumber: testCase.body.to_number });
				expect(message).toMatch(/^Invalid Customer Number in item 0: /);
				expect(message).toMatch(testCase.node[1]);
			}
		},
	],
	[
		'no App ID in the credential: calls that name the app are refused, naming the credential',
		['app_id missing in voice.call', 'app_id missing in pcmo.call', 'ai.call failover without app_id'],
		async () => {
			const words = 'the credential has no App ID: v3 pipeline and flow calls need the App ID of your Piopiy app (Piopiy dashboard > Apps)';
			expect(await refusedMessage(MASK, { appId: 0 })).toBe(`The Piopiy API credential cannot be used for Mask Call in item 0: ${words}`);
			expect(await refusedMessage(CUSTOM, { appId: 0 })).toBe(`The Piopiy API credential cannot be used for Custom Call in item 0: ${words}`);
			expect(await refusedMessage({ ...AI, options: { failoverAgentId: A2 } }, { appId: 0 })).toBe(
				`The Piopiy API credential cannot be used for AI Agent Call in item 0: ${words}`,
			);
		},
	],
	[
		'an AI agent call without failover names no app, though the credential has an App ID',
		['ai.call app_id without failover'],
		async () => {
			expect(await sentBody(AI)).toEqual({ caller_id: CALLER, to_number: TO, agent_id: A1 });
		},
	],
	[
		'v2 habits at the top level (ring_type): the node has no free keys; Ring Type becomes the connect strategy',
		['unknown top-level field in pcmo.call'],
		async () => {
			const body = await sentBody({ ...MASK, options: { ringType: 'group' } });
			expect(Object.keys(body)).toEqual(['caller_id', 'to_number', 'app_id', 'pipeline']);
			expect(body.pipeline[0].params.strategy).toBe('simultaneous');
			expect(JSON.stringify(body)).not.toContain('ring_type');
		},
	],
	[
		'call options out of range: Duration and Max Duration (30 to 7200 seconds, whole)',
		['call_options.max_duration_sec = 29', 'call_options.max_duration_sec = 7201', 'options.max_duration_sec = 30.5 (non-integer)'],
		async () => {
			expect(await refusedMessage({ ...CUSTOM, options: { duration: 29 } })).toBe(
				'Invalid Options > Duration (Seconds) in item 0: 29 seconds is less than the 30 seconds the v3 API (API Token credential) needs for a call; use at least 30, or use an App ID and App Secret credential (v2 API)',
			);
			expect(await refusedMessage({ ...AI, options: { maxDuration: 7201 } })).toBe(
				'Invalid Options > Max Duration (Seconds) in item 0: 7201 is outside the allowed 30 to 7200 seconds',
			);
			expect(await refusedMessage({ ...FLOW_CALL, options: { maxDuration: 30.5 } })).toBe(
				'Invalid Options > Max Duration (Seconds) in item 0: 30.5 is not a whole number of seconds',
			);
		},
	],
	[
		'call ring timeout out of range (5 to 120 seconds)',
		['options.ring_timeout_sec = 4', 'options.ring_timeout_sec = 121'],
		async () => {
			expect(await refusedMessage({ ...AI, options: { ringTimeout: 4 } })).toBe('Invalid Options > Ring Timeout (Seconds) in item 0: 4 is outside the allowed 5 to 120 seconds');
			expect(await refusedMessage({ ...CUSTOM, options: { ringTimeout: 121 } })).toBe(
				'Invalid Options > Ring Timeout (Seconds) in item 0: 121 is outside the allowed 5 to 120 seconds',
			);
		},
	],
	[
		'machine detection is a setting of the failover leg, not of the call',
		['options unknown key (machine_detection at call level)'],
		async () => {
			expect(await refusedMessage({ ...AI, options: { machineDetection: true } })).toBe(
				'Invalid Options > Failover Machine Detection in item 0: applies to the failover agent: add Options > Failover Agent ID, or remove this option',
			);
		},
	],
	[
		'call IDs that are no UUID: Transfer Call and Hang Up Call',
		['transfer call_id not UUID', 'hangup call_id not UUID', 'hangup call_id missing'],
		async () => {
			expect(await refusedMessage({ operation: 'transferCall', callId: '12345', transferType: 'pipeline', pipeline: '[{"action": "hangup"}]' })).toBe(
				'Invalid Call ID in item 0: "12345" is not a call ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
			);
			expect(await refusedMessage({ ...HANG_UP, callId: 'abc' })).toBe('Invalid Call ID in item 0: "abc" is not a call ID like "2f6c1a9e-8b1d-4c2e-9a57-0c6d3f1e4b21"');
			expect(await refusedMessage({ ...HANG_UP, callId: 'call-0000000042' })).toBe(
				'Invalid Call ID in item 0: "call-0000000042" is not a call ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
			);
			expect(await refusedMessage({ ...HANG_UP, callId: '={{ $json.call_id }}' })).toBe('Invalid Call ID in item 0: there is no value (undefined): a call ID is needed');
		},
	],
	[
		'hang-up cause and reason too long or empty',
		['hangup cause 65 chars (ai.hangup)', 'hangup cause empty string (ai.hangup)', 'hangup reason 257 chars'],
		async () => {
			for (const testCase of refused.filter((c) => ['cause', 'reason'].includes(c.node[0]))) {
				const [field] = testCase.node;
				const message = await refusedMessage({ ...HANG_UP, options: { [field]: testCase.body[field] } });
				expect(message.startsWith(`Invalid Options > ${field === 'cause' ? 'Cause' : 'Reason'} in item 0: `)).toBe(true);
				expect(message).toMatch(testCase.node[1]);
			}
		},
	],
	[
		'AI agent IDs that are no UUID: AI Agent ID of AI Agent Call and of Custom Call',
		['ai.call agent_id not UUID', 'ai.call missing agent_id', 'pcmo.call agent_id not UUID'],
		async () => {
			expect(await refusedMessage({ ...AI, agentId: 'my-agent' })).toBe(
				'Invalid AI Agent ID in item 0: "my-agent" is not an AI agent ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
			);
			expect(await refusedMessage({ ...AI, agentId: '={{ $json.agent }}' })).toBe('Invalid AI Agent ID in item 0: there is no value (undefined): an AI agent ID is needed');
			expect(await refusedMessage({ ...CUSTOM, options: { agentId: 'x' } })).toBe(
				'Invalid Options > AI Agent ID in item 0: "x" is not an AI agent ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
			);
		},
	],
	[
		'the failover: the same agent twice, an agent given as a number, failover settings without an agent, a leg too short',
		['ai.call failover same agent', 'ai.call failover unknown key', 'ai.call failover missing agent_id', 'ai.call failover.max_duration_sec 9'],
		async () => {
			expect(await refusedMessage({ ...AI, options: { failoverAgentId: A1.toUpperCase() } })).toBe(
				`Invalid Options > Failover Agent ID in item 0: "${A1.toUpperCase()}" is the AI Agent ID too: the failover agent must be another one`,
			);
			expect(await refusedMessage({ ...AI, options: { failoverAgentId: '+91 88888 88888' } })).toBe(
				'Invalid Options > Failover Agent ID in item 0: "+91 88888 88888" is not an AI agent ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
			);
			expect(await refusedMessage({ ...AI, options: { failoverRingTimeout: 20 } })).toBe(
				'Invalid Options > Failover Ring Timeout (Seconds) in item 0: applies to the failover agent: add Options > Failover Agent ID, or remove this option',
			);
			expect(await refusedMessage({ ...AI, options: { failoverAgentId: A2, failoverMaxDuration: 9 } })).toBe(
				'Invalid Options > Failover Max Duration (Seconds) in item 0: 9 is outside the allowed 10 to 7200 seconds',
			);
		},
	],
	[
		'flow and organisation IDs that are no UUID',
		['flow.call missing org_id', 'flow.call flow_id not UUID'],
		async () => {
			expect(await refusedMessage({ ...FLOW_CALL, orgId: '={{ "" }}' })).toBe('Invalid Organisation ID in item 0: "" is empty: an organisation ID is needed');
			expect(await refusedMessage({ ...FLOW_CALL, flowId: 'flow-1' })).toBe(
				'Invalid Flow ID in item 0: "flow-1" is not a flow ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
			);
		},
	],
	[
		'a flow call has no pipeline: Flow Call sends only the flow keys',
		['flow.call with pipeline (unknown)'],
		async () => {
			expect(Object.keys(await sentBody(FLOW_CALL))).toEqual(['flow_id', 'org_id', 'caller_id', 'to_number', 'app_id']);
		},
	],
	[
		'pipeline that is empty or no list',
		['pipeline empty', 'pipeline not array'],
		async () => {
			expect(await refusedMessage({ ...CUSTOM, actionsJson: '[]' })).toBe('Invalid Actions (JSON) in item 0: is an empty list: a pipeline needs at least one action');
			expect(await refusedMessage({ ...CUSTOM, actionsJson: '{}' })).toBe(
				'Invalid Actions (JSON) in item 0: "{}" is an object, not a list of actions like [{"action": "play", "file_name": "https://example.com/hello.wav"}]',
			);
		},
	],
	[
		"a connect's ring and duration limits through Mask Call's own options",
		['connect.options.max_duration_sec = 9', 'connect.options.ring_timeout_sec = 121'],
		async () => {
			expect(await refusedMessage({ ...MASK, options: { duration: 9 } })).toMatch(/^Invalid Options > Duration \(Seconds\) in item 0: 9 seconds is less than the 10 seconds/);
			expect(await refusedMessage({ ...MASK, options: { timeout: 121 } })).toMatch(/^Invalid Options > Timeout \(Seconds\) in item 0: 121 seconds is more than the 120 seconds/);
		},
	],
];

describe('the other classes of refusal, at operation level', () => {
	test.each(CLASSES.map(([title, names, run]) => [title, names, run]))('%s', async (_title, _names, run) => {
		await run();
	});
});

test('every input the SDK refuses is covered by a node test above', () => {
	const covered = new Set([
		...pipelineCases.map((c) => c.sdk),
		...variableCases.map((c) => c.sdk),
		...CLASSES.flatMap(([, names]) => names),
	]);
	for (const name of CLASSES.flatMap(([, names]) => names)) expect(refused.map((c) => c.sdk)).toContain(name);
	expect(refused.map((c) => c.sdk).filter((name) => !covered.has(name))).toEqual([]);
	expect(refused).toHaveLength(93);
});
