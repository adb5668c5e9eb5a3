'use strict';
/**
 * Issue 18: the API generation is the node's Authentication (version 2), with a credential type for
 * each: Piopiy API (App ID and App Secret, v2) and Piopiy Token API (API token, v3). In n8n's engine
 * against the simulator:
 * - version 2 sends, byte for byte, what version 1 (every workflow saved with 0.2.0) sends with the
 *   same key: a Piopiy API credential, or one saved by 0.2.0 with API "API Token";
 * - a credential of the other kind gives one error naming the fix, and nothing is sent;
 * - the run-time refusals name version 2's fix and its credential;
 * - the Piopiy Token API credential authenticates and tests as the 0.2.0 token credential does, and a
 *   0.2.0 token credential keeps its API;
 * - the Piopiy Trigger requires the Webhook Token of either credential type, as its Authentication says.
 */
const { NodeHelpers } = require('n8n-workflow');

const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
const { piopiyPackage, runPiopiy } = require('./harness/piopiy');
const { useV3Simulator, v3Credentials, runPiopiyV3, runPiopiyToken } = require('./harness/v3');
const { testCredential } = require('./harness/credential-test');
const { serveTrigger } = require('./harness/trigger');
const { APP_ID, APP_SECRET, API_TOKEN, WEBHOOK_TOKEN, CREDENTIAL, CREDENTIAL_TYPE, TOKEN_CREDENTIAL_TYPE } = require('./harness/constants');
const { CALLER, TO, TO2, A1, A2, CALL, FLOW, ORG } = require('./fixtures/piopiy-v3-values');

const KEYS = 'https://n8n.example.com/webhook/piopiy-keys';

/** Each operation of the v2 API, with settings that reach every part of its body. */
const APP_CASES = {
	maskCall: { operation: 'maskCall', agentNumber: '+91 98765 43210', callerId: CALLER, customerNumbers: `${TO}, ${TO2}`, options: { duration: 900, timeout: 25, loop: 2, ringType: 'group', region: 'india', extraParams: '{"crm_id": "A-17"}' } },
	dialerCall: { operation: 'dialerCall', customerNumber: '+1 415 555 0100', piopiyNumber: '+1 917 000 0000', agentNumbers: `${TO}, ${TO2}`, options: { region: 'global' } },
	transactionAlertCall: { operation: 'transactionAlertCall', customerNumber: TO, callerId: CALLER, message: 'Rs 1500 was debited.', repeat: 2, options: { duration: 120 } },
	orderConfirmationCall: { operation: 'orderConfirmationCall', customerNumber: TO, callerId: CALLER, orderId: 'A-1042', message: 'Press 1 to confirm.', actionUrl: KEYS, attempts: 3, closingMessage: 'Goodbye.', options: { extraParams: '{"shop": "S-3"}' } },
	customCall: {
		operation: 'customCall',
		customerNumber: TO,
		callerId: CALLER,
		actions: { action: [{ type: 'speak', text: 'Hello.' }, { type: 'bridge', connect: TO2, loop: 2 }, { type: 'input', actionUrl: KEYS, maxDigits: 2 }] },
	},
	hangUpCall: { operation: 'hangUpCall', callId: 'c0ffee00-1111-4222-8333-444455556666', options: { region: 'india' } },
	getCallRecord: { resource: 'callRecord', operation: 'getCallRecord', lookUpBy: 'callId', callId: 'c0ffee00-1111-4222-8333-444455556666' },
};

