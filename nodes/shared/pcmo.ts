import { z } from 'zod';

import { MAX_NUMBERS_PER_CALL, phoneNumber } from './phoneNumber';
import { describeValue, kindOf, oneOf, wholeNumber } from './values';

/**
 * Piopiy's PCMO actions (Piopiy Call Management Objects): the list of steps a call runs, in order.
 * One schema per action, read straight from the API's contract (docs/piopiy-api.md#5-pcmo-actions). Each accepts what
 * a workflow hands over (JSON text, expressions, numbers as strings) and returns the action exactly
 * as it goes on the wire: the documented keys in the documented order, numbers as JSON numbers,
 * documented defaults written out. Anything else (an unknown action, a key the action does not
 * have, a missing value) is an issue that names the key and quotes the value.
 */

type Json = string | number | boolean | Record<string, unknown> | unknown[];
export type PcmoAction = { action: string } & Record<string, Json>;

/** Documented limits. Piopiy publishes no upper bounds: these catch a value in the wrong unit. */
export const LIMITS = {
	/** Text to speech: long enough for any phone message, short enough to catch a pasted document. */
	textLength: 3000,
	maxDigit: 32,
	inputTimeout: 120,
	maxRetry: 10,
};

/** The documented defaults Piopiy applies when a key is left out; this node always writes them out. */
export const DEFAULTS = {
	bridge: { duration: 5400, timeout: 40, loop: 1 },
	input: { max_digit: 1, timeout: 5 },
	play_get_input: { max_digit: 1, max_retry: 1, timeout: 5 },
};

const AUDIO_FILE = /\.(mp3|wav)$/i;

function fail(ctx: z.RefinementCtx, message: string): never {
	ctx.addIssue({ code: z.ZodIssueCode.custom, message });
	return z.NEVER as never;
}

function isMissing(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A value the action cannot do without. */
function required<T extends z.ZodTypeAny>(schema: T) {
	return z.unknown().transform((value, ctx): z.output<T> => {
		if (value === undefined || value === null) return fail(ctx, `there is no value (${String(value)}): this value is required`);
		if (isMissing(value)) return fail(ctx, `${describeValue(value)} is empty: this value is required`);
		return forward(schema, value, ctx);
	});
}

/** A value that may be left out; `fallback` is written out in its place when given. */
function optional<T extends z.ZodTypeAny>(schema: T, fallback?: z.output<T>) {
	return z.unknown().transform((value, ctx): z.output<T> | undefined => {
		if (isMissing(value)) return fallback;
		return forward(schema, value, ctx);
	});
}

/** Runs a schema on a value and moves its issues to the current context. */
function forward<T extends z.ZodTypeAny>(schema: T, value: unknown, ctx: z.RefinementCtx): z.output<T> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	for (const issue of result.error.issues) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message, path: issue.path });
	}
	return z.NEVER as never;
}

/** Words spoken by text to speech. */
export const speechText = z.unknown().transform((value, ctx): string => {
	if (typeof value !== 'string') return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not text to speak`);
	if (value.trim() === '') return fail(ctx, `${describeValue(value)} is empty: there is nothing to say`);
	if (value.length > LIMITS.textLength) {
		return fail(ctx, `${describeValue(value)} is ${value.length} characters long; at most ${LIMITS.textLength} can be spoken`);
	}
	return value;
});

function url(protocols: string[], what: string) {
	return z.unknown().transform((value, ctx): string => {
		if (typeof value !== 'string') return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not ${what}`);
		const text = value.trim();
		let parsed: URL;
		try {
			parsed = new URL(text);
		} catch {
			return fail(ctx, `${describeValue(value)} is not ${what}`);
		}
		if (!protocols.includes(parsed.protocol)) {
			return fail(ctx, `${describeValue(value)} is not ${what} (it must start with ${protocols.map((p) => `${p}//`).join(' or ')})`);
		}
		return text;
	});
}

/** Where Piopiy posts the digits the caller pressed. */
export const actionUrl = url(['https:', 'http:'], 'a web address (URL) Piopiy can post the keypress to');

/** An .mp3 or .wav file on the web. */
export const audioUrl = url(['https:', 'http:'], 'a web address (URL) of an .mp3 or .wav file').transform((text, ctx) => {
	if (!AUDIO_FILE.test(new URL(text).pathname)) {
		return fail(ctx, `${describeValue(text)} is not an .mp3 or .wav file: Piopiy plays only those`);
	}
	return text;
});

/** An .mp3 or .wav file uploaded to Piopiy (its cloud CDN), by name. */
export const audioFileName = z.unknown().transform((value, ctx): string => {
	if (typeof value !== 'string') return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a file name`);
	const text = value.trim();
	if (/[/\\:]/.test(text)) {
		return fail(ctx, `${describeValue(value)} is not a file name like "alert.wav" (a web address must start with https://)`);
	}
	if (!AUDIO_FILE.test(text)) return fail(ctx, `${describeValue(value)} is not an .mp3 or .wav file: Piopiy plays only those`);
	return text;
});

const websocketUrl = url(['wss:', 'ws:'], 'a WebSocket address (wss://...)');

/**
 * One action: `fields` in wire order, each schema returning the value to send or undefined to
 * leave the key out. Keys the action does not have are refused: a typo such as "file_ulr" would
 * otherwise be dropped silently by Piopiy and the call would go wrong without a word.
 */
