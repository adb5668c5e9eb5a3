'use strict';
/**
 * The package inside a real n8n (2.41.1), installed from its `npm pack` tarball the way n8n
 * installs community packages, talking to the Piopiy simulator:
 *   1. Webhook -> Piopiy workflows created and activated through n8n's public API, fed CRM-shaped
 *      JSON: the exact requests Piopiy receives and the items the webhook answers with;
 *   2. a wrong credential and a bad number: the node's errors in the saved execution data;
 *   3. the editor in headless Chromium: search, add, both operations' fields, execute, output;
 *   4. the AI agent tool variant;
 *   5. an API Token credential (Piopiy's v3 API): the same Mask Call workflow sends the v3 body, and
 *      a 0.2.0 API-token credential's dialog shows its token fields;
 * and that n8n binds 127.0.0.1 only and that everything started is stopped.
 *
 * Run with `npm run test:e2e` (installs n8n into a cache first). Screenshots go to
 * test-results/e2e/; with PIOPIY_E2E_DOCS=1 they also replace the README's in .github/screenshots/
 * (a dot folder: `n8n-node build` copies the images of every other folder into dist/).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { repoRoot } = require('../../scripts/n8n/config');
const { sleep } = require('../../scripts/n8n/launcher');
const { startStack, WRONG_CREDENTIAL, V3_CREDENTIAL, API_TOKEN, CREDENTIAL_ID, CREDENTIAL_NAME, OWNER } = require('./support/stack');
const { maskCallWorkflow, dialerCallWorkflow } = require('./support/workflows');
const { makeCallBody, assertJsonPost, assertCampaignRequests, DEAL_EVENT, MASK_EXPECTED, CAMPAIGN, DIALER_EXPECTED } = require('./support/fixtures');
const { listeningSockets, groupMembers, groupRssMb, isLoopback } = require('./support/processes');
const { launchBrowser } = require('./support/browser');
const { APP_ID, WRONG_SECRET, NODE_TYPE: PIOPIY } = require('../harness/constants');

const SIMULATOR_CREDENTIAL = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME };
const SHOTS = path.join(repoRoot, 'test-results', 'e2e');
const DOCS = path.join(repoRoot, '.github', 'screenshots');

const log = (line) => process.stderr.write(`[e2e] ${line}\n`);

let stack;
let sim;
let client;

beforeAll(async () => {
	stack = await startStack({ log });
	({ sim, client } = stack);
	log(`n8n ${stack.n8n.url}, simulator ${stack.simUrl}`);
}, 20 * 60_000);

afterAll(async () => {
	await stack?.stop();
}, 60_000);

// ---------------------------------------------------------------------------------------------

/** Creates a workflow through the public API and activates it (which registers its webhook). */
async function deploy(workflow) {
	const created = await client.api('POST', '/workflows', workflow);
	await client.api('POST', `/workflows/${created.id}/activate`);
	return created.id;
}

/**
 * POSTs to a production webhook. n8n answers 404 (running nothing) while a webhook is not yet
 * registered, so that one answer is retried for a bounded time.
 */
async function postWebhook(webhookPath, body) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await client.request('POST', `/webhook/${webhookPath}`, { body, expect: null, timeoutMs: 60_000 });
		if (response.status !== 404) return response;
		if (Date.now() > deadline) throw new Error(`the webhook ${webhookPath} still answers 404 after 30 s: ${response.text}`);
		await sleep(250);
	}
}

/** The newest saved execution of a workflow, with its run data (polled: n8n saves it after answering). */
async function lastExecution(workflowId, { after: notBefore = 0 } = {}) {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const list = await client.api('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=5`);
		const newest = (list.data ?? []).find((execution) => Date.parse(execution.startedAt) >= notBefore - 1000 && execution.stoppedAt);
		if (newest) return newest;
		if (Date.now() > deadline) throw new Error(`no finished execution of workflow ${workflowId} within 20 s`);
		await sleep(250);
	}
}

function shot(name) {
	fs.mkdirSync(SHOTS, { recursive: true });
	return path.join(SHOTS, name);
}

