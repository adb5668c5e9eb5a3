'use strict';
/**
 * Transaction Alert Call in n8n's engine against the simulator: the v2 PCMO make-call body
 * docs/piopiy-api.md#23-calls-with-actions-of-their-own describes (speak or play, repeated, then hangup),
 * one call per item.
 */
const { runPiopiy, useSimulator } = require('./harness/piopiy');
const { APP_ID, APP_SECRET } = require('./harness/constants');

const ALERT = {
	operation: 'transactionAlertCall',
	customerNumber: '={{ $json.phone }}',
	callerId: '+91 80 4400 0000',
	message: '=Rs {{ $json.amount }} was debited from your account ending {{ $json.last4 }} at {{ $json.time }}.',
};

const body = ({ to, from = 918044000000, pcmo, extraParams = {}, duration = 5400 }) => ({
	appid: APP_ID,
	secret: APP_SECRET,
	extra_params: extraParams,
	from,
	duration,
	pcmo,
	to,
});

describe('Transaction Alert Call', () => {
	const fixture = useSimulator();

	test('speaks the text built from each item, as often as asked, then hangs up: one call per item', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			items: [
				{ phone: '+91 98765 43210', amount: 1500, last4: '4321', time: '10:42' },
				{ phone: '+1 (415) 555-0100', amount: 20, last4: '0007', time: '11:05' },
			],
			parameters: { ...ALERT, repeat: 2, options: { extraParams: '{"txn": "T-9"}' } },
		});
		expect(run.error).toBeUndefined();
		const first = 'Rs 1500 was debited from your account ending 4321 at 10:42.';
		const second = 'Rs 20 was debited from your account ending 0007 at 11:05.';
		expect(fixture.sim.requests.map((r) => [r.path, r.status])).toEqual([
			['/v2/ind_pcmo_make_call', 200],
			['/v2/global_pcmo_make_call', 200],
		]);
		expect(fixture.sim.requests[0].body).toEqual(
			body({
				to: 919876543210,
				extraParams: { txn: 'T-9' },
				pcmo: [{ action: 'speak', text: first }, { action: 'speak', text: first }, { action: 'hangup' }],
			}),
		);
		expect(fixture.sim.requests[1].body).toEqual(
			body({
				to: 14155550100,
				extraParams: { txn: 'T-9' },
				pcmo: [{ action: 'speak', text: second }, { action: 'speak', text: second }, { action: 'hangup' }],
			}),
		);
		expect(run.items).toEqual([
			{
				json: { data: { status: 'progress' }, status: 'progress', request_id: fixture.sim.calls[0].request_id, cmi_code: 200 },
				pairedItem: { item: 0 },
			},
			{
				json: { data: { status: 'progress' }, status: 'progress', request_id: fixture.sim.calls[1].request_id, cmi_code: 200 },
				pairedItem: { item: 1 },
			},
		]);
	});

	test('plays a recording by URL (file_url) or by the name of a file uploaded to Piopiy (file_name)', async () => {
		await runPiopiy({
			url: fixture.url,
			items: [{ phone: '919876543210' }],
			parameters: { ...ALERT, messageType: 'audio', audioFile: 'https://cdn.example.com/alerts/debit.MP3?v=2' },
		});
		await runPiopiy({
			url: fixture.url,
			items: [{ phone: '919876543210' }],
			parameters: { ...ALERT, messageType: 'audio', audioFile: 'debit_alert.wav', repeat: 3, options: { duration: 60, region: 'global' } },
		});
		expect(fixture.sim.requests.map((r) => [r.path, r.status])).toEqual([
			['/v2/ind_pcmo_make_call', 200],
			['/v2/global_pcmo_make_call', 200],
		]);
		expect(fixture.sim.requests[0].body.pcmo).toEqual([
			{ action: 'play', file_url: 'https://cdn.example.com/alerts/debit.MP3?v=2' },
			{ action: 'hangup' },
		]);
		expect(fixture.sim.requests[1].body).toEqual(
			body({
				to: 919876543210,
				duration: 60,
				pcmo: [
					{ action: 'play', file_name: 'debit_alert.wav' },
					{ action: 'play', file_name: 'debit_alert.wav' },
					{ action: 'play', file_name: 'debit_alert.wav' },
					{ action: 'hangup' },
				],
			}),
		);
	});

	const bad = [
		[{ message: '={{ "  " }}' }, 'Invalid Message in item 0: "  " is empty: this value is required'],
		[{ message: '={{ $json.nothing }}' }, 'Invalid Message in item 0: there is no value (undefined): this value is required'],
		[{ message: '={{ "x".repeat(3001) }}' }, `Invalid Message in item 0: "${'x'.repeat(76)}... is 3001 characters long; at most 3000 can be spoken`],
		[{ messageType: 'audio', audioFile: 'https://cdn.example.com/alert.ogg' }, 'Invalid Audio File in item 0: "https://cdn.example.com/alert.ogg" is not an .mp3 or .wav file: Piopiy plays only those'],
		[{ messageType: 'audio', audioFile: 'ftp://cdn.example.com/alert.mp3' }, 'Invalid Audio File in item 0: "ftp://cdn.example.com/alert.mp3" is not a web address (URL) of an .mp3 or .wav file (it must start with https:// or http://)'],
		[{ messageType: 'audio', audioFile: 'alerts/debit.mp3' }, 'Invalid Audio File in item 0: "alerts/debit.mp3" is not a file name like "alert.wav" (a web address must start with https://)'],
		[{ repeat: 0 }, 'Invalid Repeat in item 0: 0 is outside the allowed 1 to 5 times'],
		[{ repeat: 6 }, 'Invalid Repeat in item 0: 6 is outside the allowed 1 to 5 times'],
		[{ callerId: '0804400000' }, 'Invalid Caller ID in item 0: "0804400000" starts with 0: write it with its country code first, e.g. 919876543210 rather than 09876543210'],
	];

	test.each(bad)('%j is refused before any call, naming field, item and value', async (change, message) => {
		const run = await runPiopiy({ url: fixture.url, items: [{ phone: '919876543210', amount: 5 }], parameters: { ...ALERT, ...change } });
		expect(run.nodeError.message).toBe(message);
		expect(run.nodeError.description).toMatch(/^No request was sent to Piopiy for item 0\./);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test('a bridge option left over from another operation (Timeout, Loop, Ring Type) is not sent: this call has no bridge', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			items: [{ phone: '919876543210', amount: 5 }],
			parameters: { ...ALERT, options: { timeout: 30, loop: 2, ringType: 'group' } },
		});
		expect(run.nodeError).toBeUndefined();
		expect(Object.keys(fixture.sim.requests[0].body).sort()).toEqual(['appid', 'duration', 'extra_params', 'from', 'pcmo', 'secret', 'to']);
		expect(fixture.sim.requests[0].body.pcmo.map((action) => action.action)).toEqual(['speak', 'hangup']);
	});
});
