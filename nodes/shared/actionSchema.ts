import { z } from 'zod';

import { describeValue, kindOf } from './values';

/**
 * The building blocks of Piopiy's action schemas (pcmo.ts, bridge.ts). Each action schema accepts
 * what a workflow hands over (JSON text, expressions, numbers as strings) and returns the action
 * exactly as it goes on the wire: the documented keys in the documented order, numbers as JSON
 * numbers, documented defaults written out (docs/piopiy-api.md#5-pcmo-actions).
 */

type Json = string | number | boolean | Record<string, unknown> | unknown[];
export type PcmoAction = { action: string } & Record<string, Json>;

export function fail(ctx: z.RefinementCtx, message: string): never {
	ctx.addIssue({ code: z.ZodIssueCode.custom, message });
	return z.NEVER as never;
}

function isMissing(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A value the action cannot do without. */
export function required<T extends z.ZodTypeAny>(schema: T) {
	return z.unknown().transform((value, ctx): z.output<T> => {
		if (value === undefined || value === null) return fail(ctx, `there is no value (${String(value)}): this value is required`);
		if (isMissing(value)) return fail(ctx, `${describeValue(value)} is empty: this value is required`);
		return forward(schema, value, ctx);
	});
}

/** A value that may be left out; `fallback` is written out in its place when given. */
export function optional<T extends z.ZodTypeAny>(schema: T, fallback?: z.output<T>) {
	return z.unknown().transform((value, ctx): z.output<T> | undefined => {
		if (isMissing(value)) return fallback;
		return forward(schema, value, ctx);
	});
}

/** Runs a schema on a value and moves its issues to the current context. */
export function forward<T extends z.ZodTypeAny>(schema: T, value: unknown, ctx: z.RefinementCtx): z.output<T> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	for (const issue of result.error.issues) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message, path: issue.path });
	}
	return z.NEVER as never;
}

/**
 * Whether `object` itself has `key`. Every lookup of a key that comes from a workflow goes through
 * here, never through `in` or a plain read: "toString", "constructor" or "__proto__" are found on
 * every object's prototype, and would pass for an action or a property that does not exist.
 */
export function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * One action: `fields` in wire order, each schema returning the value to send or undefined to
 * leave the key out. Keys the action does not have are refused: a typo such as "file_ulr" would
 * otherwise be dropped silently by Piopiy and the call would go wrong without a word.
 */
export function action(
	name: string,
	fields: Record<string, z.ZodTypeAny>,
	check?: (result: PcmoAction, ctx: z.RefinementCtx) => void,
) {
	return z.unknown().transform((value, ctx): PcmoAction => {
		if (!value || typeof value !== 'object' || Array.isArray(value)) {
			return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a PCMO action like {"action": "${name}"}`);
		}
		const given = value as Record<string, unknown>;
		const result: PcmoAction = { action: name };
		let ok = true;
		for (const key of Object.keys(given)) {
			if (key === 'action' || hasOwn(fields, key)) continue;
			ok = false;
			const known = Object.keys(fields);
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: [key],
				message: known.length
					? `"${key}" is not a property of the "${name}" action, which has ${known.map((k) => `"${k}"`).join(', ')}`
					: `"${key}" is not a property of the "${name}" action, which has none besides "action"`,
			});
		}
		for (const [key, schema] of Object.entries(fields)) {
			const parsed = schema.safeParse(hasOwn(given, key) ? given[key] : undefined);
			if (!parsed.success) {
				ok = false;
				for (const issue of parsed.error.issues) {
					ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message, path: [key, ...issue.path] });
				}
			} else if (parsed.data !== undefined) {
				result[key] = parsed.data as Json;
			}
		}
		if (!ok) return z.NEVER as never;
		check?.(result, ctx);
		return result;
	});
}

