'use strict';
/**
 * Issue 10: one credential type for both API generations. `apiVersion` chooses App ID and App Secret
 * (v2, the default, so credentials saved before keep working) or API Token (v3). Since issue 18 the
 * field is hidden and new API tokens have a type of their own (test/authentication.test.js): the v3
 * form tested here is the one credentials saved by 0.2.0 keep, and version 1 nodes go on using. `authenticate`
 * puts the token in an Authorization header and nothing of it in the body; v2 bodies stay byte for
 * byte what they were. The credential test places no call under either generation, runs through
 * n8n-core's RoutingNode against the simulator, and tells a refused key from an accepted one.
 */
const { NodeHelpers } = require('n8n-workflow');
const { piopiyPackage } = require('./harness/piopiy');
const { testCredential } = require('./harness/credential-test');
const { APP_ID, APP_SECRET } = require('./harness/constants');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');

const TOKEN = 'tok-v3-Wq81Zr';
const NIL_CALL = '00000000-0000-0000-0000-000000000000';

async function credentialType() {
	return (await piopiyPackage()).credentialTypes.piopiyApi;
}

describe('the credential fields', () => {
	test('API: hidden since issue 18 (an API token has a credential type of its own), v2 unless a saved credential says v3', async () => {
		const type = await credentialType();
		const selector = type.properties.find((p) => p.name === 'apiVersion');
		expect(type.properties[0]).toBe(selector);
		expect(selector).toEqual({ displayName: 'API', name: 'apiVersion', type: 'hidden', default: 'v2' });
	});

	test.each([
		['a credential saved before v3 (no apiVersion)', {}, ['apiVersion', 'appId', 'appSecret', 'baseUrl', 'callControlBaseUrl', 'webhookToken']],
		['App ID and App Secret', { apiVersion: 'v2' }, ['apiVersion', 'appId', 'appSecret', 'baseUrl', 'callControlBaseUrl', 'webhookToken']],
		['API Token', { apiVersion: 'v3' }, ['apiVersion', 'appId', 'apiToken', 'v3BaseUrl', 'webhookToken']],
	])('%s shows its own fields', async (_name, saved, shown) => {
		const type = await credentialType();
		const values = { ...Object.fromEntries(type.properties.map((p) => [p.name, p.default])), ...saved };
		const visible = type.properties.filter((p) => NodeHelpers.displayParameter(values, p, null, null, values)).map((p) => p.name);
		expect(visible).toEqual(shown);
	});

	test('the API Token is a password field; the V3 Base URL defaults to https://rest.piopiy.com/v3; the App ID stays a number', async () => {
		const type = await credentialType();
		const field = (name) => type.properties.find((p) => p.name === name);
		expect(field('apiToken')).toMatchObject({ type: 'string', typeOptions: { password: true }, required: true });
		expect(field('v3BaseUrl')).toMatchObject({ type: 'string', default: 'https://rest.piopiy.com/v3' });
		expect(field('appId')).toMatchObject({ type: 'number', default: 0 });
		expect(field('appId').displayOptions).toBeUndefined();
		expect(field('webhookToken').displayOptions).toBeUndefined();
	});
});

