'use strict';
/**
 * Issue 10: what Piopiy's SDK 1.2.0 refuses, the node refuses first, in its own words naming the
 * place and the value, or turns into what v3 wants (a "+91..." number, a JSON number, "30" for 30).
 * Each of the SDK's 117 tried inputs (test/fixtures/piopiy-v3-refusals.js) is put to:
 * - the node's v3 schemas: refused with its own message at the right place, or normalised into a
 *   body that the SDK's rules accept;
 * - the simulator, over HTTP with a valid token: refused with HTTP 400 and the SDK's message, or
 *   accepted, exactly as the SDK did; no refused request places a call.
 * The simulator's rules are written independently of the node's schemas (simulator/v3.js), so
 * each side checks the other.
 */
const v3 = require('../dist/nodes/shared/v3');
const { checkV3Request } = require('../simulator/v3');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
const { cases, NORMALISED } = require('./fixtures/piopiy-v3-refusals');
const { captures } = require('./fixtures/piopiy-v3-captures.json');

const TOKEN = 'tok-v3-Rk29xQ';
const SCHEMAS = {
	'/voice/pcmo/call': v3.pcmoCallRequest,
	'/voice/ai/call': v3.aiCallRequest,
	'/voice/flow/call': v3.flowCallRequest,
	'/voice/pcmo/transfer': v3.transferRequest,
	'/voice/call/hangup': v3.hangupRequest,
};

/** What the node makes of a case's body: {ok, path, body} or {ok: false, issues}. */
function nodeResult(testCase) {
	if (testCase.failover) {
		const { caller_id: callerId, to_number: toNumber, app_id: appId, agent_id: agentId, failover } = testCase.body;
		try {
			return { ok: true, path: '/voice/pcmo/call', ...v3.buildAiFailoverCall({ callerId, toNumber, appId, agentId, failover }) };
		} catch (error) {
			return { ok: false, issues: error.issues };
		}
	}
	const result = SCHEMAS[testCase.endpoint].safeParse(testCase.body);
	return result.success ? { ok: true, path: testCase.endpoint, body: result.data } : { ok: false, issues: result.error.issues };
}

const wire = cases.filter((testCase) => !testCase.surface);
const refusedByNode = wire.filter((testCase) => testCase.node !== NORMALISED);
const normalisedByNode = wire.filter((testCase) => testCase.node === NORMALISED);

describe("the node's v3 schemas against every input the SDK was tried with", () => {
	test('all 117 are covered: 107 with a wire form, 10 SDK calling conventions with the node counterpart named', () => {
		expect(cases).toHaveLength(117);
		expect(wire).toHaveLength(107);
		// These are about the SDK's JavaScript API (its constructor, argument forms, a builder object),
		// not about what goes on the wire; each says what the node does instead.
		expect(cases.filter((c) => c.surface).map((c) => c.sdk.replace(/ \(.*$/, ''))).toEqual([
			'constructor with',
			'constructor with token as JS number',
			'voice.call call_options and options together',
			'voice.call connect and legacy strategy together',
			'voice.call connect with unknown key',
			'SDK BUG: PipelineBuilder instance passed to pcmo.call',
			'SDK BUG: PipelineBuilder instance passed to voice.transfer',
			'SDK BUG: PipelineBuilder instance passed to ai.transfer',
			'voice.call unknown top-level field',
			'ai.call unknown top-level field',
		]);
	});

	test.each(refusedByNode.map((c) => [c.sdk, c]))('refused: %s', (_name, testCase) => {
		const result = nodeResult(testCase);
		expect(result.ok).toBe(false);
		const [where, words] = testCase.node;
		expect(v3.wirePath(result.issues[0].path)).toBe(where);
		expect(result.issues[0].message).toMatch(words);
		// The node's own words, never the SDK's.
		if (testCase.message) expect(result.issues[0].message).not.toContain(testCase.message.replace(/\.$/, ''));
	});

	test.each(normalisedByNode.map((c) => [c.sdk, c]))('normalised into what v3 accepts: %s', (_name, testCase) => {
		const result = nodeResult(testCase);
		expect(result.ok).toBe(true);
		expect(checkV3Request(result.path, result.body)).toBeUndefined();
	});

	test('what is normalised: "+" and spaces dropped, numbers and the App ID as text, "20" as 20, "true" as true', () => {
		const pick = (name) => nodeResult(wire.find((c) => c.sdk === name)).body;
		expect(pick('caller_id with leading +').caller_id).toBe('919999999999');
		expect(pick('caller_id with spaces').caller_id).toBe('919999999999');
		expect(pick('to_number as JS number').to_number).toBe('918888888888');
		expect(pick('app_id as JS number').app_id).toBe('2222226');
		expect(pick('options.ring_timeout_sec as string').options).toEqual({ ring_timeout_sec: 20 });
		expect(pick('options.record as string').options).toEqual({ record: true });
		expect(pick('pstn endpoint number with +').pipeline[0].endpoints).toEqual([{ type: 'pstn', number: '918888888888' }]);
		expect(pick('play_get_input say prompt speed as string').pipeline[0].prompt.speed).toBe(1);
		expect(pick('play_get_input input as string').pipeline[0].input).toEqual(['dtmf']);
	});
});

describe("the simulator's v3 rules agree with the SDK", () => {
	let sim;
	let url;
	beforeAll(async () => {
		sim = createPiopiySimulator({ apiToken: TOKEN, appId: 2222226 });
		url = await sim.start();
	});
	afterAll(async () => sim.stop());

	async function post(path, body) {
		const response = await fetch(`${url}/v3${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: await response.json() };
	}

	test.each(captures.map((capture) => [capture.id, capture.title, capture]))('accepts capture [%s] %s', async (_id, _title, capture) => {
		const before = sim.calls.length;
		const answer = await post(capture.path, JSON.parse(capture.body));
		expect(answer.status).toBe(200);
		if (capture.path.endsWith('/call')) {
			expect(answer.body).toEqual({ message: 'call_queued', call_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
			expect(sim.calls.length).toBe(before + 1);
		} else {
			expect(answer.body).toEqual({ message: 'queued' });
			expect(sim.calls.length).toBe(before);
		}
	});

	test.each(wire.map((c) => [c.sdk, c]))('%s', async (_name, testCase) => {
		const before = sim.calls.length;
		const answer = await post(testCase.endpoint, testCase.body);
		// The SDK's verdict; the one case the node is stricter about (min_digits > max_digits) the SDK, and so the simulator, accepts.
		const expected = testCase.message === undefined ? undefined : (testCase.wireMessage ?? testCase.message);
		if (expected === undefined) {
			expect(answer.status).toBe(200);
		} else {
			expect(answer).toEqual({ status: 400, body: { error: 'invalid_request', message: expected } });
			expect(sim.calls.length).toBe(before);
		}
	});
});
