'use strict';
/**
 * The Piopiy Trigger through n8n-core's webhook path, in-process: a real HTTP server hands each
 * request to the node's webhook() in a WebhookContext (test/harness/webhook-server.js), the rest of the
 * workflow runs in WorkflowExecute, and the simulator plays Piopiy: it posts the answer-URL request
 * of an inbound call, keypresses, call records and live events, and checks every answer with its
 * own PCMO rules (simulator/piopiy-simulator.js checkAction), independent of the node's schemas.
 */
const { HookContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const { createPiopiySimulator, checkAction } = require('../simulator/piopiy-simulator');
const { serveTrigger, triggerPackage } = require('./harness/trigger');
const { APP_ID, APP_SECRET, TRIGGER_TYPE, WEBHOOK_TOKEN } = require('./harness/constants');

const sim = createPiopiySimulator();
const INBOUND = { from: '919876543210', to: '918044000000' };
const FALLBACK = [
	{ action: 'speak', text: 'Sorry, we cannot take your call right now. Please try again later.' },
	{ action: 'hangup' },
];

let server;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

async function serve(options) {
	server = await serveTrigger(options);
	return server;
}

/** What the workflow got from the trigger for the next request handled (undefined: not started). */
async function started() {
	const execution = await server.nextExecution();
	return execution.result ? execution.result.output('Piopiy Trigger').map((item) => item.json) : undefined;
}

/** Every answer Piopiy gets must pass Piopiy's own checks. */
function expectValidPcmo(actions) {
	expect(Array.isArray(actions)).toBe(true);
	expect(actions.length).toBeGreaterThan(0);
	for (const action of actions) expect(checkAction(action)).toBeUndefined();
}

describe('inbound call masking, answered by the trigger itself', () => {
	test('the caller is bridged to the agents; the agents see the Piopiy number; the workflow gets the call', async () => {
		await serve({
			parameters: { events: ['inboundCall'], agentNumbers: '+91 90000 00001, 919000000002' },
			downstream: [{ name: 'Slow CRM', type: 'harness.delay', parameters: { ms: 3000 } }],
		});
		const answer = await sim.answerInboundCall(server.url, { ...INBOUND, cmiuuid: 'c0ffee00-1111-4222-8333-444455556666', time: 1700000000000 });
		expect(answer.status).toBe(200);
		expect(answer.headers['content-type']).toMatch(/^application\/json/);
		expect(answer.body).toEqual([
			{
				action: 'bridge',
				from: 918044000000,
				connect: [
					{ type: 'pstn', number: 919000000001 },
					{ type: 'pstn', number: 919000000002 },
				],
				duration: 5400,
				timeout: 40,
				loop: 1,
			},
		]);
		expectValidPcmo(answer.body);
		// Piopiy waits on the line: the answer does not wait for the rest of the workflow (3 s; the margin
		// is for a loaded machine, the point is the order).
		expect(answer.ms).toBeLessThan(2500);
		expect(await started()).toEqual([
			{
				event: 'inboundCall',
				from: '919876543210',
				to: '918044000000',
				time: 1700000000000,
				cmiuuid: 'c0ffee00-1111-4222-8333-444455556666',
				extra_params: {},
			},
		]);
	});

	test('greeting, recording, group ringing and a fixed caller ID', async () => {
		await serve({
			parameters: {
				events: ['inboundCall'],
				agentNumbers: '919000000001, 919000000002',
				options: { greeting: 'Please wait while we connect you.', record: true, ringType: 'group', ringTimeout: 20, loop: 2, duration: 900, callerId: '+91 80 4400 0099' },
			},
		});
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.body).toEqual([
			{ action: 'speak', text: 'Please wait while we connect you.' },
			{ action: 'record' },
			{
				action: 'bridge',
				from: 918044000099,
				connect: [
					{ type: 'pstn', number: 919000000001 },
					{ type: 'pstn', number: 919000000002 },
				],
				duration: 900,
				timeout: 20,
				loop: 2,
				ring_type: 'group',
			},
		]);
		expectValidPcmo(answer.body);
	});

	test('custom actions (JSON) are checked and sent normalised', async () => {
		await serve({
			parameters: {
				events: ['inboundCall'],
				answerWith: 'actions',
				answerActions: '[{"action": "play", "file_name": "welcome.wav"}, {"action": "bridge", "from": "+91 80 4400 0000", "connect": [{"type": "pstn", "number": "919000000001"}]}]',
			},
		});
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.body).toEqual([
			{ action: 'play', file_name: 'welcome.wav' },
			{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000001 }], duration: 5400, timeout: 40, loop: 1 },
		]);
	});

	test('agent numbers that are not valid: the caller hears the fallback message, and the workflow still gets the call', async () => {
		await serve({ parameters: { events: ['inboundCall'], agentNumbers: '919000000001, agent two' } });
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual(FALLBACK);
		expect(await started()).toHaveLength(1);
	});
});

