'use strict';
/**
 * The smoke test of a release of n8n: the package installed from its `npm pack` tarball as a community
 * package, one Mask Call placed through a Webhook workflow and one inbound call answered by the Piopiy
 * Trigger, both against the Piopiy simulator. `npm run test:e2e` runs it with the other e2e files in the
 * current n8n; `npm run test:compat:e2e` runs it alone in the oldest supported n8n (scripts/n8n/compat.js),
 * which is what README's Compatibility table reports.
 */
const fs = require('node:fs');
const path = require('node:path');

const { N8N_VERSION } = require('../../scripts/n8n/config');
const { startStack, CREDENTIAL_ID, CREDENTIAL_NAME } = require('./support/stack');
const { maskCallWorkflow } = require('./support/workflows');
const { INBOUND, INBOUND_MASKING_ANSWER } = require('./support/fixtures');
const { APP_ID, APP_SECRET, WEBHOOK_TOKEN: TOKEN, CREDENTIAL_TYPE, simulatorCredential } = require('../harness/constants');


jest.setTimeout(240_000);

let stack;

beforeAll(async () => {
	// Jest sets NODE_ENV=test, with which n8n 2.x exits at once (see test/e2e/trigger.test.js).
	delete process.env.NODE_ENV;
	stack = await startStack({ log: () => {} });
}, 20 * 60_000);

afterAll(async () => {
	await stack?.stop();
}, 60_000);

async function activate(workflow) {
	const created = await stack.client.api('POST', '/workflows', {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
	});
	await stack.client.api('POST', `/workflows/${created.id}/activate`);
	return created.id;
}

/** POSTs to a production webhook; 404 (not registered yet) is retried for a bounded time. */
async function postWebhook(url, body) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (response.status !== 404) return { status: response.status, json: await response.json() };
		if (Date.now() > deadline) throw new Error(`${url} still answers 404 after 30 s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

test(`the n8n under test is ${N8N_VERSION}`, async () => {
	const settings = await stack.client.rest('GET', '/settings');
	expect(settings.versionCli).toBe(N8N_VERSION);
});

test('Webhook -> Mask Call: Piopiy receives the one documented make-call, the webhook answers with its reply', async () => {
	await activate(maskCallWorkflow({ path: 'smoke-mask-call', credential: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } }));
	stack.sim.reset();

	const response = await postWebhook(`${stack.n8n.url}/webhook/smoke-mask-call`, {
		deal: { id: 'D-7' },
		owner: { phone: '+91 98765 43210' },
		contact: { phones: ['+91 90000-00001'] },
		company: { piopiy_number: '+91 80 4000 0000' },
	});

	expect(stack.sim.requests.map((request) => [request.method, request.path, request.body])).toEqual([
		[
			'POST',
			'/v2/ind_pcmo_make_call',
			{
				appid: APP_ID,
				secret: APP_SECRET,
				extra_params: { deal_id: 'D-7' },
				from: 918040000000,
				duration: 5400,
				pcmo: [{ action: 'bridge', from: 918040000000, connect: [{ type: 'pstn', number: 919000000001 }], duration: 5400, timeout: 40, loop: 1 }],
				to: 919876543210,
			},
		],
	]);
	expect(stack.sim.calls).toHaveLength(1);
	expect(response.status).toBe(200);
	expect(response.json).toEqual([stack.sim.requests[0].answer]);
});

test('Piopiy Trigger: an inbound call is answered with the bridge of examples/inbound-call-masking.json', async () => {
	const credential = await stack.client.api('POST', '/credentials', {
		name: 'Piopiy (smoke, with webhook token)',
		type: CREDENTIAL_TYPE,
		data: simulatorCredential(stack.simUrl, { webhookToken: TOKEN }),
	});
	const example = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'inbound-call-masking.json'), 'utf8'));
	for (const node of example.nodes) {
		if (node.credentials?.piopiyApi) node.credentials.piopiyApi = { id: credential.id, name: credential.name };
	}
	const workflowId = await activate(example);
	const url = `${stack.n8n.url}/webhook/piopiy-inbound?token=${TOKEN}`;

	let answer;
	const deadline = Date.now() + 30_000;
	do {
		answer = await stack.sim.answerInboundCall(url, INBOUND);
		if (answer.status !== 404) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	} while (Date.now() < deadline);

	expect(answer.status).toBe(200);
	expect(answer.body).toEqual(INBOUND_MASKING_ANSWER);
	const runs = await (async () => {
		const until = Date.now() + 20_000;
		for (;;) {
			const { data } = await stack.client.api('GET', `/executions?workflowId=${workflowId}`);
			if (data.length && data.every((execution) => execution.finished)) return data;
			if (Date.now() > until) throw new Error(`no finished execution of the trigger's workflow: ${JSON.stringify(data)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	})();
	expect(runs.map((execution) => execution.status)).toEqual(['success']);
});
