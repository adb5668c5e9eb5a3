'use strict';
/**
 * Issue 10: the node's v3 bodies are the bodies Piopiy's own SDK 1.2.0 sends. For each of the 29
 * requests captured from the SDK (test/fixtures/piopiy-v3-captures.json), the node's builder, given
 * the same values, gives the same endpoint and the same bytes (same keys, same order). The one
 * capture whose key order is the caller's own (16, the SDK copies an object's keys as given) is
 * compared key order free. The inputs are written here from each SDK call, not copied from the
 * captured bodies, and sometimes in the forms a workflow hands over ("+91 ...", a JSON number, JSON
 * text, keys in another order): the builder must turn those into the same bytes.
 *
 * Every body built also passes the simulator's independent copy of the SDK's rules.
 */
const v3 = require('../dist/nodes/shared/v3');
const { checkV3Request } = require('../simulator/v3');
const { captures } = require('./fixtures/piopiy-v3-captures.json');

const { CALLER, TO, TO2, APP, A1, A2, CALL, FLOW, ORG } = require('./fixtures/piopiy-v3-values');

/** The SDK's "every action" PipelineBuilder (captures 15 and 24), written as a workflow would give it. */
function everyAction() {
	return [
		{ action: 'param', data: { customer_id: 'CUST-1001', is_vip: true, score: 97 } },
		{ file_name: 'https://example.com/welcome.wav', action: 'play' },
		{
			action: 'play_get_input',
			on_result: { url: 'https://example.com/input-result', type: 'url' },
			input: ['dtmf', 'speech'],
			prompt: { type: 'say', say: 'Press 1 for sales or 2 for support.', language: 'en-US', voice_id: 'female', speed: 1.0 },
			retries: {
				max: 2,
				no_input_prompt: { type: 'say', say: 'I did not get your input.', language: 'en-US', voice_id: 'female', speed: '1' },
				invalid_prompt: { type: 'file', file_name: 'https://example.com/invalid.wav' },
			},
			dtmf: { min_digits: 1, max_digits: 1, finish_on_key: '#', first_digit_timeout: 5, inter_digit_timeout: 2, flush_buffer: true },
		},
		{
			action: 'input',
			on_result: { type: 'url', url: 'https://example.com/digits' },
			dtmf: { min_digits: 1, max_digits: '4', finish_on_key: '#', first_digit_timeout: 5, inter_digit_timeout: 2, flush_buffer: 'false' },
		},
		{ action: 'input', on_result: { type: 'pcmo', ref: 'next_step_pipeline_ref' } },
		{ action: 'record', format: 'mp3', channels: 'dual' },
		{
			action: 'connect',
			endpoints: [
				{ type: 'pstn', number: '+91 88888 88887' },
				{ type: 'sip', uri: 'sip:agent@example.com', headers: { 'X-Tenant': 'acme' } },
				{ type: 'agent', id: A1 },
				{ type: 'agent', id: A2 },
			],
			params: {
				metadata: { journey: 'pcmo_call', attempt: 1, is_callback: false },
				caller_id: CALLER,
				strategy: 'sequential',
				options: {
					waiting_music: 'https://example.com/hold.wav',
					recording: { format: 'mp3', enabled: true, channels: 'dual' },
					machine_detection: true,
					ring_timeout_sec: 20,
					max_duration_sec: 120,
				},
			},
		},
		{ action: 'hangup' },
	];
}