describe('inbound call masking, answered by the workflow', () => {
	const respondBridge = {
		name: 'Respond to Webhook',
		type: 'harness.respond',
		parameters: {
			body: '={{ JSON.stringify([{ action: "bridge", from: $json.to, connect: [{ type: "pstn", number: $json.from.endsWith("0") ? "+91 90000 00010" : "+91 90000 00011" }] }]) }}',
		},
	};

	test("a Respond to Webhook node answers with a bridge computed in the workflow (checked and normalised)", async () => {
		await serve({ parameters: { events: ['inboundCall'], respond: 'responseNode' }, downstream: [respondBridge] });
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000010 }], duration: 5400, timeout: 40, loop: 1 },
		]);
		expectValidPcmo(answer.body);
	});

	test('"When Last Node Finishes": the last node\'s first item carries {"pcmo": [...]}', async () => {
		await serve({
			parameters: { events: ['inboundCall'], respond: 'lastNode' },
			downstream: [
				{
					name: 'Pick agent',
					type: 'harness.set',
					parameters: { json: '={{ { pcmo: [{ action: "bridge", from: $json.to, connect: [{ type: "pstn", number: 919000000012 }] }] } }}' },
				},
			],
		});
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.body).toEqual([
			{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000012 }], duration: 5400, timeout: 40, loop: 1 },
		]);
	});

	const failures = [
		['the workflow fails', [{ name: 'CRM', type: 'harness.fail', parameters: { message: 'CRM is down' } }]],
		['the workflow ends without answering', [{ name: 'Log', type: 'harness.delay', parameters: { ms: 0 } }]],
		['the answer is not an action list', [{ ...respondBridge, parameters: { body: '{"agent": "919000000001"}' } }]],
		['the answer has an invalid action', [{ ...respondBridge, parameters: { body: '[{"action": "bridge", "from": 918044000000, "connect": []}]' } }]],
		['the answer is not JSON', [{ ...respondBridge, parameters: { body: 'connect me' } }]],
		['the answer is an HTTP error', [{ ...respondBridge, parameters: { body: '[{"action": "hangup"}]', statusCode: 503 } }]],
	];

	test.each(failures)('%s: Piopiy gets the fallback message and hang-up, with HTTP 200', async (_name, downstream) => {
		await serve({
			parameters: { events: ['inboundCall'], respond: 'responseNode', fallbackMessage: 'All our agents are busy. Please call again.' },
			downstream,
		});
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([{ action: 'speak', text: 'All our agents are busy. Please call again.' }, { action: 'hangup' }]);
		expectValidPcmo(answer.body);
		expect(await started()).toHaveLength(1);
	});

	test('the workflow is too slow: the fallback goes out after Answer Timeout, and the late answer is dropped', async () => {
		await serve({
			parameters: { events: ['inboundCall'], respond: 'responseNode', options: { answerTimeout: 1 } },
			downstream: [{ name: 'Slow CRM', type: 'harness.delay', parameters: { ms: 4000 } }, respondBridge],
		});
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.body).toEqual(FALLBACK);
		// After the 1 s Answer Timeout, well before the workflow's answer at 4 s (margin for a loaded machine).
		expect(answer.ms).toBeGreaterThanOrEqual(950);
		expect(answer.ms).toBeLessThan(3500);
		// The workflow still finishes; its Respond to Webhook runs into a closed response without error.
		const execution = await server.nextExecution();
		expect(execution.result.error).toBeUndefined();
		expect(execution.result.output('Respond to Webhook')).toHaveLength(1);
	});
});

describe('keypresses', () => {
	test('a keypress starts the workflow with its digits; Piopiy is answered with the keypress reply', async () => {
		await serve({ parameters: { events: ['keypress'], keypressReply: 'Thank you, your order is confirmed.' } });
		const answer = await sim.postWebhook(`${server.url}?extra_params=${encodeURIComponent('{"order_id":"A-1"}')}`, {
			from: 919876543210,
			to: 918044000000,
			dtmf: '1',
			cmuuid: 'c0ffee00-1111-4222-8333-444455556666',
		});
		expect(answer.body).toEqual([{ action: 'speak', text: 'Thank you, your order is confirmed.' }, { action: 'hangup' }]);
		expect(await started()).toEqual([
			{
				event: 'keypress',
				from: 919876543210,
				to: 918044000000,
				dtmf: '1',
				cmuuid: 'c0ffee00-1111-4222-8333-444455556666',
				cmiuuid: 'c0ffee00-1111-4222-8333-444455556666',
				extra_params: { order_id: 'A-1' },
			},
		]);
	});

	test('an empty keypress reply just hangs up (one request through engine.runWebhook)', async () => {
		const pkg = await triggerPackage();
		const answer = await pkg.runWebhook(
			{ nodes: [{ name: 'Piopiy Trigger', type: TRIGGER_TYPE, parameters: { events: ['keypress'], keypressReply: '' } }] },
			{ body: { from: 1, to: 2, dtmf: '9', cmuuid: 'x' }, query: { extra_params: '{"order_id":"B-7"}' } },
		);
		expect([answer.status, answer.body]).toEqual([200, [{ action: 'hangup' }]]);
		expect(answer.execution.result.output('Piopiy Trigger')[0].json).toEqual({
			event: 'keypress',
			from: 1,
			to: 2,
			dtmf: '9',
			cmuuid: 'x',
			cmiuuid: 'x',
			extra_params: { order_id: 'B-7' },
		});
	});
});

