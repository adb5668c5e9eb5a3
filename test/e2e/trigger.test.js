'use strict';
/**
 * Issue 5 in a real n8n 2.41.1 (the e2e stack: this package installed from its `npm pack` tarball,
 * the Piopiy simulator on 127.0.0.1): the example workflows of examples/ imported through n8n's
 * public API, activated, and driven by the simulator playing Piopiy.
 * - an inbound call's answer URL is answered with a bridge (fixed in the trigger, computed by the
 *   workflow, or by a Respond to Webhook node), and with the fallback when the workflow fails;
 * - a request without the token gets 401 and starts no execution;
 * - an order confirmation's keypress arrives and marks its own order in the shop.
 */
const { startStack } = require('./support/stack');
const { startService } = require('./support/http-service');
const { activateExample } = require('./support/workflows');
const { INBOUND, INBOUND_MASKING_ANSWER } = require('./support/fixtures');
const { WEBHOOK_TOKEN: TOKEN, TRIGGER_TYPE, CREDENTIAL_TYPE, simulatorCredential } = require('../harness/constants');


jest.setTimeout(240_000);

let stack;
let credential;
const servers = [];

beforeAll(async () => {
	// Jest sets NODE_ENV=test, and n8n 2.41.1 started with it exits at once; the launcher passes the
	// environment on, so it goes here (scripts/n8n/launcher.js could drop it for every caller).
	delete process.env.NODE_ENV;
	stack = await startStack({ log: () => {} });
	credential = await stack.client.api('POST', '/credentials', {
		name: 'Piopiy (simulator, with webhook token)',
		type: CREDENTIAL_TYPE,
		data: simulatorCredential(stack.simUrl, { webhookToken: TOKEN }),
	});
}, 400_000);

afterAll(async () => {
	for (const server of servers) await server.close();
	await stack?.stop();
});

/** A local HTTP service (the shop, the CRM), stopped after the tests. */
async function service(answer) {
	const started = await startService(answer);
	servers.push(started);
	return started;
}

/** An example workflow (support/workflows.js activateExample) with this run's credential, created and activated. */
function activate(file, edit) {
	return activateExample(stack.client, file, credential, edit);
}

const node = (workflow, name) => workflow.nodes.find((n) => n.name === name);

async function executions(workflowId) {
	const { data } = await stack.client.api('GET', `/executions?workflowId=${workflowId}&includeData=false`);
	return data;
}

async function waitFor(check, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describe('inbound call masking in n8n', () => {
	test('examples/inbound-call-masking.json: the answer URL is answered with a bridge to the team; a request without the token gets 401 and starts nothing', async () => {
		const id = await activate('inbound-call-masking.json');
		const url = `${stack.n8n.url}/webhook/piopiy-inbound`;

		const refused = await stack.sim.answerInboundCall(url, INBOUND);
		expect([refused.status, refused.body]).toEqual([401, { message: 'Unauthorized' }]);
		const wrong = await stack.sim.answerInboundCall(`${url}?token=guess`, INBOUND);
		expect(wrong.status).toBe(401);

		const answer = await stack.sim.answerInboundCall(`${url}?token=${TOKEN}`, INBOUND);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual(INBOUND_MASKING_ANSWER);
		// One execution: the answered call. The two refused requests started none.
		const runs = await waitFor(async () => {
			const list = await executions(id);
			return list.length > 0 && list.every((e) => e.finished) ? list : undefined;
		});
		expect(runs).toHaveLength(1);
		expect(runs[0].status).toBe('success');
	});

	test('examples/inbound-call-routing.json: the workflow looks the caller up and its last node answers with the bridge', async () => {
		let crmDown = false;
		const crm = await service((request) =>
			crmDown ? { status: 503, body: { error: 'maintenance' } } : { body: { manager_name: 'Priya', manager_phone: '+91 90000 00042', query: request.url } },
		);
		await activate('inbound-call-routing.json', (workflow) => {
			node(workflow, 'Find the account manager').parameters.url = `=${crm.url}/api/contacts`;
		});
		const url = `${stack.n8n.url}/webhook/piopiy-routing?token=${TOKEN}`;

		const answer = await stack.sim.answerInboundCall(url, INBOUND);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ action: 'speak', text: 'Connecting you to Priya, your account manager.' },
			{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000042 }], duration: 5400, timeout: 25, loop: 1 },
		]);
		expect(crm.received.at(-1).url).toBe('/api/contacts?phone=919876543210');

		// The CRM fails: the workflow fails, and the caller still gets a valid answer.
		crmDown = true;
		const fallback = await stack.sim.answerInboundCall(url, INBOUND);
		expect(fallback.status).toBe(200);
		expect(fallback.body).toEqual([
			{ action: 'speak', text: 'Sorry, we cannot connect your call right now. Please try again later.' },
			{ action: 'hangup' },
		]);
	});

	function respondWorkflow(typeVersion, pathName) {
		return {
			name: `Inbound call answered by Respond to Webhook ${typeVersion}`,
			nodes: [
				{
					parameters: { events: ['inboundCall'], path: pathName, respond: 'responseNode', options: { answerTimeout: 5 } },
					name: 'Inbound call',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: `e2e-${pathName}`,
				},
				{
					parameters: {
						respondWith: 'json',
						responseBody: '={{ JSON.stringify([{ action: "bridge", from: $json.to, connect: [{ type: "pstn", number: "+91 90000 00077" }] }]) }}',
						options: {},
					},
					name: 'Respond to Webhook',
					type: 'n8n-nodes-base.respondToWebhook',
					typeVersion,
					position: [260, 0],
				},
			],
			connections: { 'Inbound call': { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] } },
		};
	}

	test("a Respond to Webhook node (version 1) answers with the bridge; version 1.5 refuses non-Webhook triggers, and the caller gets the fallback", async () => {
		await activate(respondWorkflow(1, 'piopiy-respond-v1'));
		const answer = await stack.sim.answerInboundCall(`${stack.n8n.url}/webhook/piopiy-respond-v1`, INBOUND);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: 919000000077 }], duration: 5400, timeout: 40, loop: 1 },
		]);

		const id = await activate(respondWorkflow(1.5, 'piopiy-respond-v15'));
		const refused = await stack.sim.answerInboundCall(`${stack.n8n.url}/webhook/piopiy-respond-v15`, INBOUND);
		expect(refused.status).toBe(200);
		expect(refused.body).toEqual([
			{ action: 'speak', text: 'Sorry, we cannot take your call right now. Please try again later.' },
			{ action: 'hangup' },
		]);
		const [run] = await waitFor(async () => {
			const list = await executions(id);
			return list.length > 0 && list[0].finished !== undefined && list[0].status !== 'running' ? list : undefined;
		});
		expect(run.status).toBe('error');
	});
});

