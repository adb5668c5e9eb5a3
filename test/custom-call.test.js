'use strict';
/**
 * Custom Call: a PCMO action list given as JSON or built in the fields, checked against each
 * action's schema (docs/piopiy-api.md#5-pcmo-actions), sent normalised, and accepted by the simulator's own checks.
 */
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { APP_ID, APP_SECRET } = require('./harness/constants');

const CUSTOM = { operation: 'customCall', customerNumber: '+1 415 555 0100', callerId: '19170000000' };
const json = (actions) => ({ ...CUSTOM, actionsSource: 'json', actionsJson: JSON.stringify(actions) });
const fields = (...rows) => ({ ...CUSTOM, actions: { action: rows } });

describe('Custom Call', () => {
	const fixture = useSimulator();

	test('JSON: every documented action, normalised (numbers as numbers, defaults written out, single ring type left out)', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: json([
				{ action: 'speak', text: 'Welcome to Acme.' },
				{ action: 'play', file_url: 'https://cdn.example.com/hold.mp3' },
				{ action: 'play', file_name: 'menu.wav' },
				{ action: 'input', action_url: 'https://n8n.example.com/webhook/keys', max_digit: '4' },
				{ action: 'play_get_input', file_name: 'menu.wav', action_url: 'https://n8n.example.com/webhook/keys', max_retry: 2 },
				{ action: 'record' },
				{ action: 'param', text: 'lead=L-7' },
				{ action: 'stream', ws_url: 'wss://ai.example.com/stream', listen_mode: 'both', voice_quality: 16000, stream_on_answer: true },
				{ action: 'bridge', from: '+1 917 000 0000', connect: [{ type: 'pstn', number: '+91 90000 00001' }], ring_type: 'single' },
				{ action: 'hangup' },
			]),
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests).toHaveLength(1);
		const [request] = fixture.sim.requests;
		expect([request.path, request.status]).toEqual(['/v2/global_pcmo_make_call', 200]);
		expect(request.body).toEqual({
			appid: APP_ID,
			secret: APP_SECRET,
			extra_params: {},
			from: 19170000000,
			duration: 5400,
			pcmo: [
				{ action: 'speak', text: 'Welcome to Acme.' },
				{ action: 'play', file_url: 'https://cdn.example.com/hold.mp3' },
				{ action: 'play', file_name: 'menu.wav' },
				{ action: 'input', action_url: 'https://n8n.example.com/webhook/keys', max_digit: 4, timeout: 5 },
				{ action: 'play_get_input', file_name: 'menu.wav', action_url: 'https://n8n.example.com/webhook/keys', max_digit: 1, max_retry: 2, timeout: 5 },
				{ action: 'record' },
				{ action: 'param', text: 'lead=L-7' },
				{ action: 'stream', ws_url: 'wss://ai.example.com/stream', listen_mode: 'both', voice_quality: '16000', stream_on_answer: true },
				{ action: 'bridge', from: 19170000000, connect: [{ type: 'pstn', number: 919000000001 }], duration: 5400, timeout: 40, loop: 1 },
				{ action: 'hangup' },
			],
			to: 14155550100,
		});
		// Keys go out in the documented order.
		expect(Object.keys(request.body.pcmo[4])).toEqual(['action', 'file_name', 'action_url', 'max_digit', 'max_retry', 'timeout']);
		expect(run.items[0].json.request_id).toBe(fixture.sim.calls[0].request_id);
	});

	test('fields: each action type built from its own fields; the bridge shows the call\'s Caller ID unless one is given', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			items: [{ agent: '+91 90000 00002' }],
			parameters: fields(
				{ type: 'speak', text: 'Connecting you to our team.' },
				{ type: 'play', file: 'https://cdn.example.com/ring.wav' },
				{ type: 'input', actionUrl: 'https://n8n.example.com/webhook/keys', maxDigits: 2, inputTimeout: 7 },
				{ type: 'play_get_input', file: 'menu.mp3', actionUrl: 'https://n8n.example.com/webhook/keys', maxRetry: 3 },
				{ type: 'record' },
				{ type: 'bridge', connect: '=+91 90000 00001, {{ $json.agent }}', ringType: 'group', ringTimeout: 25, loop: 2, duration: 600 },
				{ type: 'bridge', connect: '919000000003', from: '+1 917 000 0001' },
				{ type: 'hangup' },
			),
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests[0].status).toBe(200);
		expect(fixture.sim.requests[0].body.pcmo).toEqual([
			{ action: 'speak', text: 'Connecting you to our team.' },
			{ action: 'play', file_url: 'https://cdn.example.com/ring.wav' },
			{ action: 'input', action_url: 'https://n8n.example.com/webhook/keys', max_digit: 2, timeout: 7 },
			{ action: 'play_get_input', file_name: 'menu.mp3', action_url: 'https://n8n.example.com/webhook/keys', max_digit: 1, max_retry: 3, timeout: 5 },
			{ action: 'record' },
			{
				action: 'bridge',
				from: 19170000000,
				connect: [
					{ type: 'pstn', number: 919000000001 },
					{ type: 'pstn', number: 919000000002 },
				],
				duration: 600,
				timeout: 25,
				loop: 2,
				ring_type: 'group',
			},
			{ action: 'bridge', from: 19170000001, connect: [{ type: 'pstn', number: 919000000003 }], duration: 5400, timeout: 40, loop: 1 },
			{ action: 'hangup' },
		]);
	});

	const badJson = [
		['not JSON', '{"action": speak}', 'Invalid Actions (JSON) in item 0: "{\\"action\\": speak}" is not valid JSON'],
		['not a list', '{"action": "hangup"}', 'Invalid Actions (JSON) in item 0: "{\\"action\\": \\"hangup\\"}" is an object, not a list of actions like [{"action": "speak", "text": "Hello"}]'],
		['empty list', '[]', 'Invalid Actions (JSON) in item 0: is an empty list: the call needs at least one action'],
		['unknown action', '[{"action": "dial"}]', 'Invalid Actions (JSON) (number 1) > action in item 0: "dial" is not a PCMO action; use one of "speak", "play", "input", "play_get_input", "bridge", "record", "hangup", "param", "stream"'],
		['misspelt key', '[{"action": "play", "file_ulr": "https://a.example/b.mp3"}]', 'Invalid Actions (JSON) (number 1) > file_ulr in item 0: "file_ulr" is not a property of the "play" action, which has "file_url", "file_name"'],
		['two files', '[{"action": "play", "file_url": "https://a.example/b.mp3", "file_name": "b.mp3"}]', 'Invalid Actions (JSON) (number 1) in item 0: has both "file_url" and "file_name": give one of them'],
		['no file', '[{"action": "play_get_input", "action_url": "https://a.example/k"}]', 'Invalid Actions (JSON) (number 1) in item 0: needs the audio to play: "file_url" (an .mp3/.wav URL) or "file_name"'],
		['no text', '[{"action": "speak"}]', 'Invalid Actions (JSON) (number 1) > text in item 0: there is no value (undefined): this value is required'],
		['no action_url', '[{"action": "input", "max_digit": 2}]', 'Invalid Actions (JSON) (number 1) > action_url in item 0: there is no value (undefined): this value is required'],
		['digits', '[{"action": "input", "action_url": "https://a.example/k", "max_digit": 0}]', 'Invalid Actions (JSON) (number 1) > max_digit in item 0: 0 is outside the allowed 1 to 32 digits'],
		['bridge leg', '[{"action": "bridge", "from": 19170000000, "connect": [919000000001]}]', 'Invalid Actions (JSON) (number 1) > connect (number 1) in item 0: 919000000001 is a number, not a leg like {"type": "pstn", "number": 919876543210}'],
		['bridge number', '[{"action": "bridge", "from": 19170000000, "connect": [{"type": "pstn", "number": "0900"}]}]', 'Invalid Actions (JSON) (number 1) > connect (number 1) > number in item 0: "0900" starts with 0: write it with its country code first, e.g. 919876543210 rather than 09876543210'],
		['sip leg', '[{"action": "bridge", "from": 19170000000, "connect": [{"type": "sip", "number": 919000000001}]}]', 'Invalid Actions (JSON) (number 1) > connect (number 1) in item 0: has type "sip": only "pstn" (a phone number) is supported'],
		['ring type', '[{"action": "bridge", "from": 19170000000, "connect": [{"type": "pstn", "number": 919000000001}], "ring_type": "all"}]', 'Invalid Actions (JSON) (number 1) > ring_type in item 0: "all" is not one of "single", "group"'],
		['stream url', '[{"action": "stream", "ws_url": "https://ai.example.com"}]', 'Invalid Actions (JSON) (number 1) > ws_url in item 0: "https://ai.example.com" is not a WebSocket address (wss://...) (it must start with wss:// or ws://)'],
		['hangup extra', '[{"action": "hangup", "reason": "done"}]', 'Invalid Actions (JSON) (number 1) > reason in item 0: "reason" is not a property of the "hangup" action, which has none besides "action"'],
	];

	test.each(badJson)('JSON, %s: refused before any call', async (_name, actionsJson, message) => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...CUSTOM, actionsSource: 'json', actionsJson } });
		expect(run.nodeError.message).toBe(message);
		expect(run.nodeError.description).toMatch(/^No request was sent to Piopiy for item 0\./);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	const badFields = [
		['no action', { action: [] }, 'Invalid Actions in item 0: no action was added: the call needs at least one'],
		['empty text', { action: [{ type: 'speak', text: '' }] }, 'Invalid Actions > Action (number 1) > Text in item 0: "" is empty: this value is required'],
		['bad file', { action: [{ type: 'hangup' }, { type: 'play', file: 'https://a.example/b.ogg' }] }, 'Invalid Actions > Action (number 2) > Audio File in item 0: "https://a.example/b.ogg" is not an .mp3 or .wav file: Piopiy plays only those'],
		['no numbers', { action: [{ type: 'bridge', connect: '' }] }, 'Invalid Actions > Action (number 1) > Numbers in item 0: no phone number was given'],
		['bad number', { action: [{ type: 'bridge', connect: '919000000001, 12' }] }, 'Invalid Actions > Action (number 1) > Numbers (number 2) in item 0: " 12" has 2 digits: a phone number has 7 to 15 digits with its country code first'],
		['bad caller id', { action: [{ type: 'bridge', connect: '919000000001', from: 'front desk' }] }, 'Invalid Actions > Action (number 1) > Bridge Caller ID in item 0: "front desk" has "f" (U+0066): only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number'],
		['bad timeout', { action: [{ type: 'input', actionUrl: 'https://a.example/k', inputTimeout: 0 }] }, 'Invalid Actions > Action (number 1) > Wait for Key (Seconds) in item 0: 0 is outside the allowed 1 to 120 seconds'],
	];

	test.each(badFields)('fields, %s: refused before any call, on the field the user sees', async (_name, actions, message) => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...CUSTOM, actions } });
		expect(run.nodeError.message).toBe(message);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});
