import { z } from 'zod';

import { describeValue, jsonObject, kindOf } from '../values';
import { fail, issue, type JsonObject } from './checks';

/**
 * v3's maps of named values (docs/piopiy-api.md section 7): call `variables` (handed to the AI
 * agent or flow), connect `metadata`, and a `param` action's `data`. Names match
 * ^[A-Za-z_][A-Za-z0-9_]*$ and values are text, numbers or true/false; no nested objects, lists or
 * null. `param` data holds at most 10 entries of at most 256 characters each.
 */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface MapLimits {
	maxEntries?: number;
	maxTextLength?: number;
}

/**
 * A map given as an object or as JSON text. An empty map gives undefined, so the key is left out
 * of the body (v3's SDK leaves out what was not given).
 */
export function scalarMap(what: string, limits: MapLimits = {}) {
	return jsonObject.transform((map, ctx): JsonObject | undefined => {
		const entries = Object.entries(map);
		if (limits.maxEntries !== undefined && entries.length > limits.maxEntries) {
			return fail(ctx, `has ${entries.length} entries; ${what} holds at most ${limits.maxEntries}`);
		}
		let ok = true;
		for (const [name, value] of entries) {
			if (!VARIABLE_NAME.test(name)) {
				ok = false;
				issue(ctx, `"${name}" is not a valid name in ${what}: use letters, digits and _, not starting with a digit`, [name]);
				continue;
			}
			if (value === null) {
				ok = false;
				issue(ctx, `there is no value (null): a value in ${what} is text, a number or true/false`, [name]);
				continue;
			}
			if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
				ok = false;
				issue(ctx, `${describeValue(value)} is ${kindOf(value)}: a value in ${what} is text, a number or true/false`, [name]);
				continue;
			}
			if (typeof value === 'string' && limits.maxTextLength !== undefined && value.length > limits.maxTextLength) {
				ok = false;
				issue(ctx, `${describeValue(value)} is ${value.length} characters long; a value in ${what} has at most ${limits.maxTextLength}`, [name]);
			}
		}
		if (!ok) return z.NEVER as never;
		return entries.length ? (map as JsonObject) : undefined;
	});
}

export const variables = scalarMap('the call variables');
export const metadata = scalarMap('the connect metadata');
export const PARAM_LIMITS = { maxEntries: 10, maxTextLength: 256 };
export const paramData = scalarMap('the param data', PARAM_LIMITS);
