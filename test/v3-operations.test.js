'use strict';
/**
 * Issue 10: the node's operations, run in n8n's engine with an API Token credential, send what
 * Piopiy's own SDK 1.2.0 sends. For each of the 29 requests captured from the SDK
 * (test/fixtures/piopiy-v3-captures.json) an operation of the node is given the same values, the
 * way a workflow gives them (numbers as "+91 ..." text, JSON as text, options added one by one), and
 * the simulator must receive the capture's body on the capture's endpoint: the same keys and
 * values (key order free), and for every capture but one (16, whose key order is the SDK caller's
 * own) the same bytes. The request carries the token as a Bearer header and nothing of it in the
 * body, and the item is the simulator's answer as received.
 */
const { captures } = require('./fixtures/piopiy-v3-captures.json');
const { API_TOKEN, useV3Simulator, runPiopiyV3 } = require('./harness/v3');
const { APP_SECRET } = require('./harness/constants');

const { CALLER, TO, TO2, A1, A2, CALL, FLOW, ORG } = require('./fixtures/piopiy-v3-values');

/** The SDK's "every action" pipeline (captures 15 and 24), as JSON text a user would paste, keys in their own order. */
const EVERY_ACTION = `[
  {"action": "param", "data": {"customer_id": "CUST-1001", "is_vip": true, "score": 97}},
  {"file_name": "https://example.com/welcome.wav", "action": "play"},
  {
    "action": "play_get_input",
    "on_result": {"url": "https://example.com/input-result", "type": "url"},
    "input": ["dtmf", "speech"],
    "prompt": {"type": "say", "say": "Press 1 for sales or 2 for support.", "language": "en-US", "voice_id": "female", "speed": 1.0},
    "retries": {
      "max": 2,
      "no_input_prompt": {"type": "say", "say": "I did not get your input.", "language": "en-US", "voice_id": "female", "speed": 1},
      "invalid_prompt": {"type": "file", "file_name": "https://example.com/invalid.wav"}
    },
    "dtmf": {"min_digits": 1, "max_digits": 1, "finish_on_key": "#", "first_digit_timeout": 5, "inter_digit_timeout": 2, "flush_buffer": true}
  },
  {"action": "input", "on_result": {"type": "url", "url": "https://example.com/digits"}, "dtmf": {"min_digits": 1, "max_digits": 4, "finish_on_key": "#", "first_digit_timeout": 5, "inter_digit_timeout": 2, "flush_buffer": false}},
  {"action": "input", "on_result": {"type": "pcmo", "ref": "next_step_pipeline_ref"}},
  {"action": "record", "format": "mp3", "channels": "dual"},
  {
    "action": "connect",
    "endpoints": [
      {"type": "pstn", "number": "+91 88888 88887"},
      {"type": "sip", "uri": "sip:agent@example.com", "headers": {"X-Tenant": "acme"}},
      {"type": "agent", "id": "${A1}"},
      {"type": "agent", "id": "${A2}"}
    ],
    "params": {
      "metadata": {"journey": "pcmo_call", "attempt": 1, "is_callback": false},
      "caller_id": "${CALLER}",
      "strategy": "sequential",
      "options": {"waiting_music": "https://example.com/hold.wav", "recording": {"format": "mp3", "enabled": true, "channels": "dual"}, "machine_detection": true, "ring_timeout_sec": 20, "max_duration_sec": 120}
    }
  },
  {"action": "hangup"}
]`;

const custom = (actionsJson, options) => ({
	operation: 'customCall',
	customerNumber: TO,
	callerId: CALLER,
	actionsSource: 'json',
	actionsJson: typeof actionsJson === 'string' ? actionsJson : JSON.stringify(actionsJson),
	...(options ? { options } : {}),
});
const connect = (params, endpoints = [{ type: 'pstn', number: TO }]) => ({ action: 'connect', params: { caller_id: CALLER, ...params }, endpoints });
const hangUp = (options) => ({ operation: 'hangUpCall', callId: CALL, ...(options ? { options } : {}) });
const transfer = (pipeline) => ({
	operation: 'transferCall',
	callId: CALL,
	transferType: 'pipeline',
	pipeline: typeof pipeline === 'string' ? pipeline : JSON.stringify(pipeline),
});
const ai = (options, numbers = { customerNumber: TO, callerId: CALLER }) => ({
	operation: 'aiAgentCall',
	...numbers,
	agentId: A1,
	...(options ? { options } : {}),
});
const flow = (options) => ({
	operation: 'flowCall',
	customerNumber: TO,
	callerId: CALLER,
	flowId: FLOW,
	orgId: ORG,
	...(options ? { options } : {}),
});

