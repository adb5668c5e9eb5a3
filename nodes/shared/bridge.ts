import { z } from 'zod';

import { action, fail, forward, optional, required, type PcmoAction } from './actionSchema';
import { numberSpec, optionsSpec } from './fields';
import { MAX_NUMBERS_PER_CALL, phoneNumber } from './phoneNumber';
import { describeValue, kindOf } from './values';

/**
 * The bridge: Piopiy connects the call to one or more phone numbers, everyone seeing a caller ID
 * (docs/piopiy-api.md#2-make-call). Mask Call and Dialer Call are a bridge; the Custom Call builder
 * and the Piopiy Trigger's inbound answer add one. Its settings, their limits and defaults are
 * defined here once, and every bridge the node sends is built by `bridgeAction`.
 *
 * Limits: Piopiy publishes none; these catch a value given in the wrong unit (milliseconds for
 * seconds) before it reaches a live call. Defaults are Piopiy's documented ones, always written
 * out: Piopiy's SDK turns a 0 into its default silently, this node refuses it.
 */
export const BRIDGE = {
	duration: numberSpec({
		displayName: 'Duration (Seconds)',
		min: 1,
		max: 86400,
		default: 5400,
		unit: 'seconds',
		description: 'Maximum length of the call in seconds, after which Piopiy ends it',
	}),
	timeout: numberSpec({
		displayName: 'Timeout (Seconds)',
		min: 1,
		max: 300,
		default: 40,
		unit: 'seconds',
		description: 'How long to wait for each number to answer, in seconds',
	}),
	loop: numberSpec({
		displayName: 'Loop',
		min: 1,
		max: 10,
		default: 1,
		unit: 'retries',
		description: 'How many times Piopiy retries the second leg when nobody answers',
	}),
	ringType: optionsSpec({
		displayName: 'Ring Type',
		default: 'single',
		options: [
			{ name: 'Single', value: 'single', description: 'Ring the numbers one after another' },
			{ name: 'Group', value: 'group', description: 'Ring all the numbers at once; the first to answer is connected' },
		],
		description: 'How the second leg rings when it has several numbers',
	}),
};

export type RingType = 'single' | 'group';

const pstnLeg = z.unknown().transform((value, ctx): { type: 'pstn'; number: number } => {
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a leg like {"type": "pstn", "number": 919876543210}`);
	}
	const leg = value as Record<string, unknown>;
	const extra = Object.keys(leg).filter((key) => key !== 'type' && key !== 'number');
	if (extra.length) return fail(ctx, `has ${extra.map((k) => `"${k}"`).join(', ')}: a leg has only "type" and "number"`);
	if (leg.type !== 'pstn') return fail(ctx, `has type ${describeValue(leg.type)}: only "pstn" (a phone number) is supported`);
	const number = phoneNumber.safeParse(leg.number);
	if (!number.success) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['number'], message: number.error.issues[0].message });
		return z.NEVER as never;
	}
	return { type: 'pstn', number: number.data };
});

const connectList = z.unknown().transform((value, ctx) => {
	if (!Array.isArray(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a list of legs like [{"type": "pstn", "number": 919876543210}]`);
	}
	if (value.length === 0) return fail(ctx, 'is empty: the bridge needs a number to connect');
	if (value.length > MAX_NUMBERS_PER_CALL) {
		return fail(ctx, `has ${value.length} numbers; one bridge rings at most ${MAX_NUMBERS_PER_CALL}`);
	}
	const legs = forward(z.array(pstnLeg), value, ctx);
	if (!Array.isArray(legs)) return legs;
	// As in Customer Numbers and Agent Numbers (phoneNumber.ts): a number rung twice is a mistake.
	const seen = new Set<number>();
	let ok = true;
	legs.forEach((leg, index) => {
		if (seen.has(leg.number)) {
			ok = false;
			ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index, 'number'], message: `${leg.number} is listed twice` });
		}
		seen.add(leg.number);
	});
	return ok ? legs : (z.NEVER as never);
});

/** The bridge as a PCMO action: {action, from, connect, duration, timeout, loop, [ring_type]}. */
export const bridgeActionSchema = action(
	'bridge',
	{
		from: required(phoneNumber),
		connect: required(connectList),
		duration: optional(BRIDGE.duration.check, BRIDGE.duration.fallback),
		timeout: optional(BRIDGE.timeout.check, BRIDGE.timeout.fallback),
		loop: optional(BRIDGE.loop.check, BRIDGE.loop.fallback),
		ring_type: optional(BRIDGE.ringType.check),
	},
	(result) => {
		// Piopiy treats a missing ring_type as single; "group" is the only value it is sent.
		if (result.ring_type === 'single') delete result.ring_type;
	},
);

/** A bridge's settings as the node's fields give them (absent ones take the defaults above). */
export interface BridgeSettings {
	duration?: unknown;
	timeout?: unknown;
	loop?: unknown;
	ringType?: unknown;
}

/** The raw bridge action for these numbers and settings, ready for `bridgeActionSchema`. */
export function bridgeInput(from: unknown, numbers: unknown[], settings: BridgeSettings): Record<string, unknown> {
	return {
		action: 'bridge',
		from,
		connect: numbers.map((number) => ({ type: 'pstn', number })),
		duration: settings.duration,
		timeout: settings.timeout,
		loop: settings.loop,
		ring_type: settings.ringType,
	};
}

/** The bridge action for values already checked by the bridge's fields. */
export function bridgeAction(from: number, numbers: number[], settings: BridgeSettings): PcmoAction {
	return bridgeActionSchema.parse(bridgeInput(from, numbers, settings));
}
