'use strict';
/**
 * Issue 10: the round trip of a v3 call that listens for keys. What Piopiy's v3 API posts to an
 * on_result URL is not documented (docs/piopiy-api.md section 7.7), so the Piopiy Trigger reads it
 * tolerantly: v2's keypress shape {from, to, dtmf, cmuuid}; v3-looking shapes with the keys as
 * `dtmf` or `digits`, at the top or inside `result` or `data`; and anything else it does not
 * recognise starts the workflow as an "Other" event when Other is chosen in Events (400 otherwise).
 * The order's extra_params ride on the Keypress URL as with v2, so every reading is matched to its
 * order. The simulator places the v3 call and posts each reading to the call's on_result URL
 * (sendV3Result).
 */
const { useV3Simulator, runPiopiyV3 } = require('./harness/v3');
const { serveTrigger } = require('./harness/trigger');
const { WEBHOOK_TOKEN } = require('./harness/constants');

const ORDER = {
	operation: 'orderConfirmationCall',
	customerNumber: '={{ $json.phone }}',
	callerId: '918044000000',
	orderId: '={{ $json.order_id }}',
	message: '=Hello {{ $json.name }}, press 1 to confirm your order, or 2 to cancel.',
};
const SHOP_ORDER = { order_id: 'A-1042', name: 'Meena', phone: '+91 98765 43210' };
const REPLY = [{ action: 'speak', text: 'Thank you. Your answer is recorded.' }, { action: 'hangup' }];

const fixture = useV3Simulator();
let trigger;
afterEach(async () => {
	await trigger?.stop();
	trigger = undefined;
});

/** Serves a trigger for `events`, places one v3 Order Confirmation Call whose Keypress URL is the trigger. */
async function orderCalled(events) {
	trigger = await serveTrigger({
		parameters: { events, authentication: 'queryToken', keypressReply: 'Thank you. Your answer is recorded.' },
	});
	const run = await runPiopiyV3({ url: fixture.url, items: [SHOP_ORDER], parameters: { ...ORDER, actionUrl: `${trigger.url}?token=${WEBHOOK_TOKEN}` } });
	expect(run.nodeError).toBeUndefined();
	const [call] = fixture.sim.calls;
	expect(call.body.pipeline[0].on_result.url).toBe(
		`${trigger.url}?token=${WEBHOOK_TOKEN}&extra_params=${encodeURIComponent(JSON.stringify({ order_id: 'A-1042' })).replace(/%20/g, '+')}`,
	);
	return call;
}

async function startedWith() {
	const execution = await trigger.nextExecution();
	return execution.result ? execution.result.output('Piopiy Trigger').map((item) => item.json) : undefined;
}

describe('keypresses of a v3 Order Confirmation Call, in every reading', () => {
	test.each([
		['v2 shape {from, to, dtmf, cmuuid}', (call) => ({ from: 919876543210, to: 918044000000, dtmf: '1', cmuuid: call.call_id }), (call) => ({ from: 919876543210, to: 918044000000, dtmf: '1', cmuuid: call.call_id, cmiuuid: call.call_id })],
		['v3 flat {call_id, dtmf}', (call) => ({ call_id: call.call_id, dtmf: '2' }), (call) => ({ call_id: call.call_id, dtmf: '2' })],
		['v3 {call_id, input_type, digits}', (call) => ({ call_id: call.call_id, input_type: 'dtmf', digits: '1' }), (call) => ({ call_id: call.call_id, input_type: 'dtmf', digits: '1', dtmf: '1' })],
		['v3 nested {call_id, result: {dtmf}} with a number', (call) => ({ call_id: call.call_id, result: { type: 'dtmf', dtmf: 2 } }), (call) => ({ call_id: call.call_id, result: { type: 'dtmf', dtmf: 2 }, dtmf: '2' })],
		['v3 nested {data: {digits}}', (call) => ({ kind: 'input', data: { call_id: call.call_id, digits: '12' } }), (call) => ({ kind: 'input', data: { call_id: call.call_id, digits: '12' }, dtmf: '12' })],
	])('%s: a Keypress item with the keys as dtmf and the order matched', async (_name, body, expected) => {
		const call = await orderCalled(['keypress']);
		const answer = await fixture.sim.sendV3Result(call.call_id, body(call));
		expect([answer.status, answer.body]).toEqual([200, REPLY]);
		const [item] = await startedWith();
		expect(item).toEqual({ ...expected(call), event: 'keypress', extra_params: { order_id: 'A-1042' } });
	});
});

describe('what the trigger does not recognise', () => {
	const unknown = (call) => ({ call_id: call.call_id, outcome: 'no_input', attempts: 2 });

	test('Other chosen: the workflow starts with the body as it came, the order matched, Piopiy gets "received"', async () => {
		const call = await orderCalled(['keypress', 'other']);
		const answer = await fixture.sim.sendV3Result(call.call_id, unknown(call));
		expect([answer.status, answer.body]).toEqual([200, { status: 'received' }]);
		expect(await startedWith()).toEqual([{ event: 'other', call_id: call.call_id, outcome: 'no_input', attempts: 2, extra_params: { order_id: 'A-1042' } }]);
	});

	test('Other not chosen: 400, nothing started', async () => {
		const call = await orderCalled(['keypress']);
		const answer = await fixture.sim.sendV3Result(call.call_id, unknown(call));
		expect(answer.status).toBe(400);
		expect(answer.body.message).toMatch(/Choose "Other" in Events to receive it anyway\.$/);
		expect(await startedWith()).toBeUndefined();
	});

	test('a request without the token is refused with 401 before it is read, Other or not', async () => {
		const call = await orderCalled(['other']);
		const answer = await fixture.sim.sendV3Result(call.call_id, unknown(call), { url: trigger.url });
		expect([answer.status, answer.body]).toEqual([401, { message: 'Unauthorized' }]);
		expect(await startedWith()).toBeUndefined();
	});
});

describe('a key pressed during a v3 Transaction Alert reaches its Result URL', () => {
	test('the alert speaks through play_get_input; the key posted to the Result URL starts the workflow', async () => {
		trigger = await serveTrigger({ parameters: { events: ['keypress'] } });
		const run = await runPiopiyV3({
			url: fixture.url,
			parameters: { operation: 'transactionAlertCall', customerNumber: '919876543210', callerId: '918044000000', message: 'Rs 1500 was debited.', resultUrl: trigger.url },
		});
		expect(run.nodeError).toBeUndefined();
		const [call] = fixture.sim.calls;
		const answer = await fixture.sim.sendV3Result(call.call_id, { call_id: call.call_id, dtmf: '9' });
		expect(answer.status).toBe(200);
		expect(await startedWith()).toEqual([{ event: 'keypress', call_id: call.call_id, dtmf: '9', extra_params: {} }]);
	});
});