/** For each capture, the operation and the values a workflow would give it. */
const OPERATIONS = {
	// Mask Call: the agent (dialled first) and the customer are the capture's same number.
	'01': { operation: 'maskCall', agentNumber: TO, callerId: CALLER, customerNumbers: TO },
	'02': { operation: 'dialerCall', customerNumber: '+91 (888) 888-8888', piopiyNumber: '+91 99999 99999', agentNumbers: '={{ [918888888888] }}' },
	'03': custom(
		[
			connect(
				{
					strategy: 'simultaneous',
					options: {
						max_duration_sec: 300,
						ring_timeout_sec: 20,
						machine_detection: true,
						recording: { enabled: true, channels: 'dual', format: 'mp3' },
						waiting_music: 'https://example.com/waiting_music.wav',
					},
					metadata: { campaign: 'normal_outbound', priority: 1, is_callback: false },
				},
			),
		],
		{ duration: 600, record: true, ringTimeout: 40, extraParams: '{"customer_name": "Kumar", "source": "voice_call_api", "score": 97, "is_vip": true}' },
	),
	'04': { operation: 'maskCall', agentNumber: TO, callerId: CALLER, customerNumbers: TO, options: { timeout: 30 } },
	'05': custom([connect({ strategy: 'sequential', options: { ring_timeout_sec: 25, recording: { enabled: false } }, metadata: { tag: 'legacy' } })], {
		duration: 900,
		extraParams: '{"lead": "L1"}',
	}),
	'06': custom([connect({ strategy: 'simultaneous', options: { machine_detection: false }, metadata: { m: 1 } })], { record: true, extraParams: { k: 'v' } }),
	'07': transfer([
		{ action: 'play', file_name: 'https://example.com/transfer_notice.wav' },
		connect({ strategy: 'sequential', options: { ring_timeout_sec: 20 } }, [
			{ type: 'agent', id: A1 },
			{ type: 'agent', id: A2 },
		]),
		{ action: 'hangup' },
	]),
	'08': hangUp(),
	'09': hangUp({ cause: 'NORMAL_CLEARING', reason: 'Conversation completed' }),
	'10': hangUp({ cause: 'USER_BUSY' }),
	'11': hangUp({ reason: 'Conversation completed' }),
	'12': hangUp({ cause: 'CALL_REJECTED', reason: 'customer asked to stop' }),
	'13': { operation: 'hangUpCall', callId: ` ${CALL} `, options: { reason: 'done' } },
	'14': custom([{ endpoints: [{ number: TO, type: 'pstn' }], params: { caller_id: CALLER }, action: 'connect' }]),
	'15': custom(EVERY_ACTION, {
		duration: 600,
		record: true,
		ringTimeout: 45,
		extraParams: { source: 'sdk', campaign: 'pcmo_all_actions' },
		agentId: A1,
	}),
	'16': custom([{ action: 'hangup' }], { extraParams: '{"a": 1}' }),
	'17': custom(
		[
			{ action: 'play', file_name: 'welcome.wav' },
			{ action: 'play_get_input', prompt: { type: 'file', file_name: 'menu.wav' }, input: ['dtmf'], on_result: { type: 'url', url: 'http://example.com/cb' } },
			{ action: 'record' },
			{ action: 'hangup' },
		],
		{ ringTimeout: 30, extraParams: { k: 'v' }, agentId: ` ${A1} ` },
	),
	'18': transfer([
		{ action: 'param', data: { transfer_reason: 'escalation', priority: 2 } },
		{ action: 'play', file_name: 'https://example.com/transfer_notice.wav' },
		{ action: 'record', format: 'wav', channels: 'single' },
		connect({ strategy: 'sequential' }, [
			{ type: 'pstn', number: TO2 },
			{ type: 'agent', id: A1 },
		]),
		{ action: 'hangup' },
	]),
	'19': ai(),
	'20': ai({ maxDuration: 600, record: true, ringTimeout: 40, variables: '{"customer_name": "Kumar", "score": 97, "is_vip": true}' }),
	'21': ai(
		{ maxDuration: 80, record: true, variables: { customer_id: 'CUST_1001', priority: 2, vip: true } },
		{ customerNumber: '+918888888888', callerId: '+919999999999' },
	),
	'22': ai({
		failoverAgentId: A2,
		failoverStrategy: 'sequential',
		failoverMaxDuration: 120,
		failoverRingTimeout: 20,
		machineDetection: true,
		recording: true,
		recordingChannels: 'dual',
		recordingFormat: 'mp3',
		waitingMusic: 'https://example.com/waiting_music.wav',
		failoverMetadata: '{"transfer_reason": "agent_busy", "priority": 2, "is_escalation": true}',
		maxDuration: 600,
		record: true,
		ringTimeout: 45,
		variables: { journey: 'voice_assist', source: 'sdk' },
	}),
	'23': ai({ failoverAgentId: A2 }),
	'24': transfer(EVERY_ACTION),
	'25': hangUp(),
	'26': hangUp({ cause: 'NORMAL_CLEARING', reason: 'Conversation completed' }),
	// ai.hangup sends free text as the cause; the node's Cause field takes it the same way.
	'27': hangUp({ cause: 'Conversation completed' }),
	'28': flow(),
	'29': flow({ maxDuration: 300, record: false, ringTimeout: 30, variables: { lead_id: 'L-77', attempt: 2 } }),
};

/** Captures whose key order is the SDK caller's own (the SDK copies an object's keys as given). */
const CALLER_KEY_ORDER = ['16'];

describe('every SDK capture, sent by an operation of the node through n8n', () => {
	const fixture = useV3Simulator();

	test('all 29 captures are expressed by an operation', () => {
		expect(captures).toHaveLength(29);
		expect(Object.keys(OPERATIONS).sort()).toEqual(captures.map((capture) => capture.id));
	});

	test.each(captures.map((capture) => [capture.id, OPERATIONS[capture.id].operation, capture.title, capture]))(
		'[%s] %s: %s',
		async (id, _operation, _title, capture) => {
			const run = await runPiopiyV3({ url: fixture.url, parameters: OPERATIONS[id] });
			expect(run.nodeError).toBeUndefined();
			expect(fixture.sim.requests).toHaveLength(1);
			const [request] = fixture.sim.requests;
			expect(request.path).toBe(`/v3${capture.path}`);
			expect(request.status).toBe(200);
			expect(request.body).toEqual(JSON.parse(capture.body));
			if (!CALLER_KEY_ORDER.includes(id)) expect(request.rawBody).toBe(capture.body);
			// The token only in the header; nothing of v2's credential anywhere.
			expect(request.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(request.rawBody).not.toContain(API_TOKEN);
			expect(request.rawBody).not.toContain(APP_SECRET);
			// The item is Piopiy's answer as received.
			expect(run.items).toEqual([{ json: request.answer, pairedItem: { item: 0 } }]);
		},
	);
});
