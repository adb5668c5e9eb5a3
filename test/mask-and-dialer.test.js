'use strict';
/**
 * Mask Call and Dialer Call in n8n's engine against the Piopiy simulator: the exact request Piopiy
 * receives, the exact items out, pairing across many items.
 */
const { runPiopiy, useSimulator, makeCallBody } = require('./harness/piopiy');
const { APP_ID } = require('./harness/constants');

// The bodies captured from Piopiy's SDK 1.0.8 (docs/piopiy-api.md#21-the-two-bridged-calls), verbatim.
const SDK_MASK_CALL = JSON.parse(`{"appid":2222226,"secret":"sec-ret","extra_params":{},"from":914471000000,"duration":10,
 "pcmo":[{"action":"bridge","from":914471000000,"connect":[{"type":"pstn","number":918888888888}],
          "duration":10,"timeout":20,"loop":1}],
 "to":919876543210}`);
const SDK_DIALER_CALL = JSON.parse(`{"appid":2222226,"secret":"sec-ret","extra_params":{"order":"A1"},"from":19170000000,"duration":10,
 "pcmo":[{"action":"bridge","from":19170000000,"connect":[{"type":"pstn","number":919000000001},
 {"type":"pstn","number":919000000002}],"duration":10,"timeout":20,"loop":2,"ring_type":"group"}],"to":14155550100}`);

describe('the bodies Piopiy documents, byte for byte in content', () => {
	const fixture = useSimulator({ appId: 2222226, appSecret: 'sec-ret' });
	const credentials = { appId: 2222226, appSecret: 'sec-ret' };

	test('Mask Call: agent first, one customer, India endpoint', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			credentials,
			parameters: {
				operation: 'maskCall',
				agentNumber: '919876543210',
				callerId: '914471000000',
				customerNumbers: '918888888888',
				options: { duration: 10, timeout: 20, loop: 1 },
			},
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests.map((r) => r.path)).toEqual(['/v2/ind_pcmo_make_call']);
		expect(fixture.sim.requests[0].body).toStrictEqual(SDK_MASK_CALL);
		expect(fixture.sim.requests[0].headers.accept).toBe('application/json');
	});

	test('Dialer Call: customer first, two agents in a group, global endpoint, extra params', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			credentials,
			parameters: {
				operation: 'dialerCall',
				customerNumber: '+1 415 555 0100',
				piopiyNumber: '+1 917 000 0000',
				agentNumbers: '+91 90000 00001, +91 90000 00002',
				options: { duration: 10, timeout: 20, loop: 2, ringType: 'group', extraParams: '{"order":"A1"}' },
			},
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests.map((r) => r.path)).toEqual(['/v2/global_pcmo_make_call']);
		expect(fixture.sim.requests[0].body).toStrictEqual(SDK_DIALER_CALL);
	});
});