/** Each operation of the v3 API, likewise. */
const TOKEN_CASES = {
	maskCall: { operation: 'maskCall', agentNumber: '+91 98765 43210', callerId: CALLER, customerNumbers: `${TO}, ${TO2}`, options: { duration: 900, timeout: 25, ringType: 'group', extraParams: '{"crm_id": "A-17"}' } },
	dialerCall: { operation: 'dialerCall', customerNumber: '+1 415 555 0100', piopiyNumber: '+1 917 000 0000', agentNumbers: `${TO}, ${TO2}` },
	transactionAlertCall: { operation: 'transactionAlertCall', customerNumber: TO, callerId: CALLER, message: 'Rs 1500 was debited.', language: 'hi-IN', voice: 'male', speed: 1.5, resultUrl: KEYS, repeat: 2 },
	orderConfirmationCall: { operation: 'orderConfirmationCall', customerNumber: TO, callerId: CALLER, orderId: 'A-1042', messageType: 'audio', audioFile: 'order.wav', actionUrl: KEYS, attempts: 3 },
	customCall: { operation: 'customCall', customerNumber: TO, callerId: CALLER, actionsSource: 'json', actionsJson: '[{"action": "play", "file_name": "hello.wav"}, {"action": "hangup"}]', options: { agentId: A1, record: true, ringTimeout: 30 } },
	hangUpCall: { operation: 'hangUpCall', callId: CALL, options: { cause: 'USER_BUSY', reason: 'Done' } },
	aiAgentCall: { operation: 'aiAgentCall', customerNumber: TO, callerId: CALLER, agentId: A1, options: { failoverAgentId: A2, failoverStrategy: 'simultaneous', variables: '{"lead_id": "L-77"}' } },
	flowCall: { operation: 'flowCall', customerNumber: TO, callerId: CALLER, flowId: FLOW, orgId: ORG, options: { record: true } },
	transferCall: { operation: 'transferCall', callId: CALL, callerId: CALLER, transferTo: `${TO}, ${TO2}`, options: { ringType: 'group' } },
};

/** What Piopiy received, as bytes and the headers that carry the credential or the format. */
const received = (sim) =>
	sim.requests.map(({ method, path, rawBody, headers }) => ({ method, path, rawBody, authorization: headers.authorization, contentType: headers['content-type'] }));

describe('version 2 sends what version 1 sent with the same key', () => {
	const fixture = useV3Simulator();

	/** Runs `run`, then returns the requests Piopiy received and forgets them. */
	async function requestsOf(run) {
		await run();
		const requests = received(fixture.sim);
		fixture.sim.reset();
		return requests;
	}

	test.each(Object.entries(APP_CASES))('App ID and App Secret, %s: the same requests, the default Authentication or chosen', async (_name, parameters) => {
		const version1 = await requestsOf(() => runPiopiy({ url: fixture.url, parameters }));
		expect(version1).toHaveLength(1);
		expect(version1[0].authorization).toBeUndefined();
		expect(JSON.parse(version1[0].rawBody)).toMatchObject({ appid: APP_ID, secret: APP_SECRET });
		expect(await requestsOf(() => runPiopiy({ url: fixture.url, parameters, typeVersion: 2 }))).toEqual(version1);
		expect(await requestsOf(() => runPiopiy({ url: fixture.url, parameters: { ...parameters, authentication: CREDENTIAL_TYPE }, typeVersion: 2 }))).toEqual(version1);
	});

	test.each(Object.entries(TOKEN_CASES))('API Token, %s: a Piopiy Token API credential sends what a 0.2.0 token credential sent', async (_name, parameters) => {
		const version1 = await requestsOf(() => runPiopiyV3({ url: fixture.url, parameters }));
		expect(version1).toHaveLength(1);
		expect(version1[0].authorization).toBe(`Bearer ${API_TOKEN}`);
		expect(version1[0].rawBody).not.toContain(APP_SECRET);
		expect(await requestsOf(() => runPiopiyToken({ url: fixture.url, parameters }))).toEqual(version1);
	});

	test('both answers reach the output alike: the item is what Piopiy answered, paired to its input', async () => {
		const parameters = { ...TOKEN_CASES.hangUpCall };
		const version1 = await runPiopiyV3({ url: fixture.url, parameters, items: [{}, {}] });
		const version2 = await runPiopiyToken({ url: fixture.url, parameters, items: [{}, {}] });
		expect(version1.items).toEqual([
			{ json: { message: 'queued' }, pairedItem: { item: 0 } },
			{ json: { message: 'queued' }, pairedItem: { item: 1 } },
		]);
		expect(version2.items).toEqual(version1.items);
	});
});

