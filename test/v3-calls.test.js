'use strict';
/**
 * Issue 10: every call type of the node with an API Token credential (v3), in n8n's engine against
 * the simulator: the same fields as with App ID and App Secret (v2), mapped to v3 bodies that pass
 * the simulator's copy of the SDK's rules; what v3 cannot do refused before anything is sent, with
 * the option, the limit and the API generation named; operations that exist in one generation only
 * refused in the other, naming the fix. The SDK's own bodies are in test/v3-operations.test.js.
 */
const { checkV3Request } = require('../simulator/v3');
const { runPiopiy } = require('./harness/piopiy');
const { APP_ID, APP_SECRET } = require('./harness/constants');
const { API_TOKEN, useV3Simulator, runPiopiyV3 } = require('./harness/v3');

const { A1: AGENT_ID, CALL: CALL_ID, FLOW: FLOW_ID, ORG: ORG_ID } = require('./fixtures/piopiy-v3-values');
const V3 = 'the v3 API (API Token credential)';
const OR_V2 = 'or use an App ID and App Secret credential (v2 API)';

const MASK = { operation: 'maskCall', agentNumber: '+91 98765 43210', callerId: '+91 80 4000 0000', customerNumbers: '+91 97000 00001, 919700000002' };
const DIALER = { operation: 'dialerCall', customerNumber: '+1 415 555 0100', piopiyNumber: '+1 917 000 0000', agentNumbers: '919000000001, 919000000002' };

/** The one request the simulator received, after checking it passed the SDK's rules and carried the token. */
function onlyRequest(sim) {
	expect(sim.requests).toHaveLength(1);
	const [request] = sim.requests;
	expect(request.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
	expect(checkV3Request(request.path.replace(/^\/v3/, ''), request.body)).toBeUndefined();
	expect(request.status).toBe(200);
	return request;
}

/** A run that was refused before sending: its error message, and nothing sent. */
async function refusal(fixture, parameters, spec = {}) {
	const run = await (spec.v2 ? runPiopiy : runPiopiyV3)({ url: fixture.url, parameters, ...spec });
	expect(fixture.sim.requests).toHaveLength(0);
	expect(run.nodeError).toBeDefined();
	expect(run.nodeError.description).toMatch(/No request was sent to Piopiy for item 0\./);
	return run.nodeError.message;
}

describe('Mask Call and Dialer Call with an API Token', () => {
	const fixture = useV3Simulator();

	test('Mask Call: the agent is dialled first, a connect rings the customers; the options mapped', async () => {
		const run = await runPiopiyV3({
			url: fixture.url,
			parameters: { ...MASK, options: { ringType: 'group', duration: 900, timeout: 25, loop: 1, region: 'auto', extraParams: '{"crm_id": "A-17", "vip": true}' } },
		});
		expect(run.nodeError).toBeUndefined();
		const request = onlyRequest(fixture.sim);
		expect(request.path).toBe('/v3/voice/pcmo/call');
		expect(request.rawBody).toBe(
			JSON.stringify({
				caller_id: '918040000000',
				to_number: '919876543210',
				app_id: String(APP_ID),
				pipeline: [
					{
						action: 'connect',
						params: { caller_id: '918040000000', strategy: 'simultaneous', options: { max_duration_sec: 900, ring_timeout_sec: 25 } },
						endpoints: [
							{ type: 'pstn', number: '919700000001' },
							{ type: 'pstn', number: '919700000002' },
						],
					},
				],
				variables: { crm_id: 'A-17', vip: true },
			}),
		);
		expect(run.items).toEqual([{ json: { message: 'call_queued', call_id: fixture.sim.calls[0].call_id }, pairedItem: { item: 0 } }]);
	});

	test('Dialer Call: the customer is dialled first, the agents ring one after another', async () => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: DIALER });
		expect(run.nodeError).toBeUndefined();
		expect(onlyRequest(fixture.sim).body).toEqual({
			caller_id: '19170000000',
			to_number: '14155550100',
			app_id: String(APP_ID),
			pipeline: [
				{
					action: 'connect',
					params: { caller_id: '19170000000', strategy: 'sequential' },
					endpoints: [
						{ type: 'pstn', number: '919000000001' },
						{ type: 'pstn', number: '919000000002' },
					],
				},
			],
		});
	});

	test.each([
		[MASK, { loop: 2 }, `Invalid Options > Loop in item 0: 2: ${V3} has no Loop (ringing the second leg again when nobody answers); leave Loop at 1 or remove it, ${OR_V2}`],
		[MASK, { region: 'india' }, `Invalid Options > Region in item 0: "india": ${V3} has one endpoint for every country, so there is no Region to choose; set Region to Auto or remove it, ${OR_V2}`],
		[DIALER, { timeout: 300 }, `Invalid Options > Timeout (Seconds) in item 0: 300 seconds is more than the 120 seconds ${V3} allows for a number to answer; use at most 120, ${OR_V2}`],
		[DIALER, { duration: 5 }, `Invalid Options > Duration (Seconds) in item 0: 5 seconds is less than the 10 seconds ${V3} needs for the connected call; use at least 10, ${OR_V2}`],
		[MASK, { duration: 86400 }, `Invalid Options > Duration (Seconds) in item 0: 86400 seconds is more than the 7200 seconds ${V3} allows for the connected call; use at most 7200, ${OR_V2}`],
		[DIALER, { extraParams: '{"order": {"id": 7}}' }, `Invalid Options > Extra Params > order in item 0: {"id":7} is an object: ${V3} sends Extra Params as call variables, which hold only text, numbers and true/false; flatten it, ${OR_V2}`],
	])('%j with %j: refused before sending, naming option, limit and generation', async (parameters, options, message) => {
		expect(await refusal(fixture, { ...parameters, options })).toBe(message);
	});

	test('the same options are fine with App ID and App Secret (v2 has Loop, Region and longer limits)', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, options: { loop: 2, region: 'india', timeout: 300, duration: 86400 } } });
		expect(run.nodeError).toBeUndefined();
		expect(fixture.sim.requests[0].path).toBe('/v2/ind_pcmo_make_call');
		expect(fixture.sim.requests[0].headers.authorization).toBeUndefined();
	});
});

