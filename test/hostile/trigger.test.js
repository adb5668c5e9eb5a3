'use strict';
/**
 * Issue 9, items 6, 7 and the Webhook Token: the Piopiy Trigger under requests that lie.
 * - The item's `event`, `cdr_kind` (and a keypress's `cmiuuid`) are the trigger's own: a body's
 *   `"event": "callRecord"` on an inbound call cannot make a Switch on `$json.event` route it wrong.
 * - Options > Answer Timeout is a whole number of seconds from 1 to 30: anything else stops the
 *   activation naming the option; "1" as text is 1 second, not silently the default 5.
 * - A Webhook Token with "+", "&" or "=" works when percent-encoded in the URL (as the README shows),
 *   and not when pasted raw.
 */
const { HookContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const { createPiopiySimulator } = require('../../simulator/piopiy-simulator');
const { serveTrigger, triggerPackage } = require('../harness/trigger');
const { TRIGGER_TYPE } = require('../harness/constants');

const sim = createPiopiySimulator();
const INBOUND = { from: '919876543210', to: '918044000000' };
const FALLBACK = [{ action: 'speak', text: 'Sorry, we cannot take your call right now. Please try again later.' }, { action: 'hangup' }];

let server;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

async function itemOf(request) {
	const execution = await server.nextExecution();
	expect(request.status).toBe(200);
	return execution.result.output('Piopiy Trigger')[0].json;
}

describe('the item cannot be spoofed', () => {
	test('an inbound call whose body says "event": "callRecord" and has a cdr_kind: the item is an inbound call, without them', async () => {
		server = await serveTrigger({ parameters: { events: ['inboundCall', 'callRecord'], agentNumbers: '919000000001' } });
		const answer = await sim.postWebhook(server.url, { ...INBOUND, event: 'callRecord', cdr_kind: 'in_answered', extra_params_raw: 'forged' });
		expect(answer.body[0].action).toBe('bridge');
		expect(await itemOf(answer)).toEqual({ event: 'inboundCall', ...INBOUND, extra_params: {} });
	});

	test('a call record whose body says "event": "inboundCall" and a cdr_kind of its own: the trigger\'s event and cdr_kind', async () => {
		server = await serveTrigger({ parameters: { events: ['callRecord'] } });
		const answer = await sim.postWebhook(server.url, { type: 'cdr', direction: 'outbound', status: 'missed', event: 'inboundCall', cdr_kind: 'in_answered' });
		expect(await itemOf(answer)).toEqual({ event: 'callRecord', type: 'cdr', direction: 'outbound', status: 'missed', cdr_kind: 'out_missed', extra_params: {} });
	});

	test('a call record without direction or status: no cdr_kind at all, not the body\'s', async () => {
		server = await serveTrigger({ parameters: { events: ['callRecord'] } });
		const answer = await sim.postWebhook(server.url, { type: 'cdr', cdr_kind: 'in_answered' });
		expect(await itemOf(answer)).toEqual({ event: 'callRecord', type: 'cdr', extra_params: {} });
	});

	test('a keypress\'s cmiuuid is always its cmuuid', async () => {
		server = await serveTrigger({ parameters: { events: ['keypress'] } });
		const answer = await sim.postWebhook(server.url, { ...INBOUND, dtmf: '1', cmuuid: 'the-call', cmiuuid: 'another-call', event: 'callEvent' });
		expect(await itemOf(answer)).toEqual({ event: 'keypress', ...INBOUND, dtmf: '1', cmuuid: 'the-call', cmiuuid: 'the-call', extra_params: {} });
	});

	test('a "__proto__" key in the body stays a plain key of the item', async () => {
		server = await serveTrigger({ parameters: { events: ['callEvent'] } });
		const answer = await sim.postWebhook(server.url, JSON.parse('{"type":"event","status":"ringing","__proto__":{"event":"callRecord"}}'));
		const item = await itemOf(answer);
		expect(item.event).toBe('callEvent');
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
	});
});

describe('Options > Answer Timeout', () => {
	async function activate(options) {
		const pkg = await triggerPackage();
		const parameters = { events: ['inboundCall'], respond: 'lastNode', options };
		const node = { id: 't', name: 'Piopiy Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters };
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes: pkg.nodeTypes, settings: {} });
		const context = new HookContext(workflow, workflow.getNode('Piopiy Trigger'), {}, 'trigger', 'activate');
		return pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).webhookMethods.default.create.call(context);
	}

	test.each([
		[0, '0 is outside the allowed 1 to 30 seconds'],
		[-1, '-1 is outside the allowed 1 to 30 seconds'],
		[NaN, 'NaN is not a whole number of seconds'],
		[31, '31 is outside the allowed 1 to 30 seconds'],
		[2147484, '2147484 is outside the allowed 1 to 30 seconds'],
		[1e12, '1000000000000 is outside the allowed 1 to 30 seconds'],
		[2.5, '2.5 is not a whole number of seconds'],
		['0x10', '"0x10" is not a whole number of seconds'],
		['five', '"five" is not a whole number of seconds'],
	])('%p stops the activation, naming the option', async (value, why) => {
		await expect(activate({ answerTimeout: value })).rejects.toThrow(`Invalid Options > Answer Timeout (Seconds): ${why}`);
	});

	test.each([[1], [30], ['10'], [' 7 '], [undefined]])('%p activates', async (value) => {
		await expect(activate(value === undefined ? {} : { answerTimeout: value })).resolves.toBe(true);
	});

	test('"1" as text is one second: a slow workflow\'s caller gets the fallback after 1 s, not 5', async () => {
		server = await serveTrigger({
			parameters: { events: ['inboundCall'], respond: 'responseNode', options: { answerTimeout: '1' } },
			downstream: [
				{ name: 'Slow CRM', type: 'harness.delay', parameters: { ms: 2500 } },
				{ name: 'Respond to Webhook', type: 'harness.respond', parameters: { body: '[{"action": "hangup"}]' } },
			],
		});
		const answer = await sim.answerInboundCall(server.url, INBOUND);
		expect(answer.body).toEqual(FALLBACK);
		expect(answer.ms).toBeGreaterThanOrEqual(950);
		expect(answer.ms).toBeLessThan(2400);
		await server.nextExecution();
	});
});

describe('a Webhook Token with characters URLs give a meaning to', () => {
	const TOKEN = 'tok+en&x=1/2 ?#%';

	test('percent-encoded in the URL it is accepted; pasted raw it is not', async () => {
		server = await serveTrigger({
			parameters: { events: ['inboundCall'], authentication: 'queryToken', agentNumbers: '919000000001' },
			credentials: { webhookToken: TOKEN },
		});
		const encoded = await sim.answerInboundCall(`${server.url}?token=${encodeURIComponent(TOKEN)}`, INBOUND);
		expect(encoded.status).toBe(200);
		expect((await server.nextExecution()).result).toBeDefined();

		const raw = await sim.answerInboundCall(`${server.url}?token=tok+en&x=1/2`, INBOUND);
		expect([raw.status, raw.body]).toEqual([401, { message: 'Unauthorized' }]);
		expect((await server.nextExecution()).result).toBeUndefined();
	});
});