describe('a credential of the other kind: one error naming the fix, nothing sent', () => {
	const fixture = useV3Simulator();

	/** The node's error (and each item's, with On Error: Continue), with nothing sent. */
	async function refusal(spec) {
		const run = await runPiopiy({ url: fixture.url, typeVersion: 2, ...spec });
		const continued = await runPiopiy({ url: fixture.url, typeVersion: 2, ...spec, items: [{}, {}], onError: 'continueRegularOutput' });
		expect(fixture.sim.requests).toEqual([]);
		expect(continued.items.map((item) => [item.json.error, item.json.details.description])).toEqual([
			[run.nodeError.message, run.nodeError.description],
			[run.nodeError.message, run.nodeError.description],
		]);
		return { message: run.nodeError.message, description: run.nodeError.description };
	}

	test('App ID and App Secret chosen, and the Piopiy API credential is one 0.2.0 saved with API "API Token"', async () => {
		expect(await refusal({ parameters: APP_CASES.maskCall, credentials: v3Credentials(fixture.url) })).toEqual({
			message: `The credential "${CREDENTIAL.name}" holds an API Token, but this node's Authentication is "App ID and App Secret (v2 API)"`,
			description:
				'It is a Piopiy API credential whose API is "API Token", as version 0.2.0 of this node made them. Set Authentication to "API Token (v3 API)" and choose a Piopiy Token API credential with that token (create one under Credentials if there is none). No request was sent to Piopiy.',
		});
	});

	test('API Token chosen, and the node holds a Piopiy API credential (a workflow edited by hand)', async () => {
		expect(await refusal({ parameters: { ...TOKEN_CASES.maskCall, authentication: TOKEN_CREDENTIAL_TYPE } })).toEqual({
			message: `The credential "${CREDENTIAL.name}" is a Piopiy API credential, but this node's Authentication is "API Token (v3 API)"`,
			description: 'Choose a Piopiy Token API credential for this node, or set Authentication to "App ID and App Secret (v2 API)". No request was sent to Piopiy.',
		});
	});

	test('App ID and App Secret chosen, and the node holds a Piopiy Token API credential', async () => {
		expect(await refusal({ parameters: { ...APP_CASES.maskCall, authentication: CREDENTIAL_TYPE }, credentialType: TOKEN_CREDENTIAL_TYPE })).toEqual({
			message: `The credential "${CREDENTIAL.name}" is a Piopiy Token API credential, but this node's Authentication is "App ID and App Secret (v2 API)"`,
			description: 'Choose a Piopiy API credential for this node, or set Authentication to "API Token (v3 API)". No request was sent to Piopiy.',
		});
	});

	test('an Authentication the node does not know (imported JSON)', async () => {
		expect(await refusal({ parameters: { ...APP_CASES.maskCall, authentication: 'piopiyOAuth2Api' } })).toEqual({
			message: 'This node\'s Authentication "piopiyOAuth2Api" is not one it knows',
			description: 'Set Authentication to "App ID and App Secret (v2 API)" or "API Token (v3 API)". No request was sent to Piopiy.',
		});
	});
});