function action(
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
			if (key === 'action' || key in fields) continue;
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
			const parsed = schema.safeParse(given[key]);
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

/** play and play_get_input name their file by URL or by name: exactly one of the two. */
function oneAudioFile(result: PcmoAction, ctx: z.RefinementCtx) {
	const given = ['file_url', 'file_name'].filter((key) => result[key] !== undefined);
	if (given.length === 0) fail(ctx, 'needs the audio to play: "file_url" (an .mp3/.wav URL) or "file_name"');
	if (given.length === 2) fail(ctx, 'has both "file_url" and "file_name": give one of them');
}

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
	return forward(z.array(pstnLeg), value, ctx);
});

const streamOnAnswer = z.unknown().transform((value, ctx): boolean => {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	return fail(ctx, `${describeValue(value)} is not true or false`);
});

/** The actions by name, as the API documents them. */
export const PCMO_ACTIONS = {
	/** Text to speech. */
	speak: action('speak', { text: required(speechText) }),
	/** Play an .mp3/.wav file, by URL or by the name of a file uploaded to Piopiy. */
	play: action('play', { file_url: optional(audioUrl), file_name: optional(audioFileName) }, oneAudioFile),
	/** Collect DTMF digits; Piopiy posts them to action_url. */
	input: action('input', {
		action_url: required(actionUrl),
		max_digit: optional(wholeNumber(1, LIMITS.maxDigit, 'digits'), DEFAULTS.input.max_digit),
		timeout: optional(wholeNumber(1, LIMITS.inputTimeout, 'seconds'), DEFAULTS.input.timeout),
	}),
	/** Play a file while collecting DTMF digits, replaying it up to max_retry times. */
	play_get_input: action(
		'play_get_input',
		{
			file_url: optional(audioUrl),
			file_name: optional(audioFileName),
			action_url: required(actionUrl),
			max_digit: optional(wholeNumber(1, LIMITS.maxDigit, 'digits'), DEFAULTS.play_get_input.max_digit),
			max_retry: optional(wholeNumber(1, LIMITS.maxRetry, 'plays'), DEFAULTS.play_get_input.max_retry),
			timeout: optional(wholeNumber(1, LIMITS.inputTimeout, 'seconds'), DEFAULTS.play_get_input.timeout),
		},
		oneAudioFile,
	),
	/** Connect the call to phone numbers; `from` is the caller ID they see. */
	bridge: action(
		'bridge',
		{
			from: required(phoneNumber),
			connect: required(connectList),
			duration: optional(wholeNumber(1, 86400, 'seconds'), DEFAULTS.bridge.duration),
			timeout: optional(wholeNumber(1, 300, 'seconds'), DEFAULTS.bridge.timeout),
			loop: optional(wholeNumber(1, 10, 'retries'), DEFAULTS.bridge.loop),
			ring_type: optional(oneOf(['single', 'group'])),
		},
		(result) => {
			// Piopiy treats a missing ring_type as single; "group" is the only value it is sent.
			if (result.ring_type === 'single') delete result.ring_type;
		},
	),
	/** Record the call. */
	record: action('record', {}),
	/** End the call. */
	hangup: action('hangup', {}),
	/** Set a value on the call. */
	param: action('param', { text: required(speechText) }),
	/** Stream the call's audio to a WebSocket. */
	stream: action('stream', {
		ws_url: required(websocketUrl),
		listen_mode: optional(oneOf(['caller', 'callee', 'both'])),
		voice_quality: optional(
			z.unknown().transform((value) => (typeof value === 'number' ? String(value) : value)).pipe(oneOf(['8000', '16000', '32000'])),
		),
		stream_on_answer: optional(streamOnAnswer),
	}),
} as const;

export type PcmoActionName = keyof typeof PCMO_ACTIONS;
export const PCMO_ACTION_NAMES = Object.keys(PCMO_ACTIONS) as PcmoActionName[];

/** Any one action, chosen by its "action" key. */
export const pcmoAction = z.unknown().transform((value, ctx): PcmoAction => {
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a PCMO action like {"action": "speak", "text": "Hello"}`);
	}
	const name = (value as Record<string, unknown>).action;
	if (typeof name !== 'string' || !(name in PCMO_ACTIONS)) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['action'],
			message: `${describeValue(name)} is not a PCMO action; use one of ${PCMO_ACTION_NAMES.map((n) => `"${n}"`).join(', ')}`,
		});
		return z.NEVER as never;
	}
	return forward(PCMO_ACTIONS[name as PcmoActionName], value, ctx);
});

export const MAX_ACTIONS = 50;

/** A list of actions, given as a list or as JSON text (a JSON field hands over text). */
export const pcmoActionList = z.unknown().transform((value, ctx): PcmoAction[] => {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return fail(ctx, 'is empty: give a list of actions like [{"action": "speak", "text": "Hello"}]');
		try {
			parsed = JSON.parse(value);
		} catch {
			return fail(ctx, `${describeValue(value)} is not valid JSON`);
		}
	}
	if (!Array.isArray(parsed)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(parsed)}, not a list of actions like [{"action": "speak", "text": "Hello"}]`);
	}
	if (parsed.length === 0) return fail(ctx, 'is an empty list: the call needs at least one action');
	if (parsed.length > MAX_ACTIONS) return fail(ctx, `has ${parsed.length} actions; at most ${MAX_ACTIONS} are accepted`);
	return forward(z.array(pcmoAction), parsed, ctx);
});

/** Text for a spoken message, then hang up. */
export function sayAndHangUp(text: string): PcmoAction[] {
	return text.trim() === '' ? [{ action: 'hangup' }] : [{ action: 'speak', text }, { action: 'hangup' }];
}

/** A file for `play`/`play_get_input`: a web address (any scheme://) goes as file_url, anything else as file_name. */
export function audioFileKey(file: string): 'file_url' | 'file_name' {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(file.trim()) ? 'file_url' : 'file_name';
}
