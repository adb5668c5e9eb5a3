'use strict';
/**
 * Order Confirmation Call in n8n's engine against the simulator, and the round trip it is for: the
 * simulator, playing Piopiy, presses a key and posts it to the call's Keypress URL, here a Piopiy
 * Trigger served through n8n-core's webhook context, whose item carries the order ID back.
 */
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { serveTrigger } = require('./harness/trigger');
const { APP_ID, APP_SECRET, WEBHOOK_TOKEN } = require('./harness/constants');

const PROMPT = '=Hello {{ $json.name }}, please confirm your order of Rs {{ $json.total }}. Press 1 to confirm, or 2 to cancel.';
const ORDER = {
	operation: 'orderConfirmationCall',
	customerNumber: '={{ $json.phone }}',
	callerId: '918044000000',
	orderId: '={{ $json.order_id }}',
	message: PROMPT,
	actionUrl: 'https://n8n.example.com/webhook/piopiy-orders?token=s3cret',
};
const SHOP_ORDER = { order_id: 'A-1042', name: 'Meena', total: 1250, phone: '+91 98765 43210' };
const SPOKEN = 'Hello Meena, please confirm your order of Rs 1250. Press 1 to confirm, or 2 to cancel.';

/** The Keypress URL as sent: the one given, plus the call's extra_params as JSON. */
const keypressUrl = (base, extraParams) => {
	const url = new URL(base);
	url.searchParams.set('extra_params', JSON.stringify(extraParams));
	return url.toString();
};