function publishShots(names) {
	if (process.env.PIOPIY_E2E_DOCS !== '1') return;
	fs.mkdirSync(DOCS, { recursive: true });
	for (const name of names) fs.copyFileSync(path.join(SHOTS, name), path.join(DOCS, name));
	log(`copied ${names.length} screenshots to .github/screenshots/`);
}

// ---------------------------------------------------------------------------------------------

describe('n8n runs with the package installed', () => {
	it('listens on 127.0.0.1 only (editor, API, task broker)', () => {
		const sockets = listeningSockets(stack.n8n.pgid);
		const ports = sockets.map((socket) => socket.port);
		assert.ok(ports.includes(stack.n8n.port), `n8n's port ${stack.n8n.port} is not among ${JSON.stringify(sockets)}`);
		assert.ok(ports.includes(stack.n8n.brokerPort), `the task broker's port ${stack.n8n.brokerPort} is not among ${JSON.stringify(sockets)}`);
		const exposed = sockets.filter((socket) => !isLoopback(socket.address));
		assert.deepEqual(exposed, [], 'sockets bound beyond the loopback interface');
	});

	it('loads the Piopiy node and credential as an installed community package', async () => {
		const { json: types } = await client.request('GET', '/types/nodes.json', {
			headers: { cookie: client.cookie, 'browser-id': client.browserId },
		});
		const node = types.find((type) => type.name === PIOPIY && [].concat(type.version).includes(1));
		assert.ok(node, `${PIOPIY} is not among n8n's ${types.length} node types`);
		assert.equal(node.displayName, 'Piopiy');
		assert.deepEqual(node.credentials.map((credential) => credential.name), ['piopiyApi']);
		const operation = node.properties.find((property) => property.name === 'operation' && property.options.some((o) => o.value === 'maskCall'));
		assert.ok(operation, 'no Operation parameter offering Mask Call');
		const names = operation.options.map((option) => option.name);
		for (const wanted of ['Mask Call', 'Dialer Call']) assert.ok(names.includes(wanted), `Operation lacks "${wanted}": ${names}`);

		const credentials = await client.rest('GET', '/credentials');
		const ours = credentials.find((credential) => credential.id === CREDENTIAL_ID);
		assert.equal(ours?.name, CREDENTIAL_NAME);
		assert.equal(ours?.type, 'piopiyApi');
	});

	it('offers the node to AI agents as a tool (Piopiy Tool)', async () => {
		const { json: types } = await client.request('GET', '/types/nodes.json', {
			headers: { cookie: client.cookie, 'browser-id': client.browserId },
		});
		const tool = types.find((type) => type.name === `${PIOPIY}Tool`);
		assert.ok(tool, `${PIOPIY}Tool is missing: the node is not usable as an AI agent tool`);
		assert.equal(tool.displayName, 'Piopiy Tool');
		assert.deepEqual(tool.outputs, ['ai_tool']);
		assert.deepEqual(tool.inputs, []);
		assert.ok(tool.codex?.subcategories?.AI?.includes('Tools'), `not listed under AI > Tools: ${JSON.stringify(tool.codex)}`);
		const names = tool.properties.map((property) => property.name);
		assert.ok(names.includes('toolDescription'), 'the tool has no description for the agent');
		for (const name of ['operation', 'agentNumber', 'customerNumbers', 'customerNumber', 'agentNumbers']) {
			assert.ok(names.includes(name), `the tool lacks the "${name}" parameter`);
		}
	});
});

