import { z } from 'zod';

import { BRIDGE } from '../bridge';
import { decimalText, describeValue, jsonObject, kindOf, oneOf } from '../values';
import { fail, issue, type JsonObject } from './checks';
import { CALL_LIMITS } from './callOptions';
import { CONNECT_LIMITS, type Strategy } from './connect';
import { VARIABLE_NAME } from './maps';

/**
 * The node's v2 options read for a v3 call (docs/piopiy-api.md section 7, "v2 to v3"). The fields
 * stay the same under both API generations; what v3 cannot do (Loop other than 1, a Region) or
 * allows in a narrower range (Duration, Timeout) is refused with the option, the limit and the
 * generation named, before anything is sent.
 *
 * - Ring Type single / group -> strategy sequential / simultaneous
 * - Duration -> max_duration_sec: of the connect for Mask and Dialer Call (10-7200), of the call for
 *   calls that run their own actions (30-7200)
 * - Timeout -> the connect's ring_timeout_sec (5-120)
 * - Extra Params -> variables, when every value is text, a number or true/false
 *
 * An option the user did not add is left out of the body, as Piopiy's SDK leaves out what it is not
 * given: Piopiy's own v3 defaults apply (under v2 the node writes its defaults out; v2's SDK differs
 * from call to call, docs/piopiy-api.md section 8). So give these only the options that were set.
 */
export const GENERATION = 'the v3 API (API Token credential)';
const INSTEAD = 'or use an App ID and App Secret credential (v2 API)';

/** v2's Ring Type as v3's strategy. */
export function strategyFor(ringType: 'single' | 'group'): Strategy {
	return ringType === 'group' ? 'simultaneous' : 'sequential';
}

/** The v2 defaults of the node's options (each within v3's range too). */
export const V2_OPTION_DEFAULTS = { duration: 5400, timeout: 40, loop: 1, ringType: 'single', region: 'auto' } as const;

/**
 * Seconds within v3's range, with v2's wider range named when the value only fits there. Text is
 * read as under v2 (decimalText): the Custom Call builder's rows reach here unchecked.
 */
function seconds(limits: { min: number; max: number }, what: string) {
	return z.unknown().transform((value, ctx): number => {
		const number = decimalText(value);
		if (typeof number !== 'number' || !Number.isInteger(number)) {
			return fail(ctx, `${describeValue(value)} is not a whole number of seconds`);
		}
		if (number > limits.max) {
			return fail(ctx, `${number} seconds is more than the ${limits.max} seconds ${GENERATION} allows for ${what}; use at most ${limits.max}, ${INSTEAD}`);
		}
		if (number < limits.min) {
			return fail(ctx, `${number} seconds is less than the ${limits.min} seconds ${GENERATION} needs for ${what}; use at least ${limits.min}, ${INSTEAD}`);
		}
		return number;
	});
}

/**
 * v3 rings the second leg once: only a Loop of 1 means the same thing there. A value is first a
 * Loop as v2 reads it, so "1e0" or "0x1" is refused as under v2, not taken for 1.
 */
const loop = BRIDGE.loop.check.transform((number, ctx): 1 => {
	if (number === 1) return 1;
	return fail(
		ctx,
		`${number}: ${GENERATION} has no Loop (ringing the second leg again when nobody answers); leave Loop at 1 or remove it, ${INSTEAD}`,
	);
});

/** v3 has one endpoint for every country: only Auto means the same thing there. */
const region = z.unknown().transform((value, ctx): 'auto' => {
	if (value === 'auto') return 'auto';
	return fail(
		ctx,
		`${describeValue(value)}: ${GENERATION} has one endpoint for every country, so there is no Region to choose; set Region to Auto or remove it, ${INSTEAD}`,
	);
});

/** Extra Params become the call's variables; v3 takes only named text, numbers and true/false. */
export const extraParamsAsVariables = jsonObject.transform((map, ctx): JsonObject | undefined => {
	let ok = true;
	for (const [name, value] of Object.entries(map)) {
		if (!VARIABLE_NAME.test(name)) {
			ok = false;
			issue(ctx, `"${name}" is not a name ${GENERATION} accepts for a call variable: use letters, digits and _, not starting with a digit, ${INSTEAD}`, [name]);
		} else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			ok = false;
			const what = value === null ? 'there is no value (null)' : `${describeValue(value)} is ${kindOf(value)}`;
			issue(
				ctx,
				`${what}: ${GENERATION} sends Extra Params as call variables, which hold only text, numbers and true/false; flatten it, ${INSTEAD}`,
				[name],
			);
		}
	}
	if (!ok) return z.NEVER as never;
	return Object.keys(map).length ? (map as JsonObject) : undefined;
});

const ringType = oneOf(['single', 'group']);

/** Mask Call and Dialer Call options under v3: the connect's settings and the call's variables. */
export const bridgeOptionsV3 = z
	.object({
		duration: seconds(CONNECT_LIMITS.maxDurationSec, 'the connected call').optional(),
		timeout: seconds(CONNECT_LIMITS.ringTimeoutSec, 'a number to answer').optional(),
		loop: loop.default(V2_OPTION_DEFAULTS.loop),
		ringType: ringType.default(V2_OPTION_DEFAULTS.ringType),
		extraParams: extraParamsAsVariables.default({}),
		region: region.default(V2_OPTION_DEFAULTS.region),
	})
	.default({})
	.transform((options) => ({
		strategy: strategyFor(options.ringType),
		connectOptions: compact({ max_duration_sec: options.duration, ring_timeout_sec: options.timeout }),
		variables: options.extraParams,
	}));

export type BridgeOptionsV3 = z.output<typeof bridgeOptionsV3>;

/** Options of the calls that run their own actions (Transaction Alert, Order Confirmation, Custom Call) under v3. */
export const pcmoCallOptionsV3 = z
	.object({
		duration: seconds(CALL_LIMITS.maxDurationSec, 'a call').optional(),
		extraParams: extraParamsAsVariables.default({}),
		region: region.default(V2_OPTION_DEFAULTS.region),
	})
	.default({})
	.transform((options) => ({
		callOptions: compact({ max_duration_sec: options.duration }),
		variables: options.extraParams,
	}));

/** The object without its undefined values; undefined when nothing is left (the key is then left out). */
function compact(object: Record<string, number | undefined>): Record<string, number> | undefined {
	const entries = Object.entries(object).filter(([, value]) => value !== undefined) as Array<[string, number]>;
	return entries.length ? Object.fromEntries(entries) : undefined;
}

export type PcmoCallOptionsV3 = z.output<typeof pcmoCallOptionsV3>;
