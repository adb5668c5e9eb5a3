import { z } from 'zod';

import { hasOwn } from '../actionSchema';
import { describeUrl } from '../urls';
import { decimalText, describeValue, kindOf } from '../values';

/**
 * Building blocks of the v3 schemas (docs/piopiy-api.md section 7). Like the v2 ones, each schema
 * accepts whatever a workflow hands over and returns the value exactly as v3 wants it on the wire,
 * or adds an issue whose message quotes the value. What v3 calls "must be an integer" accepts "30"
 * as well as 30, since expressions give text; what v3 would refuse is refused here first.
 */

export type Json = string | number | boolean | null | JsonObject | Json[];
export interface JsonObject {
	[key: string]: Json;
}

/** Adds an issue and carries on (to report every problem of an object at once). */
export function issue(ctx: z.RefinementCtx, message: string, path?: Array<string | number>): void {
	ctx.addIssue({ code: z.ZodIssueCode.custom, message, ...(path ? { path } : {}) });
}

/** Adds an issue and gives the value a transform returns when it fails. */
export function fail(ctx: z.RefinementCtx, message: string, path?: Array<string | number>): never {
	issue(ctx, message, path);
	return z.NEVER as never;
}

/** Runs a schema on a value and moves its issues, under `path`, to the current context. */
export function forward<T extends z.ZodTypeAny>(
	schema: T,
	value: unknown,
	ctx: z.RefinementCtx,
	path: Array<string | number> = [],
): { ok: true; data: z.output<T> } | { ok: false } {
	const result = schema.safeParse(value);
	if (result.success) return { ok: true, data: result.data };
	for (const issue of result.error.issues) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message, path: [...path, ...issue.path] });
	}
	return { ok: false };
}

/** A value left out: undefined or null (JSON has no undefined, so null is how a left-out value often arrives). */
export function isAbsent(value: unknown): boolean {
	return value === undefined || value === null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		Object.prototype.toString.call(value) === '[object Object]'
	);
}

const quoted = (keys: string[]) => keys.map((key) => `"${key}"`).join(', ');

export interface ObjectSpec {
	/** The keys v3 knows, in the order they go on the wire, each with the schema of its value. */
	fields: Record<string, z.ZodTypeAny>;
	/** Keys that must be there. */
	required?: string[];
	/** A hint for a key v3 does not know, e.g. v2's name for something v3 calls otherwise. */
	hints?: Record<string, string>;
	/** A fixed value written first (the `action` of a pipeline action), checked by the caller. */
	constant?: Record<string, string>;
	/** Runs on the result once every key is fine. */
	check?: (result: JsonObject, ctx: z.RefinementCtx) => void;
}

/**
 * An object with a fixed set of keys: unknown keys are refused (v3's SDK refuses them too, and a
 * typo would otherwise be dropped silently), required keys must be there, and the result has the
 * keys in wire order with left-out values dropped.
 */
export function strictObject(what: string, spec: ObjectSpec) {
	return z.unknown().transform((value, ctx): JsonObject => {
		if (!isPlainObject(value)) {
			return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not ${what}`);
		}
		const known = [...Object.keys(spec.constant ?? {}), ...Object.keys(spec.fields)];
		let ok = true;
		for (const key of Object.keys(value)) {
			if (known.includes(key)) continue;
			ok = false;
			// A key of the user's: "constructor" must not find Object's own as its hint.
			const hint = spec.hints && hasOwn(spec.hints, key) ? spec.hints[key] : undefined;
			issue(ctx, `"${key}" is not a key of ${what}, which has ${quoted(known)}${hint ? `: ${hint}` : ''}`, [key]);
		}
		const result: JsonObject = { ...(spec.constant ?? {}) };
		for (const [key, schema] of Object.entries(spec.fields)) {
			const given = hasOwn(value, key) ? value[key] : undefined;
			if (isAbsent(given)) {
				if (spec.required?.includes(key)) {
					ok = false;
					issue(ctx, `there is no "${key}": ${what} needs one`, [key]);
				}
				continue;
			}
			const parsed = forward(schema, given, ctx, [key]);
			if (!parsed.ok) ok = false;
			else if (parsed.data !== undefined) result[key] = parsed.data as Json;
		}
		if (!ok) return z.NEVER as never;
		spec.check?.(result, ctx);
		return result;
	});
}

/** Same as strictObject, but an object with nothing in it is left out (undefined). */
export function optionalObject(what: string, spec: ObjectSpec) {
	return strictObject(what, spec).transform((result) => (Object.keys(result).length ? result : undefined));
}

/** true or false; "true" and "false" as text too. */
export const flag = z.unknown().transform((value, ctx): boolean => {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	return fail(ctx, `${describeValue(value)} is not true or false`);
});

/** A number (not only whole) from `min` to `max`; as text, plain decimals only (decimalText, as under v2). */
export function decimal(min: number, max: number, what: string) {
	return z.unknown().transform((value, ctx): number => {
		const number = decimalText(value, true);
		if (typeof number !== 'number' || !Number.isFinite(number)) {
			return fail(ctx, `${describeValue(value)} is not a number (${what})`);
		}
		if (number < min || number > max) return fail(ctx, `${describeValue(value)} is outside the allowed ${min} to ${max} (${what})`);
		return number;
	});
}

/** Text that is not empty, at most `max` characters; sent as given. `quote` is describeUrl for a text that may be an address. */
export function text(what: string, max: number, quote = describeValue) {
	return z.unknown().transform((value, ctx): string => {
		if (typeof value !== 'string') return fail(ctx, `${quote(value)} is ${kindOf(value)}, not ${what}`);
		if (value.trim() === '') return fail(ctx, `${quote(value)} is empty: ${what} is needed`);
		if (value.length > max) return fail(ctx, `${quote(value)} is ${value.length} characters long; ${what} has at most ${max}`);
		return value;
	});
}

/** A web address Piopiy can reach: http:// or https://. */
export function webUrl(what: string) {
	return z.unknown().transform((value, ctx): string => {
		if (typeof value !== 'string') return fail(ctx, `${describeUrl(value)} is ${kindOf(value)}, not ${what}`);
		const trimmed = value.trim();
		let parsed: URL | undefined;
		try {
			parsed = new URL(trimmed);
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
			return fail(ctx, `${describeUrl(value)} is not ${what} (it must start with https:// or http://)`);
		}
		return trimmed;
	});
}

/** A list given as a list, or as JSON text (the node's JSON fields hand over text). */
export function jsonList(what: string, example: string) {
	return z.unknown().transform((value, ctx): unknown[] => {
		let parsed = value;
		if (typeof value === 'string') {
			if (value.trim() === '') return fail(ctx, `is empty: give ${what} like ${example}`);
			try {
				parsed = JSON.parse(value);
			} catch {
				return fail(ctx, `${describeValue(value)} is not valid JSON`);
			}
		}
		if (!Array.isArray(parsed)) return fail(ctx, `${describeValue(value)} is ${kindOf(parsed)}, not ${what} like ${example}`);
		return parsed;
	});
}