describe('CRM webhooks drive the Piopiy node', () => {
	let maskWorkflowId;

	it('Webhook -> Mask Call: one make-call with the mapped numbers; the webhook answers with Piopiy\'s item', async () => {
		maskWorkflowId = await deploy(maskCallWorkflow({ path: 'crm-deal-mask-call', credential: SIMULATOR_CREDENTIAL }));
		sim.reset();

		const response = await postWebhook('crm-deal-mask-call', DEAL_EVENT);

		assert.equal(sim.requests.length, 1, `Piopiy received ${sim.requests.length} requests: ${JSON.stringify(sim.requests.map((r) => r.body))}`);
		const [request] = sim.requests;
		assertJsonPost(request);
		assert.equal(request.path, '/v2/ind_pcmo_make_call');
		assert.deepStrictEqual(request.body, MASK_EXPECTED);
		assert.equal(sim.calls.length, 1, 'Piopiy placed no call');

		assert.equal(response.status, 200, `webhook answered ${response.status}: ${response.text}`);
		assert.deepStrictEqual(response.json, [request.answer]);
		assert.equal(response.json[0].request_id, sim.calls[0].request_id);
		assert.equal(response.json[0].status, 'progress');
	}, 120_000);

	it('Webhook -> Split Out -> Dialer Call: one make-call per lead, group ringing; one answer item per lead', async () => {
		await deploy(dialerCallWorkflow({ path: 'crm-campaign-dialer', credential: SIMULATOR_CREDENTIAL }));
		sim.reset();

		const response = await postWebhook('crm-campaign-dialer', CAMPAIGN);

		assertCampaignRequests(sim);

		assert.equal(response.status, 200, `webhook answered ${response.status}: ${response.text}`);
		assert.equal(response.json.length, 2);
		DIALER_EXPECTED.forEach((expected, index) => {
			const request = sim.requests.find((r) => r.body.to === expected.body.to);
			assert.deepStrictEqual(response.json[index], request.answer, `answer item ${index} is not Piopiy's answer for lead ${index + 1}`);
		});
	}, 120_000);

	it('a wrong App Secret: the execution fails with the node\'s credential error, and no call is placed', async () => {
		const workflowId = await deploy(maskCallWorkflow({ path: 'crm-deal-wrong-secret', credential: WRONG_CREDENTIAL, name: 'Wrong secret' }));
		sim.reset();
		const started = Date.now();

		const response = await postWebhook('crm-deal-wrong-secret', DEAL_EVENT);

		assert.equal(response.status, 500, `webhook answered ${response.status}: ${response.text}`);
		assert.equal(sim.requests.length, 1);
		assert.deepStrictEqual(sim.requests[0].body, makeCallBody({ ...bodyNumbers(MASK_EXPECTED), secret: WRONG_SECRET }));
		assert.equal(sim.requests[0].status, 401);
		assert.equal(sim.calls.length, 0);

		const execution = await lastExecution(workflowId, { after: started });
		assert.equal(execution.status, 'error');
		const { resultData } = execution.data;
		assert.equal(resultData.lastNodeExecuted, 'Call the contact');
		const [run] = resultData.runData['Call the contact'];
		assert.equal(run.error.message, 'Piopiy rejected the App ID or App Secret (HTTP 401, Piopiy code 401: Authentication failed)');
		assert.match(run.error.description, /Check the App ID and App Secret in the Piopiy API credential/);
		assert.match(run.error.description, /No call was placed/);
		assert.equal(resultData.error.message, run.error.message);
	}, 120_000);

	it('a bad number from the CRM: the execution fails naming the field and the value, and nothing is sent', async () => {
		sim.reset();
		const started = Date.now();
		const event = structuredClone(DEAL_EVENT);
		event.owner.phone = '09876543210';

		const response = await postWebhook('crm-deal-mask-call', event);

		assert.equal(response.status, 500, `webhook answered ${response.status}: ${response.text}`);
		assert.equal(sim.requests.length, 0, 'a request was sent for an invalid number');

		const execution = await lastExecution(maskWorkflowId, { after: started });
		assert.equal(execution.status, 'error');
		const [run] = execution.data.resultData.runData['Call the contact'];
		assert.match(run.error.message, /^Invalid Agent Number in item 0: "09876543210" starts with 0: write it with its country code first/);
		assert.match(run.error.description, /No request was sent to Piopiy for item 0/);
	}, 120_000);
});

/** The numbers and options of a make-call body, to rebuild it with other credentials. */
function bodyNumbers(body) {
	const [bridge] = body.pcmo;
	return {
		to: body.to,
		from: body.from,
		connect: bridge.connect.map((leg) => leg.number),
		duration: bridge.duration,
		timeout: bridge.timeout,
		loop: bridge.loop,
		ringType: bridge.ring_type,
		extraParams: body.extra_params,
	};
}

