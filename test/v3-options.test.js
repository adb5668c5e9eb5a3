'use strict';
/**
 * Issue 10: the node's options (Ring Type, Duration, Timeout, Loop, Region, Extra Params) read for
 * a v3 call. The same fields serve both API generations: what maps is mapped, what v3 cannot do
 * is refused with the option, the limit and the generation named, before anything is sent.
 */
const v3 = require('../dist/nodes/shared/v3');
const { checkV3Request } = require('../simulator/v3');

function refusal(schema, options) {
	const result = schema.safeParse(options);
	expect(result.success).toBe(false);
	const [issue] = result.error.issues;
	return `${v3.wirePath(issue.path)}: ${issue.message}`;
}

describe('Mask Call and Dialer Call options under v3', () => {
	test('no options: only the strategy (sequential), as the SDK writes it; Piopiy applies its own duration and ring timeout', () => {
		expect(v3.bridgeOptionsV3.parse(undefined)).toEqual({ strategy: 'sequential', connectOptions: undefined, variables: undefined });
		expect(v3.bridgeOptionsV3.parse({})).toEqual(v3.bridgeOptionsV3.parse(undefined));
		// One option set: only that one goes into the connect.
		expect(v3.bridgeOptionsV3.parse({ timeout: 30 }).connectOptions).toEqual({ ring_timeout_sec: 30 });
	});

	test('Ring Type group rings at once; Duration, Timeout and Extra Params carried over; Loop 1 and Region Auto accepted', () => {
		const mapped = v3.bridgeOptionsV3.parse({
			ringType: 'group',
			duration: '600',
			timeout: 25,
			loop: 1,
			region: 'auto',
			extraParams: '{"crm_id": "A-17", "attempt": 2, "vip": true}',
		});
		expect(mapped).toEqual({
			strategy: 'simultaneous',
			connectOptions: { max_duration_sec: 600, ring_timeout_sec: 25 },
			variables: { crm_id: 'A-17', attempt: 2, vip: true },
		});
		const { path, body } = v3.buildBridgeCall({
			callerId: '918040000000',
			toNumber: '919999900000',
			appId: 2222226,
			connectTo: ['919876543210'],
			strategy: mapped.strategy,
			connectOptions: mapped.connectOptions,
			variables: mapped.variables,
		});
		expect(checkV3Request(path, body)).toBeUndefined();
		expect(body.pipeline[0].params).toEqual({
			caller_id: '918040000000',
			strategy: 'simultaneous',
			options: { max_duration_sec: 600, ring_timeout_sec: 25 },
		});
	});

	test('Ring Type single is sequential', () => {
		expect(v3.strategyFor('single')).toBe('sequential');
		expect(v3.strategyFor('group')).toBe('simultaneous');
		expect(v3.bridgeOptionsV3.parse({ ringType: 'single' }).strategy).toBe('sequential');
	});

	test.each([
		[{ loop: 2 }, 'loop: 2: the v3 API (API Token credential) has no Loop (ringing the second leg again when nobody answers); leave Loop at 1 or remove it, or use an App ID and App Secret credential (v2 API)'],
		[{ region: 'india' }, 'region: "india": the v3 API (API Token credential) has one endpoint for every country, so there is no Region to choose; set Region to Auto or remove it, or use an App ID and App Secret credential (v2 API)'],
		[{ region: 'global' }, 'region: "global": the v3 API (API Token credential) has one endpoint for every country, so there is no Region to choose; set Region to Auto or remove it, or use an App ID and App Secret credential (v2 API)'],
		[{ duration: 9000 }, 'duration: 9000 seconds is more than the 7200 seconds the v3 API (API Token credential) allows for the connected call; use at most 7200, or use an App ID and App Secret credential (v2 API)'],
		[{ duration: 5 }, 'duration: 5 seconds is less than the 10 seconds the v3 API (API Token credential) needs for the connected call; use at least 10, or use an App ID and App Secret credential (v2 API)'],
		[{ timeout: 300 }, 'timeout: 300 seconds is more than the 120 seconds the v3 API (API Token credential) allows for a number to answer; use at most 120, or use an App ID and App Secret credential (v2 API)'],
		[{ timeout: 3 }, 'timeout: 3 seconds is less than the 5 seconds the v3 API (API Token credential) needs for a number to answer; use at least 5, or use an App ID and App Secret credential (v2 API)'],
		[{ timeout: 'soon' }, 'timeout: "soon" is not a whole number of seconds'],
		[{ ringType: 'round robin' }, 'ringType: "round robin" is not one of "single", "group"'],
		[{ extraParams: '{"order": {"id": 7}}' }, 'extraParams.order: {"id":7} is an object: the v3 API (API Token credential) sends Extra Params as call variables, which hold only text, numbers and true/false; flatten it, or use an App ID and App Secret credential (v2 API)'],
		[{ extraParams: { tags: ['a', 'b'] } }, 'extraParams.tags: ["a","b"] is a list: the v3 API (API Token credential) sends Extra Params as call variables, which hold only text, numbers and true/false; flatten it, or use an App ID and App Secret credential (v2 API)'],
		[{ extraParams: { note: null } }, 'extraParams.note: there is no value (null): the v3 API (API Token credential) sends Extra Params as call variables, which hold only text, numbers and true/false; flatten it, or use an App ID and App Secret credential (v2 API)'],
		[{ extraParams: { 'crm-id': 'A-17' } }, 'extraParams.crm-id: "crm-id" is not a name the v3 API (API Token credential) accepts for a call variable: use letters, digits and _, not starting with a digit, or use an App ID and App Secret credential (v2 API)'],
	])('refused before sending: %j', (options, message) => {
		expect(refusal(v3.bridgeOptionsV3, options)).toBe(message);
	});

	test('the v3 limits are the connect limits: 10 and 7200 seconds, 5 and 120 seconds', () => {
		expect(v3.bridgeOptionsV3.parse({ duration: 10, timeout: 5 }).connectOptions).toEqual({ max_duration_sec: 10, ring_timeout_sec: 5 });
		expect(v3.bridgeOptionsV3.parse({ duration: 7200, timeout: 120 }).connectOptions).toEqual({ max_duration_sec: 7200, ring_timeout_sec: 120 });
	});
});

describe('options of calls that run their own actions, under v3', () => {
	test('Duration is the call-level max_duration_sec (30 to 7200); Extra Params the variables', () => {
		expect(v3.pcmoCallOptionsV3.parse({})).toEqual({ callOptions: undefined, variables: undefined });
		expect(v3.pcmoCallOptionsV3.parse({ duration: 30, extraParams: { order: 'A1' } })).toEqual({
			callOptions: { max_duration_sec: 30 },
			variables: { order: 'A1' },
		});
	});

	test.each([
		[{ duration: 20 }, 'duration: 20 seconds is less than the 30 seconds the v3 API (API Token credential) needs for a call; use at least 30, or use an App ID and App Secret credential (v2 API)'],
		[{ duration: 86400 }, 'duration: 86400 seconds is more than the 7200 seconds the v3 API (API Token credential) allows for a call; use at most 7200, or use an App ID and App Secret credential (v2 API)'],
		[{ region: 'india' }, 'region: "india": the v3 API (API Token credential) has one endpoint for every country, so there is no Region to choose; set Region to Auto or remove it, or use an App ID and App Secret credential (v2 API)'],
	])('refused before sending: %j', (options, message) => {
		expect(refusal(v3.pcmoCallOptionsV3, options)).toBe(message);
	});
});
