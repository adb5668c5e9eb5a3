import { z } from 'zod';

import { describeValue, kindOf } from './values';

/**
 * Phone numbers as Piopiy wants them: digits only, country code first, at most 15 digits (E.164),
 * sent as a JSON number. CRMs and webhooks deliver them as text in many shapes, all accepted here:
 * "+91 98765-43210", "919876543210", "00919876543210", "(91) 98765 43210" or the number 919876543210.
 */
export const MIN_DIGITS = 7;
export const MAX_DIGITS = 15;

/**
 * Characters people put inside a phone number to make it readable. Not "." or "/": "9198765/4321"
 * or "98765.4321" is more likely two numbers, an extension or a typo than one number to dial.
 */
const READABILITY_MARKS = /[\s\-()]/g;

export const phoneNumber = z.unknown().transform((value, ctx): number => {
	const fail = (why: string) => {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${describeValue(value)} ${why}` });
		return z.NEVER;
	};

	if (value === undefined || value === null) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `there is no value (${String(value)}): a phone number is needed`,
		});
		return z.NEVER;
	}
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value <= 0) return fail('is not a phone number');
		text = String(value);
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		return fail(`is ${kindOf(value)}, not a phone number`);
	}

	if (text === '') return fail('is empty: a phone number is needed');
	let digits = text.replace(READABILITY_MARKS, '');
	// "+" and the international call prefix "00" both mean "a country code follows".
	if (digits.startsWith('+')) digits = digits.slice(1);
	else if (digits.startsWith('00')) digits = digits.slice(2);

	if (!/^\d+$/.test(digits)) return fail('has characters other than digits, spaces, "-", "(", ")" and a leading "+"');
	if (digits.startsWith('0')) {
		return fail('starts with 0: write it with its country code first, e.g. 919876543210 rather than 09876543210');
	}
	if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) {
		return fail(
			`has ${digits.length} digits: a phone number has ${MIN_DIGITS} to ${MAX_DIGITS} digits with its country code first`,
		);
	}
	return Number(digits);
});

/**
 * Several phone numbers: a list from an expression, or text separated by commas, semicolons or new
 * lines. The cap guards against an expression that maps a whole contact list into one call.
 */
export const MAX_NUMBERS_PER_CALL = 20;

const asList = z.unknown().transform((value, ctx): unknown[] => {
	if (Array.isArray(value)) return value;
	if (typeof value === 'number') return [value];
	if (typeof value === 'string') return value.split(/[,;\n]/).filter((part) => part.trim() !== '');
	ctx.addIssue({
		code: z.ZodIssueCode.custom,
		message: `${describeValue(value)} is ${kindOf(value)}, not a list of phone numbers`,
		// Stop here: the list checks below need a list.
		fatal: true,
	});
	return z.NEVER;
});

export const phoneNumberList = asList.pipe(z.array(phoneNumber)).superRefine((numbers, ctx) => {
	if (numbers.length === 0) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'no phone number was given' });
	}
	if (numbers.length > MAX_NUMBERS_PER_CALL) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${numbers.length} numbers were given; one call rings at most ${MAX_NUMBERS_PER_CALL}`,
		});
	}
	const seen = new Set<number>();
	numbers.forEach((number, index) => {
		if (seen.has(number)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: `${number} is listed twice` });
		}
		seen.add(number);
	});
});

/** Piopiy serves Indian numbers from its India endpoint; 91 is India's country code. */
export function isIndianNumber(number: number): boolean {
	return String(number).startsWith('91');
}