// ---------------------------------------------------------------------------------------------

describe('the n8n editor in a real browser', () => {
	it('search "Piopiy", add it, both operations show their fields, execute Mask Call and read the output', async () => {
		const { json: types } = await client.request('GET', '/types/nodes.json', {
			headers: { cookie: client.cookie, 'browser-id': client.browserId },
		});
		const description = types.find((type) => type.name === PIOPIY && [].concat(type.version).includes(1));
		const fieldsOf = (operation) =>
			description.properties.filter((property) => property.displayOptions?.show?.operation?.includes(operation) && property.type === 'string');

		fs.rmSync(shot('failure.png'), { force: true });
		const browser = await launchBrowser();
		const page = await browser.context.newPage();
		page.setDefaultTimeout(30_000);
		const shots = [];
		const screenshot = async (name) => {
			await page.screenshot({ path: shot(name) });
			shots.push(name);
		};
		try {
			// Log in as the owner.
			await page.goto(`${stack.n8n.url}/signin`);
			await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
			await page.locator('#password').fill(OWNER.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

			// A new workflow; search the node panel.
			await page.goto(`${stack.n8n.url}/workflow/new`);
			await page.getByTestId('canvas-plus-button').waitFor();
			await page.getByTestId('node-creator-plus-button').click();
			await page.getByTestId('node-creator-search-bar').fill('Piopiy');
			const result = page.getByTestId('node-creator-item-name').filter({ hasText: /^Piopiy$/ });
			await result.waitFor();
			// (n8n lists the Piopiy node and the Piopiy Trigger under one "Piopiy" entry.)
			await screenshot('n8n-node-search.png');

			// Its actions, then add it (n8n puts a manual trigger before it) and open its panel.
			await result.click();
			const maskAction = page.getByTestId('item-iterator-item').filter({ hasText: /mask/i });
			// With the Piopiy Trigger listed first, n8n shows the actions folded: unfold them.
			await page.getByTestId('node-creator-category-item').filter({ hasText: /^\s*Actions/ }).first().waitFor();
			if (!(await maskAction.first().isVisible())) {
				await page.getByTestId('node-creator-category-item').filter({ hasText: /^\s*Actions/ }).first().click();
			}
			await maskAction.first().waitFor();
			await screenshot('n8n-node-actions.png');
			await maskAction.first().click();
			const ndv = page.getByTestId('ndv');
			await ndv.getByTestId('node-parameters').waitFor();

			await ndv.getByTestId('node-credentials-select').click();
			await page.getByTestId(`node-credentials-select-item-${CREDENTIAL_ID}`).click();
			await assertSelectShows(ndv.getByTestId('node-credentials-select'), CREDENTIAL_NAME);

			const chooseOperation = async (name) => {
				await ndv.getByTestId('parameter-input-operation').click();
				const options = page.getByRole('option');
				await options.first().waitFor();
				const offered = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
				for (const wanted of ['Mask Call', 'Dialer Call']) assert.ok(offered.includes(wanted), `Operation offers ${offered}, not "${wanted}"`);
				await options.filter({ hasText: new RegExp(`^${name}`) }).first().click();
				await assertSelectShows(ndv.getByTestId('parameter-input-operation'), name);
			};
			const field = (name) => ndv.getByTestId(`parameter-input-${name}`).getByTestId('parameter-input-field');
			const checkFields = async (operation) => {
				for (const property of fieldsOf(operation)) {
					const item = ndv.getByTestId('parameter-item').filter({ has: page.getByTestId(`parameter-input-${property.name}`) });
					await item.getByTestId('input-label').getByText(property.displayName, { exact: true }).waitFor();
					if (property.placeholder) assert.equal(await field(property.name).getAttribute('placeholder'), property.placeholder);
					if (property.hint) await item.getByText(property.hint).waitFor();
				}
			};

			// Dialer Call: its three fields with labels, placeholders and hint.
			await chooseOperation('Dialer Call');
			await checkFields('dialerCall');
			await field('customerNumber').fill('+1 (415) 555-0100');
			await field('piopiyNumber').fill('+1 917-000-0000');
			await field('agentNumbers').fill('+91 90000 00001, +91 90000 00002');
			await settle(page, field('agentNumbers'));
			await screenshot('n8n-dialer-call-fields.png');

			// Mask Call: the same, then execute it.
			await chooseOperation('Mask Call');
			await checkFields('maskCall');
			await field('agentNumber').fill('+91 98765 43210');
			await field('callerId').fill('+91 80 4000 0000');
			await field('customerNumbers').fill('+91 90000 00001, +91 90000 00002');
			await settle(page, field('customerNumbers'));
			await screenshot('n8n-mask-call-fields.png');

			sim.reset();
			await ndv.getByTestId('node-execute-button').click();
			const output = ndv.getByTestId('output-panel');
			await output.getByTestId('radio-button-json').click();
			await output.getByText(/"request_id"/).first().waitFor();
			await screenshot('n8n-mask-call-output.png');

			assert.equal(sim.requests.length, 1, `Piopiy received ${sim.requests.length} requests`);
			assert.deepStrictEqual(sim.requests[0].body, makeCallBody({ to: 919876543210, from: 918040000000, connect: [919000000001, 919000000002] }));
			assert.equal(sim.calls.length, 1);
			// The JSON view marks whitespace with "·"; read it as plain JSON text.
			const shown = (await output.innerText()).replace(/[·\s]+/g, ' ');
			assert.ok(shown.includes(sim.calls[0].request_id), `the output panel does not show Piopiy's request_id ${sim.calls[0].request_id}:\n${shown}`);
			assert.match(shown, /"data": \{ "status": "progress" \}, "status": "progress", "request_id": "[^"]+", "cmi_code": 200/);
			publishShots(shots);
		} catch (error) {
			await page.screenshot({ path: shot('failure.png') }).catch(() => {});
			throw error;
		} finally {
			await browser.close();
		}
	}, 300_000);
});

/** Leaves a field (as a click elsewhere would) and moves the pointer off the form, for a clean screenshot. */
async function settle(page, input) {
	await input.evaluate((element) => element.blur());
	await page.mouse.move(1300, 800);
	await sleep(300);
}

async function assertSelectShows(select, text) {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const value = await select.locator('input').first().inputValue().catch(() => '');
		const shown = value || (await select.innerText().catch(() => ''));
		if (shown.includes(text)) return;
		if (Date.now() > deadline) assert.fail(`the select shows "${shown}", not "${text}"`);
		await sleep(100);
	}
}

