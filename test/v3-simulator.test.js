'use strict';
/**
 * The simulator's v3 API (simulator/v3.js): the Bearer check, the answers it assumes Piopiy gives
 * (docs/piopiy-api.md section 7 documents none), the calls it keeps, and the v2 fault modes, which
 * apply to v3 requests alike. The rules of each body are tested against the SDK in
 * test/v3-refusals.test.js.
 */
const http = require('node:http');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');

const TOKEN = 'tok-sim-Hq27';
const AGENT = 'bdd32bcb-767c-40a5-be4a-5f45eeb348a6';
const AI_CALL = { caller_id: '919999999999', to_number: '918888888888', agent_id: AGENT };
const PCMO_CALL = {
	caller_id: '919999999999',
	to_number: '918888888888',
	app_id: '2222226',
	pipeline: [
		{ action: 'play_get_input', prompt: { type: 'file', file_name: 'menu.wav' }, input: ['dtmf'], on_result: { type: 'url', url: 'http://127.0.0.1:1/replaced' } },
		{ action: 'hangup' },
	],
};

function useV3Simulator(options = {}) {
	const fixture = {};
	beforeAll(async () => {
		fixture.sim = createPiopiySimulator({ appId: 2222226, apiToken: TOKEN, inactiveTokens: ['tok-off'], ...options });
		fixture.url = await fixture.sim.start();
	});
	afterEach(() => fixture.sim.reset());
	afterAll(async () => fixture.sim.stop());
	fixture.post = async (path, body, { token = TOKEN, raw, method = 'POST' } = {}) => {
		const headers = { 'content-type': 'application/json' };
		if (token !== null) headers.authorization = token.startsWith('Basic') ? token : `Bearer ${token}`;
		const response = await fetch(`${fixture.url}${path}`, { method, headers, body: method === 'GET' ? undefined : (raw ?? JSON.stringify(body)) });
		const text = await response.text();
		let answer;
		try {
			answer = text ? JSON.parse(text) : undefined;
		} catch {
			answer = text;
		}
		return { status: response.status, body: answer };
	};
	return fixture;
}

describe('the Bearer check (before the body is looked at)', () => {
	const fx = useV3Simulator();

	test.each([
		['no Authorization header', null, 401, { error: 'unauthorized', message: 'Missing or malformed Authorization: Bearer header' }],
		['a Basic header', 'Basic dXNlcjpwYXNz', 401, { error: 'unauthorized', message: 'Missing or malformed Authorization: Bearer header' }],
		['an empty token', '', 401, { error: 'unauthorized', message: 'Missing or malformed Authorization: Bearer header' }],
		['an unknown token', 'tok-nope', 401, { error: 'invalid_token', message: 'Invalid API token' }],
		['a token whose app is not active', 'tok-off', 403, { error: 'app_not_active', message: 'The app of this token is not active' }],
	])('%s: HTTP %s, no call', async (_name, token, status, body) => {
		// The body is broken too: the token is checked first.
		expect(await fx.post('/v3/voice/ai/call', { caller_id: '+91' }, { token })).toEqual({ status, body });
		expect(fx.sim.calls).toEqual([]);
		expect(fx.sim.requests[0]).toMatchObject({ api: 'v3', path: '/v3/voice/ai/call', status, placed: false });
	});

	test('an app_id that is not the account\'s: HTTP 403 app_not_active', async () => {
		expect(await fx.post('/v3/voice/pcmo/call', { ...PCMO_CALL, app_id: '1111111' })).toEqual({
			status: 403,
			body: { error: 'app_not_active', message: 'app_id is not an active app of this account' },
		});
		expect(fx.sim.calls).toEqual([]);
	});

	test('a body that is not a JSON object: HTTP 400; a GET: HTTP 405', async () => {
		expect(await fx.post('/v3/voice/ai/call', undefined, { raw: 'caller_id=9199' })).toEqual({
			status: 400,
			body: { error: 'invalid_request', message: 'The body must be a JSON object.' },
		});
		expect((await fx.post('/v3/voice/ai/call', undefined, { method: 'GET' })).status).toBe(405);
	});

	test('v2 endpoints still want the app id and secret in the body: a Bearer token alone is refused', async () => {
		const answer = await fx.post('/v2/global_pcmo_make_call', { from: 919999999999, to: 918888888888, pcmo: [{ action: 'hangup' }] });
		expect(answer).toEqual({ status: 401, body: { status: 'error', message: 'Authentication failed', cmi_code: 401 } });
	});
});