describe('call records and live events', () => {
	test('a call record: extra_params parsed from its JSON string, cdr_kind added; Piopiy gets 200', async () => {
		await serve({ parameters: { events: ['callRecord'] } });
		const cdr = {
			type: 'cdr',
			to: 14155550100,
			appid: 2222226,
			time: 1700000000000,
			start_time: 1700000000,
			end_time: 1700000042,
			answer_time: 1700000001,
			from: 19170000000,
			direction: 'outbound',
			duration: 41,
			extra_params: '{"crmId":"L-1042","attempt":2}',
			cmiuuid: '55348d77-c515-425d-b22c-f0c6ecd8d780',
			conversation_uuid: 'c62abd10-1bab-11ec-8e24-ddb7c33510ad',
			request_id: 'X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm',
			callerid: 19170000000,
			leg: 'a',
			status: 'answered',
			call_rate: '0.450000',
			balance: '878.900000',
		};
		const answer = await sim.postWebhook(server.url, cdr);
		expect([answer.status, answer.body]).toEqual([200, { status: 'received' }]);
		expect(await started()).toEqual([{ event: 'callRecord', ...cdr, extra_params: { crmId: 'L-1042', attempt: 2 }, cdr_kind: 'out_answered' }]);
	});

	test('extra_params that are not valid JSON (as in some of Piopiy\'s own samples) are kept as text', async () => {
		await serve({ parameters: { events: ['callRecord'] } });
		await sim.postWebhook(server.url, { type: 'cdr', direction: 'inbound', status: 'missed', extra_params: "{ 'Name': 'Akil' }" });
		expect(await started()).toEqual([
			{ event: 'callRecord', type: 'cdr', direction: 'inbound', status: 'missed', extra_params: {}, extra_params_raw: "{ 'Name': 'Akil' }", cdr_kind: 'in_missed' },
		]);
	});

	test('the simulator ends a placed call and posts its record: the workflow gets the call\'s own extra_params', async () => {
		await serve({ parameters: { events: ['callRecord', 'callEvent'] } });
		const piopiy = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET });
		const url = await piopiy.start();
		try {
			// A call placed as the Piopiy node places it (see the operation tests).
			await fetch(`${url}/v2/global_pcmo_make_call`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ appid: APP_ID, secret: APP_SECRET, extra_params: { order_id: 'A-9' }, from: 19170000000, duration: 60, pcmo: [{ action: 'hangup' }], to: 14155550100 }),
			});
			const [call] = piopiy.calls;
			await piopiy.sendCallEvent(server.url, call.request_id, 'out_answered');
			await piopiy.sendCallRecord(server.url, call.request_id, { status: 'answered', duration: 12 });
			const [event] = await started();
			const [record] = await started();
			expect(event).toMatchObject({ event: 'callEvent', type: 'event', status: 'out_answered', request_id: call.request_id, extra_params: { order_id: 'A-9' } });
			expect(record).toMatchObject({ event: 'callRecord', type: 'cdr', status: 'answered', duration: 12, cdr_kind: 'out_answered', extra_params: { order_id: 'A-9' } });
		} finally {
			await piopiy.stop();
		}
	});

	test('Call Event Statuses: only the chosen statuses start the workflow; the others are still answered 200', async () => {
		await serve({ parameters: { events: ['callEvent'], options: { callEventStatuses: ['hangup'] } } });
		const ringing = await sim.postWebhook(server.url, { type: 'event', status: 'ringing', cmiuuid: 'a' });
		const hangup = await sim.postWebhook(server.url, { type: 'event', status: 'hangup', cmiuuid: 'a' });
		const stream = await sim.postWebhook(server.url, { status: 'STREAM_DISCONNECTED', cmiuuid: 'a' });
		expect([ringing.status, hangup.status, stream.status]).toEqual([200, 200, 200]);
		expect(await started()).toBeUndefined();
		expect(await started()).toEqual([{ event: 'callEvent', type: 'event', status: 'hangup', cmiuuid: 'a', extra_params: {} }]);
		expect(await started()).toBeUndefined();
	});
});