describe("version 2's run-time refusals name its own fix and credential", () => {
	const fixture = useV3Simulator();

	test('an operation the Authentication does not list (imported JSON): refused, naming the Authentication to choose', async () => {
		const run = await runPiopiy({ url: fixture.url, typeVersion: 2, parameters: TOKEN_CASES.flowCall });
		expect(fixture.sim.requests).toEqual([]);
		expect(run.nodeError.message).toBe("Flow Call needs an API Token credential (Piopiy's v3 API)");
		expect(run.nodeError.description).toBe(
			'This node\'s Authentication is "App ID and App Secret (v2 API)", which has no Flow Call. Set Authentication to "API Token (v3 API)" and choose a Piopiy Token API credential. No request was sent to Piopiy for item 0.',
		);
		const record = await runPiopiyToken({ url: fixture.url, parameters: APP_CASES.getCallRecord });
		expect(fixture.sim.requests).toEqual([]);
		expect(record.nodeError.message).toBe('No operation is chosen for the resource "callRecord"');
		expect(record.nodeError.description).toBe("Choose a Resource and an Operation from the node's lists. No request was sent to Piopiy.");
	});

	test('a Piopiy Token API credential without its App ID, for a call that names the app', async () => {
		const run = await runPiopiyToken({ url: fixture.url, parameters: TOKEN_CASES.maskCall, credentials: { appId: '' } });
		expect(fixture.sim.requests).toEqual([]);
		expect(run.nodeError.message).toMatch(/^The Piopiy Token API credential cannot be used for Mask Call in item 0: /);
		expect(run.nodeError.description).toBe(
			'Open the Piopiy Token API credential and fill in its App ID (Piopiy dashboard > Apps). No request was sent to Piopiy for item 0.',
		);
	});

	test("Piopiy's refusal of the token and a bad V3 Base URL name the Piopiy Token API credential", async () => {
		const refused = await runPiopiyToken({ url: fixture.url, parameters: TOKEN_CASES.hangUpCall, credentials: { apiToken: 'not-the-token' } });
		expect(refused.nodeError.message).toMatch(/^Piopiy rejected the API Token \(HTTP 401/);
		expect(refused.nodeError.description).toBe(
			'Check the API Token in the Piopiy Token API credential: copy it again from the Piopiy dashboard, without spaces. No call was placed.',
		);
		const badUrl = await runPiopiyToken({ url: fixture.url, parameters: TOKEN_CASES.hangUpCall, credentials: { v3BaseUrl: 'ftp://piopiy' } });
		expect(badUrl.nodeError.message).toBe('Invalid V3 Base URL in the Piopiy Token API credential: "ftp://piopiy" is not an https:// or http:// address');
		expect(fixture.sim.requests).toHaveLength(1);
	});
});

describe('the credentials', () => {
	let types;
	beforeAll(async () => {
		types = (await piopiyPackage()).credentialTypes;
	});
	/** The fields the credential dialog shows for this data (hidden ones are never shown). */
	const shown = (type, saved) => {
		const values = { ...Object.fromEntries(type.properties.map((p) => [p.name, p.default])), ...saved };
		return type.properties.filter((p) => p.type !== 'hidden' && NodeHelpers.displayParameter(values, p, null, null, values)).map((p) => p.name);
	};

	test('Piopiy Token API: the API Token as a password, the App ID, the V3 Base URL and the Webhook Token', () => {
		const type = types[TOKEN_CREDENTIAL_TYPE];
		expect(type.displayName).toBe('Piopiy Token API');
		expect(shown(type, {})).toEqual(['apiToken', 'appId', 'v3BaseUrl', 'webhookToken']);
		const field = (name) => type.properties.find((p) => p.name === name);
		expect(field('apiToken')).toMatchObject({ type: 'string', typeOptions: { password: true }, required: true });
		expect(field('appId')).toMatchObject({ type: 'number', default: 0 });
		expect(field('v3BaseUrl')).toMatchObject({ type: 'string', default: 'https://rest.piopiy.com/v3' });
		expect(field('webhookToken')).toMatchObject({ type: 'string', typeOptions: { password: true } });
		expect([type.icon, type.documentationUrl]).toEqual([types[CREDENTIAL_TYPE].icon, types[CREDENTIAL_TYPE].documentationUrl]);
	});

	test('Piopiy API: a new credential shows the App ID and App Secret fields alone; one saved by 0.2.0 for a token keeps its API and its fields', () => {
		const type = types[CREDENTIAL_TYPE];
		expect(shown(type, {})).toEqual(['appId', 'appSecret', 'baseUrl', 'callControlBaseUrl', 'webhookToken']);
		const saved = { apiVersion: 'v3', appId: APP_ID, apiToken: API_TOKEN, v3BaseUrl: 'https://rest.piopiy.com/v3', webhookToken: WEBHOOK_TOKEN };
		expect(shown(type, saved)).toEqual(['appId', 'apiToken', 'v3BaseUrl', 'webhookToken']);
		// As n8n reads and writes a credential's data: the hidden API survives both.
		expect(NodeHelpers.getNodeParameters(type.properties, saved, false, false, null, null)).toMatchObject({ apiVersion: 'v3' });
		expect(NodeHelpers.getNodeParameters(type.properties, saved, true, false, null, null)).toMatchObject({ apiVersion: 'v3', apiToken: API_TOKEN });
		expect(NodeHelpers.getNodeParameters(type.properties, { appId: APP_ID, appSecret: APP_SECRET }, true, false, null, null)).toMatchObject({ apiVersion: 'v2' });
	});

	test('authenticate: the Piopiy Token API credential gives what a 0.2.0 token credential gives, the token in the header alone', async () => {
		const request = () => ({ method: 'POST', url: '/voice/call/hangup', headers: { Accept: 'application/json' }, body: { call_id: CALL } });
		const data = { apiToken: ` ${API_TOKEN}\n`, appId: APP_ID, v3BaseUrl: 'https://rest.piopiy.com/v3' };
		const token = await types[TOKEN_CREDENTIAL_TYPE].authenticate(data, request());
		expect(token).toEqual({ ...request(), headers: { Accept: 'application/json', Authorization: `Bearer ${API_TOKEN}` } });
		expect(await types[CREDENTIAL_TYPE].authenticate({ ...data, apiVersion: 'v3' }, request())).toEqual(token);
	});

	test("Test: a hang-up of the nil call id, as the 0.2.0 token credential's; the token accepted or refused; no call placed", async () => {
		const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, apiToken: API_TOKEN });
		const url = await sim.start();
		try {
			const data = { apiToken: API_TOKEN, appId: APP_ID, v3BaseUrl: `${url}/v3/` };
			expect(await testCredential(data, TOKEN_CREDENTIAL_TYPE)).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(await testCredential({ ...data, apiToken: 'nope' }, TOKEN_CREDENTIAL_TYPE)).toEqual({
				status: 'Error',
				message: 'Piopiy refused the API Token (HTTP 401): copy it again from the Piopiy dashboard, without spaces',
			});
			const tokenTests = received(sim);
			sim.reset();
			expect(await testCredential({ ...data, apiVersion: 'v3' }, CREDENTIAL_TYPE)).toMatchObject({ status: 'OK' });
			expect(tokenTests[0]).toEqual(received(sim)[0]);
			// The refused token goes twice: n8n-core tries a request again once after a 401.
			expect(tokenTests.map((r) => r.authorization)).toEqual([`Bearer ${API_TOKEN}`, 'Bearer nope', 'Bearer nope']);
			for (const r of tokenTests) {
				expect([r.path, JSON.parse(r.rawBody)]).toEqual([
					'/v3/voice/call/hangup',
					{ call_id: '00000000-0000-0000-0000-000000000000', cause: 'NORMAL_CLEARING', reason: 'n8n credential test' },
				]);
			}
			expect(sim.calls).toHaveLength(0);
		} finally {
			await sim.stop();
		}
	});
});