/** For each capture, the node's builder call with the same values. */
const BUILDS = {
	'01': () => v3.buildBridgeCall({ callerId: CALLER, toNumber: TO, appId: APP, connectTo: [TO] }),
	// The credential's App ID is a number field; numbers come as CRMs write them.
	'02': () => v3.buildBridgeCall({ callerId: '+91 99999 99999', toNumber: 918888888888, appId: 2222226, connectTo: ['+91 (888) 888-8888'] }),
	'03': () =>
		v3.buildBridgeCall({
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			connectTo: [TO],
			strategy: 'simultaneous',
			connectOptions: {
				max_duration_sec: 300,
				ring_timeout_sec: 20,
				machine_detection: true,
				recording: { enabled: true, channels: 'dual', format: 'mp3' },
				waiting_music: 'https://example.com/waiting_music.wav',
			},
			metadata: { campaign: 'normal_outbound', priority: 1, is_callback: false },
			options: { max_duration_sec: 600, record: true, ring_timeout_sec: 40 },
			variables: { customer_name: 'Kumar', source: 'voice_call_api', score: 97, is_vip: true },
		}),
	'04': () => v3.buildBridgeCall({ callerId: CALLER, toNumber: TO, appId: APP, connectTo: [TO], connectOptions: { ring_timeout_sec: 30 } }),
	'05': () =>
		v3.buildBridgeCall({
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			connectTo: [TO],
			strategy: 'sequential',
			connectOptions: { ring_timeout_sec: 25, recording: { enabled: false } },
			metadata: '{"tag": "legacy"}',
			options: { max_duration_sec: 900 },
			variables: '{"lead": "L1"}',
		}),
	'06': () =>
		v3.buildBridgeCall({
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			connectTo: [TO],
			strategy: 'simultaneous',
			connectOptions: { machine_detection: false },
			metadata: { m: 1 },
			options: { record: true },
			variables: { k: 'v' },
		}),
	'07': () =>
		v3.buildTransfer({
			callId: CALL,
			pipeline: JSON.stringify([
				{ action: 'play', file_name: 'https://example.com/transfer_notice.wav' },
				{
					action: 'connect',
					params: { caller_id: CALLER, strategy: 'sequential', options: { ring_timeout_sec: 20 } },
					endpoints: [
						{ type: 'agent', id: A1 },
						{ type: 'agent', id: A2 },
					],
				},
				{ action: 'hangup' },
			]),
		}),
	'08': () => v3.buildHangup({ callId: CALL }),
	'09': () => v3.buildHangup({ callId: CALL, cause: 'NORMAL_CLEARING', reason: 'Conversation completed' }),
	'10': () => v3.buildHangup({ callId: CALL, cause: 'USER_BUSY' }),
	// The SDK guesses that free text is a reason; the node has a field for each.
	'11': () => v3.buildHangup({ callId: CALL, reason: 'Conversation completed' }),
	'12': () => v3.buildHangup({ callId: CALL, cause: 'CALL_REJECTED', reason: 'customer asked to stop' }),
	'13': () => v3.buildHangup({ callId: ` ${CALL} `, reason: 'done' }),
	'14': () =>
		v3.buildPcmoCall({
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			pipeline: [{ endpoints: [{ number: TO, type: 'pstn' }], params: { caller_id: CALLER }, action: 'connect' }],
		}),
	'15': () =>
		v3.buildPcmoCall({
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			pipeline: everyAction(),
			options: { max_duration_sec: 600, record: true, ring_timeout_sec: 45 },
			variables: { source: 'sdk', campaign: 'pcmo_all_actions' },
			agentId: A1,
		}),
	'16': () => v3.buildPcmoCall({ appId: APP, variables: { a: 1 }, pipeline: [{ action: 'hangup' }], toNumber: TO, callerId: CALLER }),
	'17': () =>
		v3.buildPcmoCall({
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			pipeline: [
				{ action: 'play', file_name: 'welcome.wav' },
				{ action: 'play_get_input', prompt: { type: 'file', file_name: 'menu.wav' }, input: 'dtmf', on_result: { type: 'url', url: 'http://example.com/cb' } },
				{ action: 'record' },
				{ action: 'hangup' },
			],
			options: { ring_timeout_sec: '30' },
			variables: { k: 'v' },
			agentId: A1.toUpperCase().toLowerCase(),
		}),
	'18': () =>
		v3.buildTransfer({
			callId: CALL,
			pipeline: [
				{ action: 'param', data: { transfer_reason: 'escalation', priority: 2 } },
				{ action: 'play', file_name: 'https://example.com/transfer_notice.wav' },
				{ action: 'record', channels: 'single', format: 'wav' },
				{
					action: 'connect',
					params: { strategy: 'sequential', caller_id: 919999999999 },
					endpoints: [
						{ type: 'pstn', number: TO2 },
						{ type: 'agent', id: A1 },
					],
				},
				{ action: 'hangup' },
			],
		}),
	'19': () => v3.buildAiCall({ callerId: CALLER, toNumber: TO, agentId: A1 }),
	'20': () =>
		v3.buildAiCall({
			callerId: CALLER,
			toNumber: TO,
			agentId: A1,
			options: { max_duration_sec: 600, record: true, ring_timeout_sec: 40 },
			variables: { customer_name: 'Kumar', score: 97, is_vip: true },
		}),
	'21': () =>
		v3.buildAiCall({
			toNumber: '+918888888888',
			callerId: '+919999999999',
			agentId: A1,
			options: { record: 'true', max_duration_sec: 80 },
			variables: { customer_id: 'CUST_1001', priority: 2, vip: true },
		}),
	'22': () =>
		v3.buildAiFailoverCall({
			callerId: CALLER,
			toNumber: TO,
			agentId: A1,
			appId: APP,
			failover: {
				agent_id: A2,
				strategy: 'sequential',
				waiting_music: 'https://example.com/waiting_music.wav',
				metadata: { transfer_reason: 'agent_busy', priority: 2, is_escalation: true },
				recording: { enabled: true, channels: 'dual', format: 'mp3' },
				machine_detection: true,
				ring_timeout_sec: 20,
				max_duration_sec: 120,
			},
			options: { max_duration_sec: 600, record: true, ring_timeout_sec: 45 },
			variables: { journey: 'voice_assist', source: 'sdk' },
		}),
	'23': () => v3.buildAiFailoverCall({ callerId: CALLER, toNumber: TO, agentId: A1, appId: 2222226, failover: { agent_id: A2 } }),
	'24': () => v3.buildTransfer({ callId: CALL, pipeline: everyAction() }),
	'25': () => v3.buildHangup({ callId: CALL }),
	'26': () => v3.buildHangup({ callId: CALL, cause: 'NORMAL_CLEARING', reason: 'Conversation completed' }),
	'27': () => v3.buildHangup({ callId: CALL, cause: 'Conversation completed' }),
	'28': () => v3.buildFlowCall({ flowId: FLOW, orgId: ORG, callerId: CALLER, toNumber: TO, appId: APP }),
	'29': () =>
		v3.buildFlowCall({
			flowId: FLOW,
			orgId: ORG,
			callerId: CALLER,
			toNumber: TO,
			appId: APP,
			options: { max_duration_sec: 300, record: false, ring_timeout_sec: 30 },
			variables: { lead_id: 'L-77', attempt: 2 },
		}),
};