describe('events not chosen, and requests that are not from Piopiy', () => {
	test('an inbound call at a trigger not listening for them gets the fallback, and starts nothing', async () => {
		await serve({ parameters: { events: ['callRecord'] } });
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.body).toEqual(FALLBACK);
		expect(await started()).toBeUndefined();
	});

	test('a call record at a trigger listening only for inbound calls: 200, nothing started', async () => {
		await serve({ parameters: { events: ['inboundCall'], respond: 'responseNode' } });
		const answer = await sim.postWebhook(server.url, { type: 'cdr', status: 'answered' });
		expect([answer.status, answer.body]).toEqual([200, { status: 'received' }]);
		expect(await started()).toBeUndefined();
	});

	test('a body Piopiy is not known to send, with Other not chosen: 400, nothing started', async () => {
		await serve({ parameters: { events: ['inboundCall', 'keypress', 'callRecord', 'callEvent'] } });
		const answer = await sim.postWebhook(server.url, { hello: 'world' });
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({
			message:
				'This is not a request Piopiy is known to send: expected an inbound call, a keypress, a call record or a call event. Choose "Other" in Events to receive it anyway.',
		});
		expect(await started()).toBeUndefined();
	});
});

describe('the shared token', () => {
	const parameters = { events: ['inboundCall', 'keypress'], authentication: 'queryToken', agentNumbers: '919000000001' };

	test.each([
		['no token', ''],
		['a wrong token', '?token=guess'],
		['the token with a different case', `?token=${WEBHOOK_TOKEN.toUpperCase()}`],
		['the token twice', `?token=${WEBHOOK_TOKEN}&token=${WEBHOOK_TOKEN}`],
	])('%s: 401, no answer actions, nothing started', async (_name, query) => {
		await serve({ parameters });
		const answer = await sim.answerInboundCall(`${server.url}${query}`, INBOUND);
		expect([answer.status, answer.body]).toEqual([401, { message: 'Unauthorized' }]);
		const execution = await server.nextExecution();
		expect(execution.webhookResult).toEqual({ noWebhookResponse: true });
		expect(execution.result).toBeUndefined();
	});

	test('the right token: answered and started; the token is not put in the item', async () => {
		await serve({ parameters });
		const answer = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, { ...INBOUND, cmiuuid: 'k' });
		expect(answer.status).toBe(200);
		expect(answer.body[0].action).toBe('bridge');
		const [item] = await started();
		expect(JSON.stringify(item)).not.toContain(WEBHOOK_TOKEN);
	});

	test('a credential without a Webhook Token refuses everything (fails closed)', async () => {
		await serve({ parameters, credentials: { webhookToken: '' } });
		const withEmpty = await sim.answerInboundCall(`${server.url}?token=`, INBOUND);
		expect(withEmpty.status).toBe(401);
		expect((await server.nextExecution()).result).toBeUndefined();
	});
});

describe('activation', () => {
	async function activate(parameters) {
		const pkg = await triggerPackage();
		const node = { id: 't', name: 'Piopiy Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters };
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes: pkg.nodeTypes, settings: {} });
		const context = new HookContext(workflow, workflow.getNode('Piopiy Trigger'), {}, 'trigger', 'activate');
		const { webhookMethods } = pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1);
		expect(await webhookMethods.default.checkExists.call(context)).toBe(false);
		return webhookMethods.default.create.call(context);
	}

	test('valid settings activate (nothing is registered at Piopiy: its URLs are set in its dashboard)', async () => {
		await expect(activate({ events: ['inboundCall'], agentNumbers: '919000000001' })).resolves.toBe(true);
		await expect(activate({ events: ['keypress', 'callRecord'] })).resolves.toBe(true);
	});

	test('an agent number that is not valid stops the activation, not a caller\'s call', async () => {
		await expect(activate({ events: ['inboundCall'], agentNumbers: '919000000001, 12' })).rejects.toThrow(
			'The answer to inbound calls is not valid: Agent Numbers (number 2): " 12" has 2 digits: a phone number has 7 to 15 digits with its country code first',
		);
		await expect(activate({ events: ['inboundCall'], answerWith: 'actions', answerActions: '[{"action": "dial"}]' })).rejects.toThrow(
			'The answer to inbound calls is not valid: Actions (JSON) (number 1) > action: "dial" is not a PCMO action',
		);
		await expect(activate({ events: [] })).rejects.toThrow('Choose at least one event');
	});
});