// ---------------------------------------------------------------------------------------------

describe('an API Token credential (v3 API)', () => {
	it('the same Mask Call workflow with the API Token credential: the v3 body, the token only as a Bearer header', async () => {
		const workflowId = await deploy(maskCallWorkflow({ path: 'crm-deal-mask-call-v3', credential: V3_CREDENTIAL, name: 'CRM deal -> Piopiy Mask Call (v3)' }));
		sim.reset();
		const started = Date.now();

		const response = await postWebhook('crm-deal-mask-call-v3', DEAL_EVENT);

		assert.equal(sim.requests.length, 1, `Piopiy received ${sim.requests.length} requests`);
		const [request] = sim.requests;
		assertJsonPost(request);
		assert.equal(request.path, '/v3/voice/pcmo/call');
		assert.equal(request.headers.authorization, `Bearer ${API_TOKEN}`);
		assert.equal(
			request.rawBody,
			JSON.stringify({
				caller_id: '918040000000',
				to_number: '919876543210',
				app_id: String(APP_ID),
				pipeline: [
					{
						action: 'connect',
						params: { caller_id: '918040000000', strategy: 'sequential' },
						endpoints: [
							{ type: 'pstn', number: '919000000001' },
							{ type: 'pstn', number: '919000000002' },
						],
					},
				],
				variables: { deal_id: 'D-1042' },
			}),
		);
		assert.equal(sim.calls.length, 1);

		assert.equal(response.status, 200, `webhook answered ${response.status}: ${response.text}`);
		assert.deepStrictEqual(response.json, [{ message: 'call_queued', call_id: sim.calls[0].call_id }]);

		// The token is nowhere in what n8n saved of the run.
		const execution = await lastExecution(workflowId, { after: started });
		assert.equal(execution.status, 'success');
		assert.ok(!JSON.stringify(execution).includes(API_TOKEN), 'the API token is in the saved execution');
	}, 120_000);

	it('a 0.2.0 Piopiy API credential that holds an API Token opens with its token fields, no API selector, the token hidden', async () => {
		fs.rmSync(shot('failure-credential.png'), { force: true });
		const browser = await launchBrowser();
		const page = await browser.context.newPage();
		page.setDefaultTimeout(30_000);
		try {
			await page.goto(`${stack.n8n.url}/signin`);
			await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
			await page.locator('#password').fill(OWNER.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

			sim.reset();
			await page.goto(`${stack.n8n.url}/home/credentials/${V3_CREDENTIAL.id}`);
			const modal = page.getByTestId('editCredential-modal');
			await modal.waitFor();
			// The API selector is now hidden (new Piopiy API credentials are App ID and App Secret only);
			// a credential saved with 0.2.0 for an API Token keeps its stored choice, and so its token fields.
			await modal.getByTestId('parameter-input-apiToken').waitFor();
			assert.equal(await modal.getByTestId('parameter-input-apiVersion').count(), 0, 'the API selector shows');
			for (const name of ['appId', 'apiToken', 'v3BaseUrl', 'webhookToken']) await modal.getByTestId(`parameter-input-${name}`).waitFor();
			for (const name of ['appSecret', 'baseUrl', 'callControlBaseUrl']) {
				assert.equal(await modal.getByTestId(`parameter-input-${name}`).count(), 0, `the v2 field ${name} shows for an API Token credential`);
			}
			// n8n tests a saved credential when its dialog opens: the v3 test hangs up the nil call id, with the token.
			await modal.getByText('Connection tested successfully').waitFor();
			const tested = sim.requests.filter((request) => request.path === '/v3/voice/call/hangup');
			assert.ok(tested.length >= 1, `the credential test reached no v3 hang-up: ${JSON.stringify(sim.requests.map((r) => r.path))}`);
			assert.equal(tested[0].headers.authorization, `Bearer ${API_TOKEN}`);
			assert.deepStrictEqual(tested[0].body, { call_id: '00000000-0000-0000-0000-000000000000', cause: 'NORMAL_CLEARING', reason: 'n8n credential test' });
			assert.equal(sim.calls.length, 0, 'the credential test placed a call');
			const dialog = await modal.innerText();
			assert.ok(!dialog.includes(API_TOKEN), 'the dialog shows the API token');
			await page.mouse.move(1300, 850);
			await sleep(500);
			await page.screenshot({ path: shot('n8n-credential-api-token.png') });

			publishShots(['n8n-credential-api-token.png']);
		} catch (error) {
			await page.screenshot({ path: shot('failure-credential.png') }).catch(() => {});
			throw error;
		} finally {
			await browser.close();
		}
	}, 300_000);
});

// ---------------------------------------------------------------------------------------------

describe('shutdown', () => {
	it('stopping ends every process n8n started and frees its ports', async () => {
		const { pgid, port, brokerPort } = stack.n8n;
		assert.ok(groupMembers(pgid).length >= 2, 'expected n8n and its guard in the process group');
		log(`n8n's process tree (${groupMembers(pgid).length} processes) uses ${groupRssMb(pgid)} MB resident before stopping`);
		await stack.stop();
		assert.deepEqual(groupMembers(pgid), [], 'processes of the n8n group are still running');
		for (const p of [port, brokerPort]) {
			await assert.rejects(fetch(`http://127.0.0.1:${p}/`, { signal: AbortSignal.timeout(2000) }), `port ${p} still answers`);
		}
	}, 60_000);
});