describe('the Piopiy Trigger: the Webhook Token of the credential its Authentication names', () => {
	const sim = createPiopiySimulator();
	const INBOUND = { from: '919876543210', to: '918044000000', cmiuuid: 'c0ffee00-1111-4222-8333-444455556666' };
	let server;
	afterEach(async () => {
		await server?.stop();
		server = undefined;
	});

	test('each Authentication shows its own credential', async () => {
		const { description } = (await piopiyPackage()).loader.nodeTypes.piopiyTrigger.type;
		const credentials = (authentication) =>
			description.credentials.filter((c) => NodeHelpers.displayParameter({ authentication }, c, { typeVersion: 1 }, description)).map((c) => c.name);
		expect([credentials('none'), credentials('queryToken'), credentials('queryTokenV3')]).toEqual([[], [CREDENTIAL_TYPE], [TOKEN_CREDENTIAL_TYPE]]);
		const choices = description.properties.find((p) => p.name === 'authentication').options.map(({ name, value }) => [value, name]);
		expect(choices).toEqual([
			['none', 'None'],
			['queryToken', 'Token in Query (App ID and Secret Credential)'],
			['queryTokenV3', 'Token in Query (API Token Credential)'],
		]);
	});

	test.each([
		['Token in Query (API Token Credential), a Piopiy Token API credential', 'queryTokenV3', TOKEN_CREDENTIAL_TYPE],
		['Token in Query (App ID and Secret Credential), a Piopiy API credential', 'queryToken', CREDENTIAL_TYPE],
	])('%s: the right token starts the workflow; another or none gets 401 and starts nothing', async (_name, authentication, credentialType) => {
		server = await serveTrigger({ parameters: { events: ['inboundCall'], authentication, agentNumbers: '919000000001' }, credentialType });
		const right = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, INBOUND);
		expect(right.status).toBe(200);
		expect(right.body[0].action).toBe('bridge');
		const started = await server.nextExecution();
		expect(started.result.output('Piopiy Trigger').map((item) => item.json.cmiuuid)).toEqual([INBOUND.cmiuuid]);
		for (const query of ['', '?token=guess']) {
			const refused = await sim.answerInboundCall(`${server.url}${query}`, INBOUND);
			expect([query, refused.status, refused.body]).toEqual([query, 401, { message: 'Unauthorized' }]);
			expect((await server.nextExecution()).result).toBeUndefined();
		}
	});

	test("a Piopiy Token API credential's token does not open a trigger whose Authentication names the Piopiy API credential", async () => {
		// The node holds only the token credential: the trigger reads the type its Authentication names, and has none.
		server = await serveTrigger({ parameters: { events: ['inboundCall'], authentication: 'queryToken', agentNumbers: '919000000001' }, credentialType: TOKEN_CREDENTIAL_TYPE });
		const answer = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, INBOUND);
		expect(answer.status).toBe(500);
		const execution = await server.nextExecution();
		expect(execution.error.message).toBe('Node does not have any credentials set for "piopiyApi"');
		expect(execution.result).toBeUndefined();
	});
});
