import { z } from 'zod';

/**
 * Zod building blocks for the values a workflow hands the node. Node parameters arrive as whatever
 * an expression produced (strings from a CRM webhook, numbers, arrays, objects, null), so each
 * schema accepts `unknown` and either returns the clean value or adds an issue whose message quotes
 * the offending value: the node turns that message into the error a person reads.
 */

/** A short, printable rendering of any value for an error message. */
export function describeValue(value: unknown): string {
	let text: string;
	if (value === undefined) return 'nothing (empty)';
	if (typeof value === 'string') text = JSON.stringify(value);
	else if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
	else if (typeof value === 'bigint') text = `${value}n`;
	else {
		try {
			text = JSON.stringify(value) ?? typeof value;
		} catch {
			text = Array.isArray(value) ? 'a list' : kindOf(value);
		}
	}
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Text that is a whole number as people write one: decimal digits, perhaps a minus sign. */
const DECIMAL_DIGITS = /^-?\d+$/;
/** And a number with decimal places, for the few fields that take them ("0.5"). */
const DECIMAL_FRACTION = /^-?\d*\.\d+$/;

/**
 * The number that text stands for when it is written as people write numbers: plain decimal
 * digits (ASCII only: `\d` without the u flag), perhaps a minus sign and, when `fractions`,
 * decimal places. Any other value is handed back unchanged for the caller to refuse: JavaScript's
 * Number() would also read "0x10" as 16, "0b1", "0o1", "1e3", "+1", "Infinity" and "" as numbers,
 * which no one typing a number of seconds means. Every number read from text under v2 and v3 goes
 * through here, so both generations refuse the same text.
 */
export function decimalText(value: unknown, fractions = false): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	return DECIMAL_DIGITS.test(text) || (fractions && DECIMAL_FRACTION.test(text)) ? Number(text) : value;
}

/**
 * A whole number of units (seconds, retries) between `min` and `max`. Accepts "30" as well as 30,
 * because expressions over webhook data give strings; as text, only what decimalText reads (a minus
 * sign too, so "-1" is told it is out of range; "1.0" is no whole number). The upper bounds are
 * there to catch a value given in the wrong unit (milliseconds for seconds) before it reaches a
 * live call.
 */
export function wholeNumber(min: number, max: number, unit: string) {
	return numberWithin(min, max, unit, 0);
}

/** As wholeNumber, with up to `decimals` decimal places (a rate such as 0.5 calls per second). */
export function decimalNumber(min: number, max: number, unit: string, decimals: number) {
	return numberWithin(min, max, unit, decimals);
}

function numberWithin(min: number, max: number, unit: string, decimals: number) {
	const scale = 10 ** decimals;
	return z.unknown().transform((value, ctx): number => {
		const number = decimalText(value, decimals > 0);
		// Decimal places are checked against the value's own size, which allows a float's rounding
		// error (0.1 + 0.2) and nothing more: a fixed margin let 1e-10 through as "3 decimals", and
		// a rate of 1e-10 calls per second meant a gap between sends longer than a timer can hold.
		const fits =
			typeof number === 'number' &&
			Number.isFinite(number) &&
			(decimals === 0 ? Number.isInteger(number) : Math.abs(roundTo(number, scale) - number) <= Math.abs(number) * 1e-9);
		if (!fits) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message:
					decimals === 0
						? `${describeValue(value)} is not a whole number of ${unit}`
						: `${describeValue(value)} is not a number of ${unit} with at most ${decimals} decimals`,
			});
			return z.NEVER;
		}
		if (number < min || number > max) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `${describeValue(value)} is outside the allowed ${min} to ${max} ${unit}`,
			});
			return z.NEVER;
		}
		return decimals === 0 ? number : roundTo(number, scale);
	});
}

/** `number` to the places of `scale` (1000: 3 places); a whole number as it is, however large. */
function roundTo(number: number, scale: number): number {
	return Number.isInteger(number) ? number : Math.round(number * scale) / scale;
}

/**
 * Extra Params travel with every call and come back in its record: a few ids, not a whole CRM
 * record pasted in by `{{ $json }}`. Piopiy documents no limit; this one keeps a careless expression
 * from sending megabytes with each of thousands of calls.
 */
export const MAX_JSON_OBJECT_CHARS = 65536;
/**
 * And a few levels deep. Writing JSON is recursive, in this node and in the HTTP client: an object
 * nested thousands deep overflows the stack there, after the item was judged sendable.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that never reach Piopiy: n8n's HTTP client, axios, copies a request's body before sending it
 * (node_modules/axios/lib/core/mergeConfig.js) with a merge that skips these three in every object
 * (utils.js, `merge`). A key that would vanish is refused by name instead, anywhere in the value
 * (lists included, whose objects the merge happens to leave alone: one rule is easier to follow).
 */