describe('Transaction Alert Call with an API Token', () => {
	const fixture = useV3Simulator();
	const ALERT = {
		operation: 'transactionAlertCall',
		customerNumber: '={{ $json.phone }}',
		callerId: '+91 80 4400 0000',
		message: '=Rs {{ $json.amount }} was debited from your account.',
		resultUrl: 'https://n8n.example.com/webhook/piopiy-keys',
	};
	const ITEM = { phone: '+91 98765 43210', amount: 1500 };

	test('a text: play_get_input with a say prompt (Language, Voice, Speed) per repeat, then hangup', async () => {
		const run = await runPiopiyV3({
			url: fixture.url,
			items: [ITEM],
			parameters: { ...ALERT, language: 'en-IN', voice: 'male', speed: 1.2, repeat: 2, options: { duration: 120, extraParams: { txn: 'T-9' } } },
		});
		expect(run.nodeError).toBeUndefined();
		const say = {
			action: 'play_get_input',
			prompt: { type: 'say', say: 'Rs 1500 was debited from your account.', language: 'en-IN', voice_id: 'male', speed: 1.2 },
			input: ['dtmf'],
			on_result: { type: 'url', url: 'https://n8n.example.com/webhook/piopiy-keys' },
			dtmf: { max_digits: 1, first_digit_timeout: 1 },
		};
		expect(onlyRequest(fixture.sim).rawBody).toBe(
			JSON.stringify({
				caller_id: '918044000000',
				to_number: '919876543210',
				app_id: String(APP_ID),
				pipeline: [say, say, { action: 'hangup' }],
				options: { max_duration_sec: 120 },
				variables: { txn: 'T-9' },
			}),
		);
	});

	test('a recording: play with the file, then hangup; no Result URL needed', async () => {
		const run = await runPiopiyV3({
			url: fixture.url,
			items: [ITEM],
			parameters: { ...ALERT, resultUrl: '', messageType: 'audio', audioFile: 'https://example.com/alert.mp3' },
		});
		expect(run.nodeError).toBeUndefined();
		expect(onlyRequest(fixture.sim).body.pipeline).toEqual([{ action: 'play', file_name: 'https://example.com/alert.mp3' }, { action: 'hangup' }]);
	});

	test.each([
		[{ resultUrl: '' }, "Invalid Result URL in item 0: is empty: with an API Token credential (v3 API) Piopiy speaks a text only while listening for keys, and posts any key pressed to this URL; give one, such as a Piopiy Trigger's Production URL"],
		[{ resultUrl: 'ftp://example.com/x' }, 'Invalid Result URL in item 0: "ftp://example.com/x" is not a web address (URL) Piopiy can post the result to (it must start with https:// or http://)'],
		[{ speed: 3 }, 'Invalid Speed in item 0: 3 is outside the allowed 0.5 to 2 (speech speed)'],
		[{ language: '' }, 'Invalid Language in item 0: "" is empty: a language like "en-US" is needed'],
		[{ message: '={{ "" }}' }, 'Invalid Message in item 0: "" is empty: there is nothing to say'],
		[{ options: { duration: 20 } }, `Invalid Options > Duration (Seconds) in item 0: 20 seconds is less than the 30 seconds ${V3} needs for a call; use at least 30, ${OR_V2}`],
	])('%j is refused before sending', async (change, message) => {
		expect(await refusal(fixture, { ...ALERT, ...change }, { items: [ITEM] })).toBe(message);
	});

	test('with App ID and App Secret, the v3 speech fields are refused when set, not ignored', async () => {
		expect(await refusal(fixture, { ...ALERT, voice: 'male' }, { v2: true, items: [ITEM] })).toBe(
			'Invalid Voice in item 0: "male": only an API Token credential (v3 API) has this setting; v2 speaks in its default voice. Remove it, or use an API Token credential (v3 API)',
		);
		expect(await refusal(fixture, ALERT, { v2: true, items: [ITEM] })).toBe(
			'Invalid Result URL in item 0: "https://n8n.example.com/webhook/piopiy-keys": only an API Token credential (v3 API) has this setting; v2 speaks the message without listening for keys. Remove it, or use an API Token credential (v3 API)',
		);
	});
});

