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
 * What a phone number's text may hold: one rule for every field, list entry and API generation.
 * - The digits 0-9.
 * - Readability marks, taken off: "-", "(", ")" and spaces. A space is any Unicode space separator
 *   (\p{Zs}): the ordinary space, the no-break space U+00A0 that CRMs, spreadsheets and web pages
 *   put between digit groups, the narrow U+202F some locales format numbers with, U+2000-U+200A,
 *   U+3000. Each shows as a gap, as a space does.
 * - One "+" before the first digit ("+91", "(+91)"); "00" there is a prefix too (below).
 * - Before and after the number, spaces, tabs and line breaks ("919876543210\n" from a form).
 * Anything else is refused, never removed, and named by code point: a tab or line break inside
 * ("9198765<TAB>4321012") more likely joins two values than groups one number's digits; a
 * zero-width character or a direction mark does not show, so the number on screen is not the text
 * sent; "." and "/" ("9198765/4321", "98765.4321") are more likely two numbers, an extension or a
 * typo; a digit of another width or script (U+FF10-U+FF19, Devanagari) or a dash other than "-" is
 * none of the marks the README lists.
 */
const READABILITY_MARKS = /[\p{Zs}\-()]/gu;
const ALLOWED = /^[0-9\p{Zs}\-()+]$/u;
const AROUND = /^[\p{Zs}\t\n\v\f\r\u0085\u2028\u2029]+|[\p{Zs}\t\n\v\f\r\u0085\u2028\u2029]+$/gu;
const RULE = 'only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number';

/** Text without the spaces, tabs and line breaks before and after it (String.trim would also drop U+FEFF). */
function withoutSurroundings(text: string): string {
	return text.replace(AROUND, '');
}

/** Characters that do not show (or not on their own): quoted by code point, so they can be found. */
const UNSEEN_CLASS = '[\\p{C}\\p{M}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}]';
const UNSEEN = new RegExp(UNSEEN_CLASS, 'gu');
const UNSEEN_CHARACTER = new RegExp(`^${UNSEEN_CLASS}$`, 'u');
const SHORT_NAMES: Record<string, string> = { '\t': 'TAB', '\n': 'LF', '\r': 'CR', '\v': 'VT', '\f': 'FF' };
const BREAKS: Record<string, string> = {
	'\t': 'a tab',
	'\n': 'a line break',
	'\r': 'a line break',
	'\v': 'a vertical tab',
	'\f': 'a form feed',
	'\u0085': 'a line break',
	'\u2028': 'a line break',
	'\u2029': 'a paragraph break',
};
const ZERO_WIDTH = /^[\u200b-\u200d\u2060\ufeff]$/u;
const DIRECTION_MARK = /^[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]$/u;

function codePoint(character: string): string {
	return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A character that does not show, as an error writes it: <TAB>, <LF>, <U+200B>. */
function marked(character: string): string {
	return `<${SHORT_NAMES[character] ?? codePoint(character)}>`;
}

/** The value as an error quotes it, with what does not show written as <TAB>, <U+200B> ... */
function describeNumber(value: unknown): string {
	return describeValue(typeof value === 'string' ? value.replace(UNSEEN, marked) : value);
}

/** The character that makes a phone number's text unusable, in words ("a tab (<TAB>), which ..."). */
function refusedCharacter(character: string): string {
	if (BREAKS[character]) {
		return `${BREAKS[character]} (${marked(character)}), which more likely separates two values than groups the digits of one`;
	}
	if (ZERO_WIDTH.test(character)) return `a zero-width character (${marked(character)}), which does not show on screen`;
	if (DIRECTION_MARK.test(character)) {
		return `a text-direction mark (${marked(character)}), which does not show on screen and can change the order the digits are shown in`;
	}
	if (/^\p{Cc}$/u.test(character)) return `a control character (${marked(character)})`;
	if (/^\p{M}$/u.test(character)) return `a combining mark (${marked(character)})`;
	if (UNSEEN_CHARACTER.test(character)) return `an invisible character (${marked(character)})`;
	const quoted = `"${character}" (${codePoint(character)})`;
	if (character === '.' || character === '/') {
		return `${quoted}, which more likely separates two numbers or an extension than groups the digits of one`;
	}
	if (/^\p{Nd}$/u.test(character)) return `${quoted}, a digit other than 0-9`;
	return quoted;
}

export const phoneNumber = z.unknown().transform((value, ctx): number => {
	const fail = (why: string) => {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${describeNumber(value)} ${why}` });
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
		text = withoutSurroundings(value);
	} else {
		return fail(`is ${kindOf(value)}, not a phone number`);
	}

	if (text === '') return fail('is empty: a phone number is needed');
	const refused = [...text].find((character) => !ALLOWED.test(character));
	if (refused !== undefined) return fail(`has ${refusedCharacter(refused)}: ${RULE}`);
	let digits = text.replace(READABILITY_MARKS, '');
	if (digits.lastIndexOf('+') > 0) return fail(`has "+" (U+002B) after the start of the number: ${RULE}`);
	// "+" and the international call prefix "00" both mean "a country code follows".
	if (digits.startsWith('+')) digits = digits.slice(1);
	else if (digits.startsWith('00')) digits = digits.slice(2);

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
	if (typeof value === 'string') return value.split(/[,;\n]/).filter((part) => withoutSurroundings(part) !== '');
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