/** Captures whose key order is the caller's own, not the SDK's. */
const CALLER_KEY_ORDER = ['16'];

describe('v3 bodies built by the node are the bodies the SDK sends', () => {
	test('every capture has a build (all 29 can be expressed)', () => {
		expect(captures).toHaveLength(29);
		expect(Object.keys(BUILDS).sort()).toEqual(captures.map((capture) => capture.id));
	});

	test.each(captures.map((capture) => [capture.id, capture.title, capture]))('[%s] %s', (id, _title, capture) => {
		const request = BUILDS[id]();
		expect(request.path).toBe(capture.path);
		if (CALLER_KEY_ORDER.includes(id)) {
			expect(request.body).toEqual(JSON.parse(capture.body));
		} else {
			expect(JSON.stringify(request.body)).toBe(capture.body);
		}
		expect(checkV3Request(request.path, request.body)).toBeUndefined();
	});

	test('capture 16 in the SDK key order: the builder writes its own order, every key in place', () => {
		expect(Object.keys(BUILDS['16']().body)).toEqual(['caller_id', 'to_number', 'app_id', 'pipeline', 'variables']);
	});
});

describe('builders that ring numbers take every form a number field accepts', () => {
	test('a mask call: the agent is dialled first and connected to several customers, rung at once', () => {
		const { path, body } = v3.buildBridgeCall({
			callerId: '+91 80 4000 0000',
			toNumber: '00 91 99999-00000',
			appId: 2222226,
			connectTo: ['+91 98765 43210', 917600000001],
			strategy: 'simultaneous',
			connectOptions: { max_duration_sec: 5400, ring_timeout_sec: 40 },
			variables: { crm_id: 'A-17' },
		});
		expect(path).toBe('/voice/pcmo/call');
		expect(JSON.stringify(body)).toBe(
			'{"caller_id":"918040000000","to_number":"919999900000","app_id":"2222226","pipeline":[{"action":"connect","params":{"caller_id":"918040000000","strategy":"simultaneous","options":{"max_duration_sec":5400,"ring_timeout_sec":40}},"endpoints":[{"type":"pstn","number":"919876543210"},{"type":"pstn","number":"917600000001"}]}],"variables":{"crm_id":"A-17"}}',
		);
		expect(checkV3Request(path, body)).toBeUndefined();
	});

	test('a transfer to numbers: one connect, rung one after another unless told', () => {
		const { path, body } = v3.buildTransferTo({ callId: CALL, callerId: '+91 99999 99999', numbers: ['918888888887', '+91 88888 88886'] });
		expect(path).toBe('/voice/pcmo/transfer');
		expect(body).toEqual({
			call_id: CALL,
			pipeline: [
				{
					action: 'connect',
					params: { caller_id: CALLER, strategy: 'sequential' },
					endpoints: [
						{ type: 'pstn', number: '918888888887' },
						{ type: 'pstn', number: '918888888886' },
					],
				},
			],
		});
		expect(checkV3Request(path, body)).toBeUndefined();
	});
});