describe('authenticate', () => {
	const V2_BODY = '{"from":19170000000,"to":14155550100,"appid":2222226,"secret":"sec-ret"}';

	test.each([
		['saved before v3, without apiVersion', {}],
		['with apiVersion v2', { apiVersion: 'v2' }],
		['with API Token fields filled in but v2 chosen', { apiVersion: 'v2', apiToken: TOKEN, v3BaseUrl: 'https://rest.piopiy.com/v3' }],
	])('v2 %s: the same body, byte for byte, and no header', async (_name, extra) => {
		const type = await credentialType();
		const options = await type.authenticate(
			{ appId: 2222226, appSecret: 'sec-ret', baseUrl: 'https://rest.telecmi.com', ...extra },
			{ method: 'POST', url: '/v2/global_pcmo_make_call', body: { from: 19170000000, to: 14155550100 } },
		);
		expect(JSON.stringify(options.body)).toBe(V2_BODY);
		expect(options.headers).toBeUndefined();
		expect(JSON.stringify(options)).not.toContain(TOKEN);
	});

	test('v3: Authorization: Bearer <token> and nothing else; the body is untouched', async () => {
		const type = await credentialType();
		const body = { caller_id: '919999999999', to_number: '918888888888', agent_id: 'bdd32bcb-767c-40a5-be4a-5f45eeb348a6' };
		const options = await type.authenticate(
			{ apiVersion: 'v3', apiToken: ` ${TOKEN}\n`, appId: 2222226, appSecret: APP_SECRET, v3BaseUrl: 'https://rest.piopiy.com/v3' },
			{ method: 'POST', url: '/voice/ai/call', headers: { Accept: 'application/json' }, body: { ...body } },
		);
		expect(options.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${TOKEN}` });
		expect(JSON.stringify(options.body)).toBe(JSON.stringify(body));
		const { headers, ...rest } = options;
		expect(JSON.stringify(rest)).not.toContain(TOKEN);
		expect(JSON.stringify(options)).not.toContain(APP_SECRET);
		expect(JSON.stringify(options)).not.toContain('appid');
	});

	test('v3 with a body-less request gets no body', async () => {
		const type = await credentialType();
		const options = await type.authenticate({ apiVersion: 'v3', apiToken: TOKEN }, { url: '/voice/call/hangup' });
		expect(options.body).toBeUndefined();
		expect(options.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
	});
});

describe('the credential test, as n8n runs it, against the simulator', () => {
	let sim;
	let url;
	beforeAll(async () => {
		sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, apiToken: TOKEN, inactiveTokens: ['tok-sleeping'] });
		url = await sim.start();
	});
	afterEach(() => sim.reset());
	afterAll(async () => sim.stop());

	const v2 = (extra = {}) => ({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: url, callControlBaseUrl: url, ...extra });
	const v3 = (extra = {}) => ({ apiVersion: 'v3', appId: APP_ID, apiToken: TOKEN, v3BaseUrl: `${url}/v3`, ...extra });

	function expectNothingPlaced() {
		expect(sim.calls).toEqual([]);
		expect(sim.requests.filter((r) => r.placed)).toEqual([]);
	}

	function expectNoSecret(result) {
		for (const secret of [TOKEN, APP_SECRET, String(APP_ID)]) expect(JSON.stringify(result)).not.toContain(secret);
	}

	test('v2 saved without apiVersion: get_channels with the app id and secret in the body, as before', async () => {
		const result = await testCredential(v2());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests.map((r) => [r.path, r.rawBody, r.headers.authorization])).toEqual([
			['/v2/piopiy/get_channels', JSON.stringify({ appid: APP_ID, secret: APP_SECRET }), undefined],
		]);
		expectNothingPlaced();
	});

	test('v2 with a wrong secret fails', async () => {
		const result = await testCredential(v2({ appSecret: 'wrong' }));
		expect(result).toEqual({ status: 'Error', message: 'Piopiy refused the credential (HTTP 401): check the API Token, or the App ID and App Secret' });
		expectNothingPlaced();
	});

	test('v3: hangs up the nil UUID with the Bearer token; nothing of the token in the body; no call exists or ends', async () => {
		const result = await testCredential(v3());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests).toHaveLength(1);
		const [request] = sim.requests;
		expect(request.path).toBe('/v3/voice/call/hangup');
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(request.rawBody).toBe(JSON.stringify({ call_id: NIL_CALL, cause: 'NORMAL_CLEARING', reason: 'n8n credential test' }));
		expect(request.answer).toEqual({ message: 'queued' });
		expectNothingPlaced();
	});

	test('v3: a live call is not touched by the test', async () => {
		const placed = await fetch(`${url}/v3/voice/ai/call`, {
			method: 'POST',
			headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({ caller_id: '919999999999', to_number: '918888888888', agent_id: 'bdd32bcb-767c-40a5-be4a-5f45eeb348a6' }),
		}).then((r) => r.json());
		expect(await testCredential(v3())).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.call(placed.call_id).status).toBe('live');
	});

	test('v3 with a trailing slash on the V3 Base URL', async () => {
		expect(await testCredential(v3({ v3BaseUrl: `${url}/v3/` }))).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests.map((r) => r.path)).toEqual(['/v3/voice/call/hangup']);
	});

	test.each([
		['a wrong token', () => ({ apiToken: 'tok-wrong' }), 'Piopiy refused the credential (HTTP 401): check the API Token, or the App ID and App Secret'],
		['an empty token', () => ({ apiToken: '' }), 'Piopiy refused the credential (HTTP 401): check the API Token, or the App ID and App Secret'],
		['a token whose app is not active', () => ({ apiToken: 'tok-sleeping' }), 'Piopiy refused the credential (HTTP 403): the API Token, or the App ID and App Secret, are not allowed or the app is not active'],
		// The simulator's URL is known only once it listens, hence the functions.
		['the V3 Base URL without /v3', () => ({ v3BaseUrl: url }), 'Piopiy answered 404 Not Found: check the Base URL (App ID and App Secret) or the V3 Base URL (API Token). With an API Token and the right URL, it would mean Piopiy accepted the token and reported the test call (which does not exist) as not found.'],
	])('v3 with %s fails, naming the fix', async (_name, extra, message) => {
		const result = await testCredential(v3(extra()));
		expect(result).toEqual({ status: 'Error', message });
		expectNoSecret(result);
		expectNothingPlaced();
		for (const request of sim.requests) expect(request.rawBody).not.toContain('tok-');
		// n8n-core sends a request refused with 401 once more after asking the credential to refresh
		// itself (this one has nothing to refresh): at most two hang-ups of the nil UUID, nothing else.
		expect(sim.requests.length).toBeLessThanOrEqual(2);
		for (const request of sim.requests) expect(request.path).toMatch(/\/voice\/call\/hangup$/);
	});

	test('v3 with Piopiy down: the network code', async () => {
		const down = createPiopiySimulator({ apiToken: TOKEN });
		const downUrl = await down.start();
		await down.stop();
		const result = await testCredential(v3({ v3BaseUrl: `${downUrl}/v3` }));
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	test('v3 "app_not_active" inside an HTTP 200 answer fails too', async () => {
		sim.failNext({ status: 200, body: { error: 'app_not_active' } });
		const result = await testCredential(v3());
		expect(result).toEqual({ status: 'Error', message: 'Piopiy says the app of this API Token is not active' });
	});

	test('v2 with a rejection inside an HTTP 200 answer fails (unchanged)', async () => {
		const bodyStyle = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, errorStyle: 'body' });
		const bodyUrl = await bodyStyle.start();
		try {
			const result = await testCredential(v2({ appSecret: 'wrong', baseUrl: bodyUrl }));
			expect(result).toEqual({ status: 'Error', message: 'Piopiy rejected the App ID or App Secret' });
		} finally {
			await bodyStyle.stop();
		}
	});
});