describe('Order Confirmation Call', () => {
	const fixture = useSimulator();

	test('spoken prompt: [speak, input] per attempt, then hangup; the order ID in extra_params and on the Keypress URL', async () => {
		const run = await runPiopiy({ url: fixture.url, items: [SHOP_ORDER], parameters: ORDER });
		expect(run.error).toBeUndefined();
		const actionUrl = keypressUrl(ORDER.actionUrl, { order_id: 'A-1042' });
		expect(actionUrl).toBe(
			'https://n8n.example.com/webhook/piopiy-orders?token=s3cret&extra_params=%7B%22order_id%22%3A%22A-1042%22%7D',
		);
		const input = { action: 'input', action_url: actionUrl, max_digit: 1, timeout: 5 };
		expect(fixture.sim.requests).toHaveLength(1);
		expect(fixture.sim.requests[0].path).toBe('/v2/ind_pcmo_make_call');
		expect(fixture.sim.requests[0].status).toBe(200);
		expect(fixture.sim.requests[0].body).toEqual({
			appid: APP_ID,
			secret: APP_SECRET,
			extra_params: { order_id: 'A-1042' },
			from: 918044000000,
			duration: 5400,
			pcmo: [{ action: 'speak', text: SPOKEN }, input, { action: 'speak', text: SPOKEN }, input, { action: 'hangup' }],
			to: 919876543210,
		});
		expect(run.items).toEqual([
			{
				json: { data: { status: 'progress' }, status: 'progress', request_id: fixture.sim.calls[0].request_id, cmi_code: 200 },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('recorded prompt: one play_get_input that replays it (max_retry), closing message, own Extra Params kept', async () => {
		await runPiopiy({
			url: fixture.url,
			items: [SHOP_ORDER],
			parameters: {
				...ORDER,
				messageType: 'audio',
				audioFile: 'https://cdn.example.com/prompts/confirm-order.wav',
				maxDigits: 2,
				timeout: 8,
				attempts: 3,
				closingMessage: 'We did not hear from you. Goodbye.',
				options: { extraParams: '{"shop": "north", "order_id": "overwritten"}', duration: 120, region: 'global' },
			},
		});
		const extraParams = { shop: 'north', order_id: 'A-1042' };
		expect(fixture.sim.requests[0].path).toBe('/v2/global_pcmo_make_call');
		expect(fixture.sim.requests[0].body).toEqual({
			appid: APP_ID,
			secret: APP_SECRET,
			extra_params: extraParams,
			from: 918044000000,
			duration: 120,
			pcmo: [
				{
					action: 'play_get_input',
					file_url: 'https://cdn.example.com/prompts/confirm-order.wav',
					action_url: keypressUrl(ORDER.actionUrl, extraParams),
					max_digit: 2,
					max_retry: 3,
					timeout: 8,
				},
				{ action: 'speak', text: 'We did not hear from you. Goodbye.' },
				{ action: 'hangup' },
			],
			to: 919876543210,
		});
	});

	const bad = [
		[{ orderId: '={{ "" }}' }, 'Invalid Order ID in item 0: "" is empty: the order ID is needed to match the answer to the order'],
		[{ orderId: '={{ { id: 1 } }}' }, 'Invalid Order ID in item 0: {"id":1} is an object, not an order ID'],
		[{ actionUrl: 'n8n.example.com/webhook/orders' }, 'Invalid Keypress URL in item 0: "n8n.example.com/webhook/orders" is not a web address (URL) Piopiy can post the keypress to'],
		[{ actionUrl: 'mailto:orders@example.com' }, 'Invalid Keypress URL in item 0: "mailto:[hidden]@example.com" is not a web address (URL) Piopiy can post the keypress to (it must start with https:// or http://)'],
		[{ message: '={{ "" }}' }, 'Invalid Prompt in item 0: "" is empty: this value is required'],
		[{ maxDigits: 0 }, 'Invalid Max Digits in item 0: 0 is outside the allowed 1 to 32 digits'],
		[{ timeout: 121 }, 'Invalid Wait for Key (Seconds) in item 0: 121 is outside the allowed 1 to 120 seconds'],
		[{ attempts: 6 }, 'Invalid Max Attempts in item 0: 6 is outside the allowed 1 to 5 attempts'],
		[
			{ options: { extraParams: `={{ JSON.stringify({ notes: "x".repeat(2000) }) }}` } },
			'Invalid Options > Extra Params in item 0: makes the Keypress URL 2130 characters long (at most 2000): keep Extra Params small',
		],
	];

	test.each(bad)('%j is refused before any call', async (change, message) => {
		const run = await runPiopiy({ url: fixture.url, items: [SHOP_ORDER], parameters: { ...ORDER, ...change } });
		expect(run.nodeError.message).toBe(message);
		expect(run.nodeError.description).toMatch(/^No request was sent to Piopiy for item 0\./);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('the keypress comes back to a Piopiy Trigger, matched to its order', () => {
	const fixture = useSimulator();

	test('two orders called; each customer presses a key; each keypress item names its own order', async () => {
		const trigger = await serveTrigger({
			parameters: { events: ['keypress'], authentication: 'queryToken', keypressReply: 'Thank you. Your answer is recorded.' },
		});
		try {
			const orders = [SHOP_ORDER, { order_id: 'A-1043', name: 'Ravi', total: 99, phone: '919700011111' }];
			const run = await runPiopiy({
				url: fixture.url,
				items: orders,
				parameters: { ...ORDER, actionUrl: `${trigger.url}?token=${WEBHOOK_TOKEN}` },
			});
			expect(run.error).toBeUndefined();
			expect(fixture.sim.calls).toHaveLength(2);

			// Piopiy posts {from, to, dtmf, cmuuid} to the input action's action_url.
			const second = await fixture.sim.pressKeys(fixture.sim.calls[1].request_id, '2');
			const first = await fixture.sim.pressKeys(fixture.sim.calls[0].request_id, '1');
			for (const answer of [first, second]) {
				expect(answer.status).toBe(200);
				expect(answer.body).toEqual([{ action: 'speak', text: 'Thank you. Your answer is recorded.' }, { action: 'hangup' }]);
			}

			const items = [await trigger.nextExecution(), await trigger.nextExecution()].map(
				(execution) => execution.result.output('Piopiy Trigger')[0].json,
			);
			expect(items).toEqual([
				{
					event: 'keypress',
					from: 919700011111,
					to: 918044000000,
					dtmf: '2',
					cmuuid: fixture.sim.calls[1].cmiuuid,
					cmiuuid: fixture.sim.calls[1].cmiuuid,
					extra_params: { order_id: 'A-1043' },
				},
				{
					event: 'keypress',
					from: 919876543210,
					to: 918044000000,
					dtmf: '1',
					cmuuid: fixture.sim.calls[0].cmiuuid,
					cmiuuid: fixture.sim.calls[0].cmiuuid,
					extra_params: { order_id: 'A-1042' },
				},
			]);
		} finally {
			await trigger.stop();
		}
	});
});