describe('a builder refuses what v3 would refuse, saying where and what', () => {
	test.each([
		['a caller ID with letters', () => v3.buildAiCall({ callerId: 'call me', toNumber: TO, agentId: A1 }), 'caller_id: "call me" has "c" (U+0063): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number'],
		['no App ID in the credential', () => v3.buildPcmoCall({ callerId: CALLER, toNumber: TO, appId: 0, pipeline: [{ action: 'hangup' }] }), 'app_id: the credential has no App ID: v3 pipeline and flow calls need the App ID of your Piopiy app (Piopiy dashboard > Apps)'],
		['a pipeline that is not JSON', () => v3.buildTransfer({ callId: CALL, pipeline: '[{"action": "hangup"' }), 'pipeline: "[{\\"action\\": \\"hangup\\"" is not valid JSON'],
		['a v2 action in a v3 pipeline', () => v3.buildTransfer({ callId: CALL, pipeline: [{ action: 'bridge' }] }), 'pipeline[0].action: "bridge" is not a v3 action; use one of "connect", "hangup", "input", "param", "play", "play_get_input", "record" (v3 calls it "connect")'],
		['the same number twice in a connect', () => v3.buildBridgeCall({ callerId: CALLER, toNumber: TO, appId: APP, connectTo: ['918888888887', '+91 88888 88887'] }), 'pipeline[0].endpoints[1]: "918888888887" is listed twice'],
		['a failover agent that is the primary agent (other case)', () => v3.buildAiFailoverCall({ callerId: CALLER, toNumber: TO, appId: APP, agentId: A1, failover: { agent_id: A1.toUpperCase() } }), `failover.agent_id: "${A1.toUpperCase()}" is the primary agent too: the failover agent must be another one`],
		['a failover call whose primary agent is no UUID', () => v3.buildAiFailoverCall({ callerId: CALLER, toNumber: TO, appId: APP, agentId: 'sales-bot', failover: { agent_id: A2 } }), 'agent_id: "sales-bot" is not an AI agent ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"'],
		['a hang-up without a call ID', () => v3.buildHangup({ callId: undefined }), 'call_id: there is no "call_id": a v3 hang-up needs one'],
	])('%s', (_name, build, message) => {
		let error;
		try {
			build();
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(v3.V3BodyError);
		expect(error.message).toBe(message);
	});

	test('an error lists every problem, each with its place', () => {
		let error;
		try {
			v3.buildAiCall({ callerId: '12', toNumber: 'x', agentId: 'agent', variables: { 'a-b': 1 } });
		} catch (caught) {
			error = caught;
		}
		expect(error.issues.map((issue) => v3.wirePath(issue.path))).toEqual(['caller_id', 'to_number', 'agent_id', 'variables.a-b']);
	});
});