export const UNSENT_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Why JSON cannot carry `value` as it is, found before serialising: nesting deeper than
 * MAX_JSON_DEPTH, an object that contains itself or a BigInt (said of the whole value, quoted as
 * `given`, the text when JSON text was given); or, at its place, a key that would not arrive as
 * given: one of UNSENT_KEYS, or one whose value JSON leaves out (undefined, a function, a symbol)
 * or turns into null (NaN, Infinity). An object with a toJSON (a date) goes as what that returns,
 * so it is not looked into. The walk is bounded by the depth limit, so it cannot overflow the
 * stack itself.
 */
function unsendableJson(value: unknown, given: unknown): { path: Array<string | number>; message: string } | undefined {
	const ancestors = new Set<object>();
	const whole = (problem: string) => ({ path: [], message: `${describeValue(given)} ${problem}` });
	const visit = (current: unknown, depth: number, path: Array<string | number>): ReturnType<typeof unsendableJson> => {
		if (typeof current === 'bigint') return whole(`holds a BigInt (${current}n), which JSON cannot carry: turn it into text or a number first`);
		if (current === undefined || typeof current === 'function' || typeof current === 'symbol') {
			const what = current === undefined ? 'there is no value (undefined)' : `there is ${kindOf(current)}`;
			return { path, message: `${what}, which JSON cannot carry: give text, a number, true/false or null` };
		}
		if (typeof current === 'number' && !Number.isFinite(current)) {
			return { path, message: `${current} is no number JSON can carry (it would go as null): give a finite number` };
		}
		if (current === null || typeof current !== 'object') return undefined;
		if (typeof (current as { toJSON?: unknown }).toJSON === 'function') return undefined;
		if (ancestors.has(current)) return whole('contains itself, which JSON cannot carry');
		if (depth > MAX_JSON_DEPTH) return whole(`is nested more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} levels are sent with a call`);
		ancestors.add(current);
		for (const [key, entry] of Array.isArray(current) ? current.entries() : Object.entries(current)) {
			if (typeof key === 'string' && UNSENT_KEYS.includes(key)) {
				return {
					path: [...path, key],
					message: `"${key}" cannot be sent: n8n's HTTP client leaves the keys ${UNSENT_KEYS.map((k) => `"${k}"`).join(', ')} out of every request, so Piopiy would never get it; rename the key`,
				};
			}
			const problem = visit(entry, depth + 1, [...path, key]);
			if (problem) return problem;
		}
		ancestors.delete(current);
		return undefined;
	};
	return visit(value, 1, []);
}

/** A JSON object, given as an object or as JSON text (the node's JSON fields hand over text). */
export const jsonObject = z.unknown().transform((value, ctx): Record<string, unknown> => {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = JSON.parse(value);
		} catch {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${describeValue(value)} is not valid JSON` });
			return z.NEVER;
		}
	}
	if (parsed === undefined || parsed === null) return {};
	if (typeof parsed !== 'object' || Array.isArray(parsed)) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${describeValue(value)} is ${kindOf(parsed)}, not a JSON object like {"crmId": "A-17"}`,
		});
		return z.NEVER;
	}
	// A Date, a Map and the like are objects too, but JSON turns them into text or {}.
	const tag = Object.prototype.toString.call(parsed).slice(8, -1);
	if (tag !== 'Object') {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${describeValue(value)} is a ${tag}, not a JSON object like {"crmId": "A-17"}`,
		});
		return z.NEVER;
	}
	// What is checked is what is sent: serialise now, so that a value JSON cannot carry (a BigInt, an
	// object that contains itself, nesting too deep) stops the item here, rather than inside the
	// HTTP client, where the failure would look like a request that may have placed a call; and a
	// key that would not arrive is named here, rather than missing from the call record later.
	const problem = unsendableJson(parsed, value);
	if (problem) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, ...problem });
		return z.NEVER;
	}
	let text: string;
	try {
		text = JSON.stringify(parsed);
	} catch (error) {
		// A toJSON method that throws, say: nothing else is left that JSON.stringify refuses.
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${describeValue(value)} cannot be written as JSON: ${(error as Error).message}`,
		});
		return z.NEVER;
	}
	if (text.length > MAX_JSON_OBJECT_CHARS) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${describeValue(value)} is ${text.length} characters long as JSON; at most ${MAX_JSON_OBJECT_CHARS} are sent with a call`,
		});
		return z.NEVER;
	}
	return JSON.parse(text) as Record<string, unknown>;
});

/** One of a fixed set of choices, reported with the choices allowed. */
export function oneOf<T extends string>(choices: readonly [T, ...T[]]) {
	return z.unknown().transform((value, ctx): T => {
		if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${describeValue(value)} is not one of ${choices.map((c) => `"${c}"`).join(', ')}`,
		});
		return z.NEVER;
	});
}

export { kindOf };
