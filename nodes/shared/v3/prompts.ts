import { z } from 'zod';

import { hasOwn } from '../actionSchema';
import { speechText } from '../pcmo';
import { describeUrl } from '../urls';
import { describeValue, kindOf, wholeNumber } from '../values';
import { decimal, fail, flag, forward, isPlainObject, issue, optionalObject, strictObject, text, webUrl, type JsonObject } from './checks';

/**
 * The parts of v3's input actions (docs/piopiy-api.md section 7, "Pipeline actions"): what is
 * played or said (`prompt`), where the result goes (`on_result`), how keys are collected (`dtmf`)
 * and what happens when nothing or something wrong is pressed (`retries`).
 */
export const PROMPT_LIMITS = { speed: { min: 0.5, max: 2 } };

/** Text to speech needs all four: the words, their language, a voice and a speed. */
const sayPrompt = strictObject('a "say" prompt', {
	constant: { type: 'say' },
	fields: {
		say: speechText,
		language: text('a language like "en-US"', 35),
		voice_id: text('a voice like "female"', 128),
		speed: decimal(PROMPT_LIMITS.speed.min, PROMPT_LIMITS.speed.max, 'speech speed'),
	},
	required: ['say', 'language', 'voice_id', 'speed'],
	hints: { text: 'v3 calls the words "say"', file_name: 'a prompt with a file has "type": "file"' },
});

const filePrompt = strictObject('a "file" prompt', {
	constant: { type: 'file' },
	fields: { file_name: text('an audio file (a URL or file name)', 2048, describeUrl) },
	required: ['file_name'],
	hints: { file_url: 'v3 calls it "file_name" (a URL or a file name)', say: 'a prompt with words has "type": "say"' },
});

const PROMPTS = { say: sayPrompt, file: filePrompt };

export const prompt = z.unknown().transform((value, ctx): JsonObject => {
	if (!isPlainObject(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a prompt like {"type": "file", "file_name": "menu.wav"}`);
	}
	const type = hasOwn(value, 'type') ? value.type : undefined;
	if (typeof type !== 'string' || !hasOwn(PROMPTS, type)) {
		return fail(ctx, `${describeValue(type)} is not a prompt type; use "say" (text to speech) or "file" (an audio file)`, ['type']);
	}
	const parsed = forward(PROMPTS[type as keyof typeof PROMPTS], value, ctx);
	return parsed.ok ? parsed.data : (z.NEVER as never);
});

const ON_RESULT = {
	url: strictObject('an "on_result" of type "url"', {
		constant: { type: 'url' },
		fields: { url: webUrl('a web address (URL) Piopiy can post the result to') },
		required: ['url'],
		hints: { method: 'v3 always posts; there is no method', ref: 'a pipeline reference has "type": "pcmo"' },
	}),
	pcmo: strictObject('an "on_result" of type "pcmo"', {
		constant: { type: 'pcmo' },
		fields: { ref: text('a pipeline reference', 256) },
		required: ['ref'],
		hints: { url: 'a web address has "type": "url"' },
	}),
};

/** Where the result of an input goes: posted to a URL, or on to another pipeline by reference. */
export const onResult = z.unknown().transform((value, ctx): JsonObject => {
	if (!isPlainObject(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not an "on_result" like {"type": "url", "url": "https://..."}`);
	}
	const type = hasOwn(value, 'type') ? value.type : undefined;
	if (typeof type !== 'string' || !hasOwn(ON_RESULT, type)) {
		return fail(ctx, `${describeValue(type)} is not an "on_result" type; use "url" or "pcmo"`, ['type']);
	}
	const parsed = forward(ON_RESULT[type as keyof typeof ON_RESULT], value, ctx);
	return parsed.ok ? parsed.data : (z.NEVER as never);
});

/**
 * v3 sets no upper bounds; these catch a value in the wrong unit (milliseconds for seconds) or a
 * wrong field before it reaches a live call.
 */
export const DTMF_LIMITS = { digits: 64, timeoutSec: 600 };

/** The key that ends input: one of the phone's keys, or "" for none. */
const finishKey = z.unknown().transform((value, ctx): string => {
	if (typeof value === 'string' && /^[0-9*#A-D]?$/.test(value)) return value;
	return fail(ctx, `${describeValue(value)} is not one key of the phone pad (0-9, * or #)`);
});

export const dtmf = optionalObject('the dtmf settings', {
	fields: {
		min_digits: wholeNumber(1, DTMF_LIMITS.digits, 'digits'),
		max_digits: wholeNumber(1, DTMF_LIMITS.digits, 'digits'),
		finish_on_key: finishKey,
		first_digit_timeout: wholeNumber(1, DTMF_LIMITS.timeoutSec, 'seconds'),
		inter_digit_timeout: wholeNumber(1, DTMF_LIMITS.timeoutSec, 'seconds'),
		flush_buffer: flag,
	},
	hints: {
		timeout: 'v3 has "first_digit_timeout" and "inter_digit_timeout"',
		max_digit: 'v3 calls it "max_digits"',
	},
	// v3's SDK does not compare the two; a minimum above the maximum can only be a mistake.
	check: (result, ctx) => {
		const { min_digits: min, max_digits: max } = result;
		if (typeof min === 'number' && typeof max === 'number' && min > max) {
			issue(ctx, `${min} is more than max_digits (${max}): no input could satisfy both`, ['min_digits']);
		}
	},
});

export const RETRY_LIMITS = { max: 10 };

export const retries = optionalObject('the retries', {
	fields: {
		max: wholeNumber(0, RETRY_LIMITS.max, 'retries'),
		no_input_prompt: prompt,
		invalid_prompt: prompt,
	},
	hints: { max_retry: 'v3 calls it "max"' },
});

/** How the caller answers a play_get_input: keys (dtmf), speech, or both; each once. */
export const inputKinds = z.unknown().transform((value, ctx): string[] => {
	const list = typeof value === 'string' ? [value] : value;
	if (!Array.isArray(list)) return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a list like ["dtmf"]`);
	if (list.length === 0) return fail(ctx, 'is an empty list: give "dtmf", "speech" or both');
	const seen = new Set<string>();
	for (const [index, kind] of list.entries()) {
		if (kind !== 'dtmf' && kind !== 'speech') return fail(ctx, `${describeValue(kind)} is not "dtmf" or "speech"`, [index]);
		if (seen.has(kind)) return fail(ctx, `"${kind}" is listed twice`, [index]);
		seen.add(kind);
	}
	return list as string[];
});