describe('Custom Call with an API Token', () => {
	const fixture = useV3Simulator();
	const CUSTOM = { operation: 'customCall', customerNumber: '+91 98765 43210', callerId: '918044000000' };

	test('the builder: each row as its v3 action; Max Plays counts every play, v3 the retries after the first', async () => {
		const run = await runPiopiyV3({
			url: fixture.url,
			parameters: {
				...CUSTOM,
				actions: {
					action: [
						{ type: 'play', file: 'welcome.wav' },
						{ type: 'play_get_input', file: 'https://example.com/menu.mp3', actionUrl: 'https://n8n.example.com/webhook/menu', maxDigits: 2, maxRetry: 3, inputTimeout: 8 },
						{ type: 'input', actionUrl: 'https://n8n.example.com/webhook/digits', maxDigits: 4, inputTimeout: 10 },
						{ type: 'bridge', connect: '+91 90000 00001, +91 90000 00002', ringType: 'group', ringTimeout: 20, duration: 600 },
						{ type: 'record' },
						{ type: 'hangup' },
					],
				},
				options: { record: true, ringTimeout: 30, agentId: AGENT_ID },
			},
		});
		expect(run.nodeError).toBeUndefined();
		expect(onlyRequest(fixture.sim).body).toEqual({
			caller_id: '918044000000',
			to_number: '919876543210',
			app_id: String(APP_ID),
			pipeline: [
				{ action: 'play', file_name: 'welcome.wav' },
				{
					action: 'play_get_input',
					prompt: { type: 'file', file_name: 'https://example.com/menu.mp3' },
					input: ['dtmf'],
					on_result: { type: 'url', url: 'https://n8n.example.com/webhook/menu' },
					dtmf: { max_digits: 2, first_digit_timeout: 8 },
					retries: { max: 2 },
				},
				{ action: 'input', on_result: { type: 'url', url: 'https://n8n.example.com/webhook/digits' }, dtmf: { max_digits: 4, first_digit_timeout: 10 } },
				{
					action: 'connect',
					params: { caller_id: '918044000000', strategy: 'simultaneous', options: { max_duration_sec: 600, ring_timeout_sec: 20 } },
					endpoints: [
						{ type: 'pstn', number: '919000000001' },
						{ type: 'pstn', number: '919000000002' },
					],
				},
				{ action: 'record' },
				{ action: 'hangup' },
			],
			options: { record: true, ring_timeout_sec: 30 },
			agent_id: AGENT_ID,
		});
	});

	test.each([
		[
			{ actions: { action: [{ type: 'speak', text: 'Hello' }] } },
			`Invalid Actions > Action (number 1) > Action Type in item 0: "speak": ${V3} has no Speak Text action, it speaks only while collecting keys; use Define Actions > Using JSON with a play_get_input whose prompt is {"type": "say", ...}, ${OR_V2}`,
		],
		[
			{ actions: { action: [{ type: 'bridge', connect: '919000000001', loop: 3 }] } },
			`Invalid Actions > Action (number 1) > Loop in item 0: 3: ${V3} has no Loop (ringing the second leg again when nobody answers); leave Loop at 1 or remove it, ${OR_V2}`,
		],
		[
			{ actionsSource: 'json', actionsJson: '[{"action": "speak", "text": "Hello"}, {"action": "hangup"}]' },
			'Invalid Actions (JSON) (number 1) > action in item 0: "speak" is not a v3 action; use one of "connect", "hangup", "input", "param", "play", "play_get_input", "record" (v3 speaks only as a prompt: {"action": "play_get_input", "prompt": {"type": "say", ...}, ...})',
		],
		[
			{ actionsSource: 'json', actionsJson: '[{"action": "stream", "ws_url": "wss://example.com"}]' },
			'Invalid Actions (JSON) (number 1) > action in item 0: "stream" is not a v3 action; use one of "connect", "hangup", "input", "param", "play", "play_get_input", "record" (v3 has no stream action)',
		],
		[
			{ actionsSource: 'json', actionsJson: '[{"action": "hangup"}]', options: { agentId: 'sales-bot' } },
			'Invalid Options > AI Agent ID in item 0: "sales-bot" is not an AI agent ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"',
		],
	])('%j is refused before sending', async (change, message) => {
		expect(await refusal(fixture, { ...CUSTOM, ...change })).toBe(message);
	});

	test('with App ID and App Secret, the v3 call options are refused when added', async () => {
		const v2 = { ...CUSTOM, actions: { action: [{ type: 'hangup' }] } };
		expect(await refusal(fixture, { ...v2, options: { record: false } }, { v2: true })).toBe(
			'Invalid Options > Record Call in item 0: false: only an API Token credential (v3 API) has this setting; v2 records with a Record action. Remove it, or use an API Token credential (v3 API)',
		);
		expect(await refusal(fixture, { ...v2, options: { ringTimeout: 30 } }, { v2: true })).toMatch(/^Invalid Options > Ring Timeout \(Seconds\) in item 0: 30: only an API Token/);
		expect(await refusal(fixture, { ...v2, options: { agentId: AGENT_ID } }, { v2: true })).toMatch(/^Invalid Options > AI Agent ID in item 0: "bdd32bcb/);
	});
});

describe('Hang Up Call and Transfer Call with an API Token', () => {
	const fixture = useV3Simulator();

	test('Transfer Call to numbers: a pipeline of one connect, rung all at once with Ring Type Group', async () => {
		const run = await runPiopiyV3({
			url: fixture.url,
			parameters: {
				operation: 'transferCall',
				callId: CALL_ID,
				callerId: '+91 80 4400 0000',
				transferTo: '={{ ["+91 90000 00001", 919000000002] }}',
				options: { ringType: 'group', ringTimeout: 15, maxDuration: 1800 },
			},
		});
		expect(run.nodeError).toBeUndefined();
		const request = onlyRequest(fixture.sim);
		expect(request.path).toBe('/v3/voice/pcmo/transfer');
		expect(request.body).toEqual({
			call_id: CALL_ID,
			pipeline: [
				{
					action: 'connect',
					params: { caller_id: '918044000000', strategy: 'simultaneous', options: { max_duration_sec: 1800, ring_timeout_sec: 15 } },
					endpoints: [
						{ type: 'pstn', number: '919000000001' },
						{ type: 'pstn', number: '919000000002' },
					],
				},
			],
		});
		expect(run.items).toEqual([{ json: { message: 'queued' }, pairedItem: { item: 0 } }]);
	});

	test.each([
		[{ callId: '12345' }, 'Invalid Call ID in item 0: "12345" is not a call ID: a UUID like "bdd32bcb-767c-40a5-be4a-5f45eeb348a6"'],
		[{ transferTo: '={{ "" }}' }, 'Invalid Numbers in item 0: no phone number was given'],
		[{ transferType: 'pipeline', pipeline: '[]' }, 'Invalid Pipeline (JSON) in item 0: is an empty list: a pipeline needs at least one action'],
		[{ options: { ringTimeout: 121 } }, 'Invalid Options > Ring Timeout (Seconds) in item 0: 121 is outside the allowed 5 to 120 seconds'],
	])('Transfer Call %j is refused before sending', async (change, message) => {
		const parameters = { operation: 'transferCall', callId: CALL_ID, callerId: '918044000000', transferTo: '919000000001', ...change };
		expect(await refusal(fixture, parameters)).toBe(message);
	});

	test('Hang Up Call: the Region option has no v3 meaning beyond Global', async () => {
		expect(await refusal(fixture, { operation: 'hangUpCall', callId: CALL_ID, options: { region: 'india' } })).toBe(
			`Invalid Options > Region in item 0: "india": ${V3} hangs up every call at one endpoint, so there is no Region to choose; remove Region, ${OR_V2}`,
		);
		const run = await runPiopiyV3({ url: fixture.url, parameters: { operation: 'hangUpCall', callId: CALL_ID, options: { region: 'global' } } });
		expect(run.nodeError).toBeUndefined();
		expect(onlyRequest(fixture.sim).body).toEqual({ call_id: CALL_ID, cause: 'NORMAL_CLEARING' });
	});

	test('Hang Up Call ends the live v3 call in the simulator', async () => {
		await runPiopiyV3({ url: fixture.url, parameters: { operation: 'flowCall', customerNumber: '919876543210', callerId: '918044000000', flowId: FLOW_ID, orgId: ORG_ID } });
		const [call] = fixture.sim.calls;
		const run = await runPiopiyV3({ url: fixture.url, parameters: { operation: 'hangUpCall', callId: '={{ $json.call_id }}', options: { cause: 'USER_BUSY' } }, items: [{ call_id: call.call_id }] });
		expect(run.nodeError).toBeUndefined();
		expect(call.status).toBe('ended');
		expect(call.hangup).toEqual({ cause: 'USER_BUSY', reason: undefined });
	});

	test('with App ID and App Secret, Cause and Reason are refused when added', async () => {
		expect(await refusal(fixture, { operation: 'hangUpCall', callId: CALL_ID, options: { reason: 'done' } }, { v2: true })).toBe(
			'Invalid Options > Reason in item 0: "done": only an API Token credential (v3 API) has this setting; v2 hangs up without a reason. Remove it, or use an API Token credential (v3 API)',
		);
	});
});

describe('each operation in the API generations it exists in', () => {
	const fixture = useV3Simulator();

	test.each([
		['aiAgentCall', { customerNumber: '919876543210', callerId: '918044000000', agentId: AGENT_ID }, 'AI Agent Call'],
		['flowCall', { customerNumber: '919876543210', callerId: '918044000000', flowId: FLOW_ID, orgId: ORG_ID }, 'Flow Call'],
		['transferCall', { callId: CALL_ID, callerId: '918044000000', transferTo: '919000000001' }, 'Transfer Call'],
	])('%s with App ID and App Secret: refused before sending, naming the fix', async (operation, parameters, name) => {
		const run = await runPiopiy({ url: fixture.url, parameters: { operation, ...parameters } });
		expect(fixture.sim.requests).toHaveLength(0);
		expect(run.nodeError.message).toBe(`${name} needs an API Token credential (Piopiy's v3 API)`);
		expect(run.nodeError.description).toBe(
			`The Piopiy API credential of this node uses App ID and App Secret (v2 API), which has no ${name}. Choose a Piopiy API credential whose API is "API Token", with a token from the Piopiy dashboard. No request was sent to Piopiy for item 0.`,
		);
	});

	test('Get Call Record with an API Token: refused before sending, pointing to what to use instead', async () => {
		const run = await runPiopiyV3({
			url: fixture.url,
			parameters: { resource: 'callRecord', operation: 'getCallRecord', requestId: 'X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm' },
			items: [{}, {}],
			onError: 'continueRegularOutput',
		});
		expect(fixture.sim.requests).toHaveLength(0);
		const message = "Get Call Record is not available with an API Token credential (Piopiy's v3 API)";
		const description = (item) =>
			`Piopiy's v3 API has no call record endpoint. Read the call in the Piopiy dashboard's call logs, receive call records with a Piopiy Trigger (Events: Call Record, at the CDR URL set in the Piopiy dashboard), or use an App ID and App Secret credential (v2 API) for this node. No request was sent to Piopiy for item ${item}.`;
		expect(run.items).toEqual([
			{ json: { error: message, details: { description: description(0), itemIndex: 0 } }, pairedItem: { item: 0 } },
			{ json: { error: message, details: { description: description(1), itemIndex: 1 } }, pairedItem: { item: 1 } },
		]);
	});

	test('a credential without App ID: calls that name the app are refused, naming the credential; an AI agent call needs none', async () => {
		const run = await runPiopiyV3({ url: fixture.url, parameters: MASK, credentials: { appId: 0 } });
		expect(fixture.sim.requests).toHaveLength(0);
		expect(run.nodeError.message).toBe(
			'The Piopiy API credential cannot be used for Mask Call in item 0: the credential has no App ID: v3 pipeline and flow calls need the App ID of your Piopiy app (Piopiy dashboard > Apps)',
		);
		expect(run.nodeError.description).toBe('Open the Piopiy API credential and fill in its App ID (Piopiy dashboard > Apps). No request was sent to Piopiy for item 0.');

		const ai = await runPiopiyV3({
			url: fixture.url,
			parameters: { operation: 'aiAgentCall', customerNumber: '919876543210', callerId: '918044000000', agentId: AGENT_ID },
			credentials: { appId: 0 },
		});
		expect(ai.nodeError).toBeUndefined();
		expect(onlyRequest(fixture.sim).body).toEqual({ caller_id: '918044000000', to_number: '919876543210', agent_id: AGENT_ID });
	});

	test('an App ID and App Secret credential that also holds a token (API switched back) sends exactly the v2 body', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: MASK,
			credentials: { apiVersion: 'v2', apiToken: API_TOKEN, v3BaseUrl: `${fixture.url}/v3` },
		});
		expect(run.nodeError).toBeUndefined();
		const [request] = fixture.sim.requests;
		expect(request.path).toBe('/v2/ind_pcmo_make_call');
		expect(request.headers.authorization).toBeUndefined();
		expect(request.rawBody).not.toContain(API_TOKEN);
		expect(request.body).toEqual({
			appid: APP_ID,
			secret: APP_SECRET,
			extra_params: {},
			from: 918040000000,
			duration: 5400,
			pcmo: [
				{
					action: 'bridge',
					from: 918040000000,
					connect: [
						{ type: 'pstn', number: 919700000001 },
						{ type: 'pstn', number: 919700000002 },
					],
					duration: 5400,
					timeout: 40,
					loop: 1,
				},
			],
			to: 919876543210,
		});
	});
});