describe('Mask Call', () => {
	const fixture = useSimulator();

	test("Piopiy's answer is the output item, paired to its input", async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: {
				operation: 'maskCall',
				agentNumber: '914471000000',
				callerId: '918888888888',
				customerNumbers: '919876543210',
			},
		});
		expect(run.items).toStrictEqual([
			{
				json: {
					data: { status: 'progress' },
					status: 'progress',
					request_id: fixture.sim.calls[0].request_id,
					cmi_code: 200,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(fixture.sim.calls[0].request_id).toMatch(/^[\w-]{43}$/);
	});

	test("no options: Piopiy's documented defaults are sent explicitly, single ring", async () => {
		await runPiopiy({
			url: fixture.url,
			parameters: {
				operation: 'maskCall',
				agentNumber: '919999999999',
				callerId: '918000000000',
				customerNumbers: '917600000000',
			},
		});
		expect(fixture.sim.requests[0].body).toStrictEqual(
			makeCallBody({ to: 919999999999, from: 918000000000, connect: [917600000000] }),
		);
		expect(fixture.sim.requests[0].body.pcmo[0]).not.toHaveProperty('ring_type');
	});

	test('many customers ring as a group, CRM id passed as extra params', async () => {
		await runPiopiy({
			url: fixture.url,
			parameters: {
				operation: 'maskCall',
				agentNumber: '919999999999',
				callerId: '918000000000',
				customerNumbers: '919800000000\n919700000000',
				options: { ringType: 'group', loop: 2, extraParams: '{"crmId":"deal-42","owner":{"id":7}}' },
			},
		});
		expect(fixture.sim.requests[0].body).toStrictEqual(
			makeCallBody({
				to: 919999999999,
				from: 918000000000,
				connect: [919800000000, 919700000000],
				loop: 2,
				ringType: 'group',
				extraParams: { crmId: 'deal-42', owner: { id: 7 } },
			}),
		);
	});

	test('an agent outside India goes to the global endpoint; region can override either way', async () => {
		const base = { operation: 'maskCall', callerId: '+44 20 7000 0000', customerNumbers: '+91 98000 00000' };
		await runPiopiy({ url: fixture.url, parameters: { ...base, agentNumber: '+44 7700 900123' } });
		await runPiopiy({
			url: fixture.url,
			parameters: { ...base, agentNumber: '+44 7700 900123', options: { region: 'india' } },
		});
		await runPiopiy({
			url: fixture.url,
			parameters: { ...base, agentNumber: '+91 98765 43210', options: { region: 'global' } },
		});
		expect(fixture.sim.requests.map((r) => [r.path, r.body.to])).toEqual([
			['/v2/global_pcmo_make_call', 447700900123],
			['/v2/ind_pcmo_make_call', 447700900123],
			['/v2/global_pcmo_make_call', 919876543210],
		]);
	});
});

describe('Dialer Call', () => {
	const fixture = useSimulator();

	test('customer first, agents one by one by default', async () => {
		await runPiopiy({
			url: fixture.url,
			parameters: {
				operation: 'dialerCall',
				customerNumber: '919876543210',
				piopiyNumber: '914471000000',
				agentNumbers: '919000000001,919000000002,919000000003',
				options: { timeout: 15 },
			},
		});
		expect(fixture.sim.requests[0].path).toBe('/v2/ind_pcmo_make_call');
		expect(fixture.sim.requests[0].body).toStrictEqual(
			makeCallBody({
				to: 919876543210,
				from: 914471000000,
				connect: [919000000001, 919000000002, 919000000003],
				timeout: 15,
			}),
		);
	});
});

describe('numbers mapped by expressions from a CRM webhook', () => {
	const fixture = useSimulator();

	// What a CRM's webhook delivers: numbers as text in whatever shape the sales team typed them.
	const contacts = [
		{ contact: { phone: '+91 98765-43210' }, agents: ['+91 90000 00001'] },
		{ contact: { phone: '919876543211' }, agents: '919000000001, 919000000002' },
		{ contact: { phone: '00919876543212' }, agents: '919000000001\n919000000002' },
		{ contact: { phone: 919876543213 }, agents: [919000000001, '+91-90000-00002'] },
		{ contact: { phone: '(91) 98765 43214' }, agents: 919000000003 },
		{ contact: { phone: '+1 (415) 555-0100' }, agents: ['+1 415 555 0101'] },
	];

	test('every accepted format becomes digits with the country code, sent as JSON numbers', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			items: contacts,
			parameters: {
				operation: 'dialerCall',
				customerNumber: '={{ $json.contact.phone }}',
				piopiyNumber: '+91 44 7100 0000',
				agentNumbers: '={{ $json.agents }}',
			},
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests.map((r) => [r.path, r.body.to, r.body.pcmo[0].connect.map((c) => c.number)])).toEqual([
			['/v2/ind_pcmo_make_call', 919876543210, [919000000001]],
			['/v2/ind_pcmo_make_call', 919876543211, [919000000001, 919000000002]],
			['/v2/ind_pcmo_make_call', 919876543212, [919000000001, 919000000002]],
			['/v2/ind_pcmo_make_call', 919876543213, [919000000001, 919000000002]],
			['/v2/ind_pcmo_make_call', 919876543214, [919000000003]],
			['/v2/global_pcmo_make_call', 14155550100, [14155550101]],
		]);
		for (const request of fixture.sim.requests) {
			expect(typeof request.body.to).toBe('number');
			expect(typeof request.body.from).toBe('number');
			expect(request.body.from).toBe(914471000000);
		}
	});

	test('options mapped from the item: numbers given as text are accepted', async () => {
		await runPiopiy({
			url: fixture.url,
			items: [{ maxSeconds: '120', order: { id: 'A-17' } }],
			parameters: {
				operation: 'maskCall',
				agentNumber: '919999999999',
				callerId: '918000000000',
				customerNumbers: '917600000000',
				options: { duration: '={{ $json.maxSeconds }}', extraParams: '={{ { orderId: $json.order.id } }}' },
			},
		});
		expect(fixture.sim.requests[0].body).toStrictEqual(
			makeCallBody({
				to: 919999999999,
				from: 918000000000,
				connect: [917600000000],
				duration: 120,
				extraParams: { orderId: 'A-17' },
			}),
		);
	});
});

describe('many items in one run', () => {
	const fixture = useSimulator();

	test('one call per item, in order, each output paired to its input with its own request_id', async () => {
		const items = Array.from({ length: 40 }, (_, i) => ({ id: i, phone: `+91 98000 ${String(i).padStart(5, '0')}` }));
		const run = await runPiopiy({
			url: fixture.url,
			items,
			parameters: {
				operation: 'maskCall',
				agentNumber: '919999999999',
				callerId: '918000000000',
				customerNumbers: '={{ $json.phone }}',
				options: { extraParams: '={{ { crmId: $json.id } }}' },
			},
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(40);
		expect(fixture.sim.calls).toHaveLength(40);
		run.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const call = fixture.sim.calls[i];
			expect(call.body.pcmo[0].connect).toEqual([{ type: 'pstn', number: 9198000 * 100000 + i }]);
			expect(call.body.extra_params).toEqual({ crmId: i });
			expect(item.json.request_id).toBe(call.request_id);
		});
		expect(new Set(run.items.map((item) => item.json.request_id)).size).toBe(40);
	});
});

describe('the app id goes out as a JSON number', () => {
	const fixture = useSimulator();
	test('appid is a number in the body', async () => {
		await runPiopiy({
			url: fixture.url,
			parameters: { operation: 'maskCall', agentNumber: '919999999999', callerId: '918000000000', customerNumbers: '917600000000' },
		});
		expect(fixture.sim.requests[0].body.appid).toBe(APP_ID);
	});
});