describe('order confirmation in n8n', () => {
	test('examples/order-confirmation.json: the shop order is called, the key pressed marks that order', async () => {
		const shop = await service(() => ({ body: { ok: true } }));
		const keypressUrl = `${stack.n8n.url}/webhook/piopiy-order-answers?token=${TOKEN}`;
		await activate('order-confirmation.json', (workflow) => {
			node(workflow, 'Call customer to confirm').parameters.actionUrl = keypressUrl;
			node(workflow, 'Mark the order').parameters.url = `${shop.url}/api/order-status`;
		});
		stack.sim.reset();

		// The shop posts two orders.
		const orders = [
			{ order_id: 'A-1042', items: '2 cotton shirts', total: 1250, customer: { name: 'Meena', phone: '+91 98765 43210' } },
			{ order_id: 'A-1043', items: 'a lamp', total: 899, customer: { name: 'Ravi', phone: '+91 97000 11111' } },
		];
		for (const order of orders) {
			const placed = await fetch(`${stack.n8n.url}/webhook/shop-orders`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(order),
			});
			expect(placed.status).toBe(200);
		}
		const calls = await waitFor(() => (stack.sim.calls.length === 2 ? stack.sim.calls : undefined));
		const byOrder = Object.fromEntries(calls.map((call) => [call.body.extra_params.order_id, call]));
		expect(byOrder['A-1042'].body).toMatchObject({
			to: 919876543210,
			from: 918044000000,
			extra_params: { shop: 'acme-north', order_id: 'A-1042' },
		});
		expect(byOrder['A-1042'].body.pcmo[1]).toEqual({
			action: 'input',
			action_url: `${keypressUrl}&extra_params=${encodeURIComponent(JSON.stringify({ shop: 'acme-north', order_id: 'A-1042' }))}`,
			max_digit: 1,
			timeout: 6,
		});

		// Ravi cancels, Meena confirms: Piopiy posts each key to the call's action_url.
		const cancelled = await stack.sim.pressKeys(byOrder['A-1043'].request_id, '2');
		const confirmed = await stack.sim.pressKeys(byOrder['A-1042'].request_id, '1');
		for (const answer of [cancelled, confirmed]) {
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual([{ action: 'speak', text: 'Thank you. We have recorded your answer. Goodbye.' }, { action: 'hangup' }]);
		}

		const marks = await waitFor(() => (shop.received.length === 2 ? shop.received : undefined));
		expect(marks.map((m) => m.body).sort((a, b) => a.order_id.localeCompare(b.order_id))).toEqual([
			{ order_id: 'A-1042', status: 'confirmed', key: '1', phone: 919876543210, call_id: byOrder['A-1042'].cmiuuid },
			{ order_id: 'A-1043', status: 'cancelled', key: '2', phone: 919700011111, call_id: byOrder['A-1043'].cmiuuid },
		]);
	});
});
