import { z } from 'zod';

import { action, fail, forward, hasOwn, optional, required, type PcmoAction } from './actionSchema';
import { bridgeActionSchema } from './bridge';
import { numberSpec } from './fields';
import { describeUrl } from './urls';
import { describeValue, kindOf, oneOf } from './values';

export type { PcmoAction } from './actionSchema';

/**
 * Piopiy's PCMO actions (Piopiy Call Management Objects): the list of steps a v2 call runs, in
 * order, one schema per action, read from the API's contract (docs/piopiy-api.md#5-pcmo-actions).
 * Anything else (an unknown action, a key the action does not have, a missing value) is an issue
 * that names the key and quotes the value. The bridge has a module of its own (bridge.ts).
 */

/** Text to speech: long enough for any phone message, short enough to catch a pasted document. */
export const MAX_SPEECH_LENGTH = 3000;

/**
 * Collecting keys: limits (Piopiy publishes none; these catch a value in the wrong unit) and the
 * documented defaults Piopiy applies when a key is left out, which this node always writes out.
 */
export const KEYPRESS = {
	maxDigit: numberSpec({ displayName: 'Max Digits', min: 1, max: 32, default: 1, unit: 'digits', description: 'How many keys to collect' }),
	timeout: numberSpec({
		displayName: 'Wait for Key (Seconds)',
		min: 1,
		max: 120,
		default: 5,
		unit: 'seconds',
		description: 'How long Piopiy waits for the keys',
	}),
	maxRetry: numberSpec({
		displayName: 'Max Plays',
		min: 1,
		max: 10,
		default: 1,
		unit: 'plays',
		description: 'How many times the file is played when no key is pressed',
	}),
};

const AUDIO_FILE = /\.(mp3|wav)$/i;

/** Words spoken by text to speech. */
export const speechText = z.unknown().transform((value, ctx): string => {
	if (typeof value !== 'string') return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not text to speak`);
	if (value.trim() === '') return fail(ctx, `${describeValue(value)} is empty: there is nothing to say`);
	if (value.length > MAX_SPEECH_LENGTH) {
		return fail(ctx, `${describeValue(value)} is ${value.length} characters long; at most ${MAX_SPEECH_LENGTH} can be spoken`);
	}
	return value;
});

function url(protocols: string[], what: string) {
	return z.unknown().transform((value, ctx): string => {
		if (typeof value !== 'string') return fail(ctx, `${describeUrl(value)} is ${kindOf(value)}, not ${what}`);
		const text = value.trim();
		let parsed: URL;
		try {
			parsed = new URL(text);
		} catch {
			return fail(ctx, `${describeUrl(value)} is not ${what}`);
		}
		if (!protocols.includes(parsed.protocol)) {
			return fail(ctx, `${describeUrl(value)} is not ${what} (it must start with ${protocols.map((p) => `${p}//`).join(' or ')})`);
		}
		return text;
	});
}

/** Where Piopiy posts the digits the caller pressed. */
export const actionUrl = url(['https:', 'http:'], 'a web address (URL) Piopiy can post the keypress to');

/** An .mp3 or .wav file on the web. */
export const audioUrl = url(['https:', 'http:'], 'a web address (URL) of an .mp3 or .wav file').transform((text, ctx) => {
	if (!AUDIO_FILE.test(new URL(text).pathname)) {
		return fail(ctx, `${describeUrl(text)} is not an .mp3 or .wav file: Piopiy plays only those`);
	}
	return text;
});

/** An .mp3 or .wav file uploaded to Piopiy (its cloud CDN), by name. */
export const audioFileName = z.unknown().transform((value, ctx): string => {
	// Quoted as an address: what comes here may be one mistyped ("http:/user:pw@host/a.wav").
	if (typeof value !== 'string') return fail(ctx, `${describeUrl(value)} is ${kindOf(value)}, not a file name`);
	const text = value.trim();
	if (/[/\\:]/.test(text)) {
		return fail(ctx, `${describeUrl(value)} is not a file name like "alert.wav" (a web address must start with https://)`);
	}
	if (!AUDIO_FILE.test(text)) return fail(ctx, `${describeUrl(value)} is not an .mp3 or .wav file: Piopiy plays only those`);
	return text;
});

const websocketUrl = url(['wss:', 'ws:'], 'a WebSocket address (wss://...)');

/** play and play_get_input name their file by URL or by name: exactly one of the two. */
function oneAudioFile(result: PcmoAction, ctx: z.RefinementCtx) {
	const given = ['file_url', 'file_name'].filter((key) => result[key] !== undefined);
	if (given.length === 0) fail(ctx, 'needs the audio to play: "file_url" (an .mp3/.wav URL) or "file_name"');
	if (given.length === 2) fail(ctx, 'has both "file_url" and "file_name": give one of them');
}

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
		max_digit: optional(KEYPRESS.maxDigit.check, KEYPRESS.maxDigit.fallback),
		timeout: optional(KEYPRESS.timeout.check, KEYPRESS.timeout.fallback),
	}),
	/** Play a file while collecting DTMF digits, replaying it up to max_retry times. */
	play_get_input: action(
		'play_get_input',
		{
			file_url: optional(audioUrl),
			file_name: optional(audioFileName),
			action_url: required(actionUrl),
			max_digit: optional(KEYPRESS.maxDigit.check, KEYPRESS.maxDigit.fallback),
			max_retry: optional(KEYPRESS.maxRetry.check, KEYPRESS.maxRetry.fallback),
			timeout: optional(KEYPRESS.timeout.check, KEYPRESS.timeout.fallback),
		},
		oneAudioFile,
	),
	/** Connect the call to phone numbers; `from` is the caller ID they see (bridge.ts). */
	bridge: bridgeActionSchema,
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
	const given = value as Record<string, unknown>;
	const name = hasOwn(given, 'action') ? given.action : undefined;
	if (typeof name !== 'string' || !hasOwn(PCMO_ACTIONS, name)) {
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
