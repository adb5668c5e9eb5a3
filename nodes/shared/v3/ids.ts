import { z } from 'zod';

import { describeValue, kindOf } from '../values';
import { fail } from './checks';

/**
 * v3 names calls, AI agents, flows and organisations by UUID (docs/piopiy-api.md section 7,
 * "Types"); its SDK accepts any 8-4-4-4-12 hexadecimal form, upper or lower case, and nothing else.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EXAMPLE = '"bdd32bcb-767c-40a5-be4a-5f45eeb348a6"';

/** A UUID naming `what` ("a call ID", "an AI agent ID"...); surrounding spaces are dropped. */
export function uuid(what: string) {
	return z.unknown().transform((value, ctx): string => {
		if (value === undefined || value === null) return fail(ctx, `there is no value (${String(value)}): ${what} is needed`);
		if (typeof value !== 'string') return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not ${what} like ${EXAMPLE}`);
		const text = value.trim();
		if (text === '') return fail(ctx, `${describeValue(value)} is empty: ${what} is needed`);
		if (!UUID_PATTERN.test(text)) return fail(ctx, `${describeValue(value)} is not ${what}: a UUID like ${EXAMPLE}`);
		return text;
	});
}

export const callUuid = uuid('a call ID');
export const agentUuid = uuid('an AI agent ID');
export const flowUuid = uuid('a flow ID');
export const orgUuid = uuid('an organisation ID');

/**
 * The credential's App ID as v3 wants it: the string `app_id` of pipeline and flow calls. The
 * credential field is a number (v2 sends it as a JSON number), so 4000123 becomes "4000123"; a text
 * value (from an expression or an external secret) is sent as given, trimmed. Its messages never
 * quote the App ID, which stays out of everything the node hands back, like the secret.
 */
export const v3AppId = z.unknown().transform((value, ctx): string => {
	const missing = 'the credential has no App ID: v3 pipeline and flow calls need the App ID of your Piopiy app (Piopiy dashboard > Apps)';
	if (value === undefined || value === null || value === 0 || value === '') return fail(ctx, missing);
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) return fail(ctx, "the credential's App ID is not an App ID: it is a whole number like 4000123");
		return String(value);
	}
	if (typeof value !== 'string') return fail(ctx, `the credential's App ID is ${kindOf(value)}, not an App ID like 4000123`);
	const text = value.trim();
	if (text === '') return fail(ctx, missing);
	if (/\s/.test(text) || text.length > 64) return fail(ctx, "the credential's App ID is not an App ID like 4000123");
	return text;
});