describe('calls, hang-ups and transfers', () => {
	const fx = useV3Simulator();

	test('an AI agent call is queued with a call id and kept', async () => {
		const answer = await fx.post('/v3/voice/ai/call', AI_CALL);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ message: 'call_queued', call_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) });
		expect(fx.sim.calls).toEqual([expect.objectContaining({ api: 'v3', kind: 'ai', call_id: answer.body.call_id, body: AI_CALL, status: 'live' })]);
		expect(fx.sim.requests[0]).toMatchObject({ api: 'v3', method: 'POST', placed: true, status: 200, rawBody: JSON.stringify(AI_CALL) });
		expect(fx.sim.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('hanging up a live call ends it, with its cause and reason; an unknown call is queued all the same', async () => {
		const { body: placed } = await fx.post('/v3/voice/pcmo/call', PCMO_CALL);
		const other = '00000000-0000-4000-8000-000000000000';
		expect(await fx.post('/v3/voice/call/hangup', { call_id: other })).toEqual({ status: 200, body: { message: 'queued' } });
		expect(fx.sim.call(placed.call_id).status).toBe('live');
		expect(await fx.post('/v3/voice/call/hangup', { call_id: placed.call_id, cause: 'USER_BUSY', reason: 'done' })).toEqual({ status: 200, body: { message: 'queued' } });
		expect(fx.sim.call(placed.call_id)).toMatchObject({ status: 'ended', hangup: { cause: 'USER_BUSY', reason: 'done' } });
	});

	test('a transfer gives a live call its new pipeline', async () => {
		const { body: placed } = await fx.post('/v3/voice/ai/call', AI_CALL);
		const pipeline = [{ action: 'connect', params: { caller_id: '919999999999' }, endpoints: [{ type: 'pstn', number: '918888888887' }] }];
		expect(await fx.post('/v3/voice/pcmo/transfer', { call_id: placed.call_id, pipeline })).toEqual({ status: 200, body: { message: 'queued' } });
		expect(fx.sim.call(placed.call_id).transfers).toEqual([pipeline]);
	});

	test('a flow call is queued', async () => {
		const flow = { flow_id: '7f4d89c7-3485-45c5-9016-f45a47cd885c', org_id: 'f89dd77d-c226-4ff2-b88c-6d7e4f5a88e2', caller_id: '919999999999', to_number: '918888888888', app_id: '2222226' };
		expect((await fx.post('/v3/voice/flow/call', flow)).body.message).toBe('call_queued');
		expect(fx.sim.calls.map((c) => c.kind)).toEqual(['flow']);
	});

	test('sendV3Result posts the given body to the on_result URL of the call\'s input step', async () => {
		const received = [];
		const server = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (chunk) => (raw += chunk));
			req.on('end', () => {
				received.push({ path: req.url, body: JSON.parse(raw) });
				res.end('{}');
			});
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const onResult = `http://127.0.0.1:${server.address().port}/hook?token=t`;
			const body = { ...PCMO_CALL, pipeline: [{ ...PCMO_CALL.pipeline[0], on_result: { type: 'url', url: onResult } }] };
			const { body: placed } = await fx.post('/v3/voice/pcmo/call', body);
			const answer = await fx.sim.sendV3Result(placed.call_id, { call_id: placed.call_id, dtmf: '1' });
			expect(answer.status).toBe(200);
			expect(received).toEqual([{ path: '/hook?token=t', body: { call_id: placed.call_id, dtmf: '1' } }]);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

describe('the answer without a call id (the other reading of the undocumented answer)', () => {
	const fx = useV3Simulator({ callIdInAnswer: false });

	test('{"message": "call_queued"} only; the call is kept all the same', async () => {
		expect(await fx.post('/v3/voice/ai/call', AI_CALL)).toEqual({ status: 200, body: { message: 'call_queued' } });
		expect(fx.sim.calls).toHaveLength(1);
	});
});

describe('errors inside an HTTP 200 answer (errorStyle "body")', () => {
	const fx = useV3Simulator({ errorStyle: 'body' });

	test('a refused token and a refused body come with HTTP 200', async () => {
		expect(await fx.post('/v3/voice/ai/call', AI_CALL, { token: 'tok-nope' })).toEqual({ status: 200, body: { error: 'invalid_token', message: 'Invalid API token' } });
		expect(await fx.post('/v3/voice/ai/call', { ...AI_CALL, agent_id: 'x' })).toEqual({
			status: 200,
			body: { error: 'invalid_request', message: 'agent_id must be a valid UUID string.' },
		});
		expect(fx.sim.calls).toEqual([]);
	});
});

describe('the v2 fault modes apply to v3', () => {
	const fx = useV3Simulator();

	test('an HTTP status and body of the test\'s choosing; the call is not placed', async () => {
		fx.sim.failNext({ status: 500, body: { error: 'internal' } });
		expect(await fx.post('/v3/voice/ai/call', AI_CALL)).toEqual({ status: 500, body: { error: 'internal' } });
		expect(fx.sim.calls).toEqual([]);
		expect((await fx.post('/v3/voice/ai/call', AI_CALL)).status).toBe(200);
	});

	test('a 5xx after placing the call (placeCall): the call exists though the answer failed', async () => {
		fx.sim.failNext({ status: 502, raw: '<html>Bad gateway</html>', placeCall: true });
		expect((await fx.post('/v3/voice/ai/call', AI_CALL)).status).toBe(502);
		expect(fx.sim.calls).toHaveLength(1);
	});

	test('a connection dropped after reading places the call, but only with a valid token and body', async () => {
		fx.sim.setFaults(() => ({ drop: 'after-read' }));
		await expect(fx.post('/v3/voice/ai/call', AI_CALL)).rejects.toThrow();
		await expect(fx.post('/v3/voice/ai/call', AI_CALL, { token: 'tok-nope' })).rejects.toThrow();
		await expect(fx.post('/v3/voice/ai/call', { ...AI_CALL, to_number: '+91' })).rejects.toThrow();
		expect(fx.sim.calls).toHaveLength(1);
	});

	test('a connection dropped before reading places nothing', async () => {
		fx.sim.setFaults(() => ({ drop: 'before-read' }));
		await expect(fx.post('/v3/voice/ai/call', AI_CALL)).rejects.toThrow();
		expect(fx.sim.calls).toEqual([]);
	});

	test('429 with Retry-After, then the call goes through', async () => {
		fx.sim.failNext({ status: 429, body: { error: 'rate_limited', message: 'Too many requests' }, headers: { 'retry-after': '1' } });
		const limited = await fetch(`${fx.url}/v3/voice/ai/call`, {
			method: 'POST',
			headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify(AI_CALL),
		});
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('1');
		expect((await fx.post('/v3/voice/ai/call', AI_CALL)).status).toBe(200);
		expect(fx.sim.calls).toHaveLength(1);
	});

	test('latency and refused connections', async () => {
		fx.sim.setLatency(150);
		const started = Date.now();
		await fx.post('/v3/voice/call/hangup', { call_id: AGENT });
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		fx.sim.setLatency(0);
		const back = fx.sim.refuseConnections(300);
		await expect(fx.post('/v3/voice/ai/call', AI_CALL)).rejects.toThrow();
		await back;
		expect((await fx.post('/v3/voice/ai/call', AI_CALL)).status).toBe(200);
	});
});
