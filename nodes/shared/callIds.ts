import { z } from 'zod';

import { describeValue, kindOf } from './values';

/**
 * Piopiy's identifiers of calls: the call ID (`cmiuuid`, a UUID in Piopiy's webhooks) and the
 * request ID a make-call answers with (`request_id`, 43 URL-safe characters). Their formats are not
 * documented as a contract, so only what cannot be an identifier is refused: no value, a non-text
 * value, spaces inside, or a length no identifier has.
 */
function identifier(what: string, example: string) {
	return z.unknown().transform((value, ctx): string => {
		const fail = (message: string) => {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message });
			return z.NEVER;
		};
		if (value === undefined || value === null) return fail(`there is no value (${String(value)}): ${what} is needed`);
		if (typeof value !== 'string') return fail(`${describeValue(value)} is ${kindOf(value)}, not ${what} like ${example}`);
		const text = value.trim();
		if (text === '') return fail(`${describeValue(value)} is empty: ${what} is needed`);
		if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(text)) return fail(`${describeValue(value)} is not ${what} like ${example}`);
		return text;
	});
}

export const callId = identifier('a call ID', '"2f6c1a9e-8b1d-4c2e-9a57-0c6d3f1e4b21"');
export const requestId = identifier('a request ID', '"X0uoi5LT5vCMOG6CZGEdMMYD5RL9raaEFa1p1IQ9EVm"');
