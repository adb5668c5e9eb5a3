import { z } from 'zod';

import { hasOwn } from '../actionSchema';
import { describeUrl } from '../urls';
import { describeValue, kindOf, oneOf } from '../values';
import { fail, forward, isPlainObject, issue, jsonList, strictObject, text, type JsonObject } from './checks';
import { connectAction } from './connect';
import { paramData } from './maps';
import { dtmf, inputKinds, onResult, prompt, retries } from './prompts';

/**
 * v3's pipeline: the list of actions a call runs, in order (docs/piopiy-api.md section 7,
 * "Pipeline actions"). Exactly seven actions exist; each schema returns the action in the key order
 * of v3's SDK (its PipelineBuilder) and refuses keys the action does not have, naming v2's
 * equivalent where a v2 habit is the likely cause.
 */

export type V3Action = JsonObject & { action: string };

export const play = strictObject('a "play" action', {
	constant: { action: 'play' },
	fields: { file_name: text('an audio file (a URL or file name)', 2048, describeUrl) },
	required: ['file_name'],
	hints: { file_url: 'v3 calls it "file_name" (a URL or a file name)', loop: 'v3 plays a file once' },
});

export const playGetInput = strictObject('a "play_get_input" action', {
	constant: { action: 'play_get_input' },
	fields: { prompt, input: inputKinds, on_result: onResult, dtmf, retries },
	required: ['prompt', 'input', 'on_result'],
	hints: {
		file_url: 'the audio goes in "prompt": {"type": "file", "file_name": ...}',
		file_name: 'the audio goes in "prompt": {"type": "file", "file_name": ...}',
		action_url: 'v3 posts the result to "on_result": {"type": "url", "url": ...}',
		max_digit: 'v3 has "dtmf": {"max_digits": ...}',
		max_retry: 'v3 has "retries": {"max": ...}',
		timeout: 'v3 has "dtmf": {"first_digit_timeout": ...}',
	},
});

export const input = strictObject('an "input" action', {
	constant: { action: 'input' },
	fields: { on_result: onResult, dtmf },
	required: ['on_result'],
	hints: {
		input: 'speech input needs a "play_get_input" action; "input" collects keys only',
		action_url: 'v3 posts the result to "on_result": {"type": "url", "url": ...}',
		max_digit: 'v3 has "dtmf": {"max_digits": ...}',
		timeout: 'v3 has "dtmf": {"first_digit_timeout": ...}',
	},
});

export const param = strictObject('a "param" action', {
	constant: { action: 'param' },
	fields: { data: paramData },
	required: ['data'],
	hints: { text: 'v3 sets named values: "data": {"name": "value"}' },
	check: (result, ctx) => {
		if (result.data === undefined) issue(ctx, 'is empty: a "param" action sets at least one value', ['data']);
	},
});

export const record = strictObject('a "record" action', {
	constant: { action: 'record' },
	fields: { format: oneOf(['mp3', 'wav']), channels: oneOf(['single', 'dual']) },
});

export const hangup = strictObject('a "hangup" action', {
	constant: { action: 'hangup' },
	fields: {},
	hints: {
		cause: 'a cause goes with the Hang Up Call operation, not inside a pipeline',
		reason: 'a reason goes with the Hang Up Call operation, not inside a pipeline',
	},
});

export const V3_ACTIONS = {
	connect: connectAction,
	hangup,
	input,
	param,
	play,
	play_get_input: playGetInput,
	record,
} as const;

export type V3ActionName = keyof typeof V3_ACTIONS;
export const V3_ACTION_NAMES = Object.keys(V3_ACTIONS) as V3ActionName[];

/** v2 actions with no v3 action of the same name, and what to use instead. */
const FROM_V2: Record<string, string> = {
	speak: 'v3 speaks only as a prompt: {"action": "play_get_input", "prompt": {"type": "say", ...}, ...}',
	bridge: 'v3 calls it "connect"',
	stream: 'v3 has no stream action',
};

/** Any one action, chosen by its "action" key. */
export const pipelineAction = z.unknown().transform((value, ctx): V3Action => {
	if (!isPlainObject(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not an action like {"action": "hangup"}`);
	}
	// Own keys only, here and wherever a name picks a schema: "toString" or "__proto__" is found on
	// every object and would pass for an action (actionSchema.ts, hasOwn).
	const name = hasOwn(value, 'action') ? value.action : undefined;
	if (typeof name !== 'string' || !hasOwn(V3_ACTIONS, name)) {
		const hint = typeof name === 'string' && hasOwn(FROM_V2, name) ? FROM_V2[name] : undefined;
		return fail(
			ctx,
			`${describeValue(name)} is not a v3 action; use one of ${V3_ACTION_NAMES.map((n) => `"${n}"`).join(', ')}${hint ? ` (${hint})` : ''}`,
			['action'],
		);
	}
	const parsed = forward(V3_ACTIONS[name as V3ActionName], value, ctx);
	return parsed.ok ? (parsed.data as V3Action) : (z.NEVER as never);
});

export const MAX_PIPELINE_ACTIONS = 50;

/** A pipeline, given as a list or as JSON text: 1 to 50 actions. */
export const pipeline = jsonList('a list of actions', '[{"action": "play", "file_name": "https://example.com/hello.wav"}]').transform(
	(list, ctx): V3Action[] => {
		if (list.length === 0) return fail(ctx, 'is an empty list: a pipeline needs at least one action');
		if (list.length > MAX_PIPELINE_ACTIONS) {
			return fail(ctx, `has ${list.length} actions; a pipeline has at most ${MAX_PIPELINE_ACTIONS}`);
		}
		const parsed = forward(z.array(pipelineAction), list, ctx);
		return parsed.ok ? parsed.data : (z.NEVER as never);
	},
);
