import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { BRIDGE, bridgeInput } from '../../../shared/bridge';
import { bounded, collectionSpec, named, optionsSpec, plainSpec, relabel, textSpec, type FieldSpec } from '../../../shared/fields';
import { audioFileKey, KEYPRESS, MAX_ACTIONS, pcmoAction, pcmoActionList, type PcmoAction } from '../../../shared/pcmo';
import { phoneNumberList } from '../../../shared/phoneNumber';
import { describeValue, kindOf, oneOf } from '../../../shared/values';
import {
	agentUuid,
	bridgeOptionsV3,
	callOptions,
	CONNECT_LIMITS,
	DTMF_LIMITS,
	pipeline as v3Pipeline,
	V3_ACTIONS,
	v3PhoneNumberList,
	type JsonObject,
} from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { callerIdSpec, dialledNumberSpec, makeCall, MAKE_CALL_APIS, MAKE_CALL_OPTIONS } from './makeCall';
import { check, checkParts, flagSpec, pcmoCallV3, pcmoOptions, ringTimeoutSpec, setOptions } from './v3';

/**
 * Custom Call (advanced): Piopiy dials the number and runs a list of PCMO actions written by the
 * user, as JSON or built in the fields. Every action is checked against its schema
 * (nodes/shared/pcmo.ts) before anything is sent, and goes out normalised: numbers as JSON
 * numbers, defaults written out.
 *
 * With an API Token credential (v3, docs/piopiy-api.md section 7.5) the JSON is a v3 pipeline,
 * checked against every rule of v3's SDK; the builder's rows map to v3 actions (play, input,
 * play_get_input with a file prompt, connect, record, hangup). v3 has no standalone speak: a Speak
 * Text row is refused with what to use instead. v3 adds three call options: Record Call, Ring
 * Timeout and AI Agent ID.
 */
const EXAMPLE_ACTIONS = JSON.stringify(
	[
		{ action: 'speak', text: 'Hello, this is a call from n8n.' },
		{ action: 'hangup' },
	],
	null,
	2,
);

/** The same under v3, a pipeline: play a file, then hang up. */
const EXAMPLE_PIPELINE = JSON.stringify(
	[{ action: 'play', file_name: 'https://example.com/audio/hello.wav' }, { action: 'hangup' }],
	null,
	2,
);

const actionsJson = (example: string, description: string) =>
	plainSpec({ displayName: 'Actions (JSON)', type: 'json', required: true, default: example, description });

/** One builder field: a spec under its name, shown for some action types only. */
function rowField(name: string, spec: FieldSpec<unknown>, ...types: string[]): INodeProperties {
	return { ...named(name, spec).property, displayOptions: { show: { type: types } } };
}

const text = (displayName: string, description: string, placeholder?: string) =>
	plainSpec({ displayName, type: 'string', default: '', description, ...(placeholder ? { placeholder } : {}) });

const ACTION_TYPES = [
	{ name: 'Collect Keys', value: 'input', description: 'Wait for keys and post them to a URL' },
	{ name: 'Connect to Numbers', value: 'bridge', description: 'Bridge the call to phone numbers' },
	{ name: 'Hang Up', value: 'hangup', description: 'End the call' },
	{ name: 'Play and Collect Keys', value: 'play_get_input', description: 'Play a file while waiting for keys' },
	{ name: 'Play Audio File', value: 'play', description: 'Play an .mp3 or .wav file' },
	{ name: 'Record', value: 'record', description: 'Record the call' },
	{ name: 'Speak Text', value: 'speak', description: 'Say a text (text to speech)' },
];
const actionType = (options: typeof ACTION_TYPES, fallback: string) =>
	optionsSpec({ displayName: 'Action Type', default: fallback, description: 'What this step of the call does', options });

const ROW_DURATION = relabel(BRIDGE.duration, { description: 'Longest the connected call may last' });
const ROW_RING_TIMEOUT = relabel(BRIDGE.timeout, { displayName: 'Ring Timeout (Seconds)', description: 'How long each number rings' });

/** The fields of one builder row, alphabetical as n8n's lint wants; each type shows only its own. */
const ROW_FIELDS: INodeProperties[] = [
	named('type', actionType(ACTION_TYPES, 'speak')).property,
	rowField(
		'file',
		text('Audio File', 'An .mp3 or .wav file: its web address, or the name of a file uploaded to Piopiy', 'e.g. https://example.com/audio/menu.mp3'),
		'play',
		'play_get_input',
	),
	rowField(
		'from',
		text('Bridge Caller ID', "The number the connected people see. Leave empty to use the call's Caller ID.", 'Same as the call'),
		'bridge',
	),
	rowField('duration', ROW_DURATION, 'bridge'),
	rowField(
		'actionUrl',
		text('Keypress URL', 'Where Piopiy posts the keys pressed, such as a Piopiy Trigger', 'e.g. https://n8n.example.com/webhook/piopiy-keys'),
		'input',
		'play_get_input',
	),
	rowField('loop', relabel(BRIDGE.loop, { description: 'How many times the numbers are tried when nobody answers' }), 'bridge'),
	rowField('maxDigits', KEYPRESS.maxDigit, 'input', 'play_get_input'),
	rowField('maxRetry', KEYPRESS.maxRetry, 'play_get_input'),
	rowField(
		'connect',
		text('Numbers', 'The phone numbers to connect the call to, separated by commas', 'e.g. +91 90000 00001, +91 90000 00002'),
		'bridge',
	),
	rowField('ringTimeout', ROW_RING_TIMEOUT, 'bridge'),
	rowField('ringType', BRIDGE.ringType, 'bridge'),
	rowField('text', plainSpec({ displayName: 'Text', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'What Piopiy says' }), 'speak'),
	rowField('inputTimeout', KEYPRESS.timeout, 'input', 'play_get_input'),
];

/** Builder field names by the PCMO key they fill, to report a problem on the field the user sees. */
const FIELD_OF_KEY: Record<string, string> = {
	text: 'text',
	file_url: 'file',
	file_name: 'file',
	action_url: 'actionUrl',
	max_digit: 'maxDigits',
	max_retry: 'maxRetry',
	from: 'from',
	connect: 'connect',
	duration: 'duration',
	loop: 'loop',
	ring_type: 'ringType',
};

/** One row of the builder, turned into its PCMO action and checked like a JSON one. */
function builderAction(callerId: number) {
	return z.unknown().transform((value, ctx): PcmoAction => {
		if (!value || typeof value !== 'object' || Array.isArray(value)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${describeValue(value)} is ${kindOf(value)}, not an action` });
			return z.NEVER;
		}
		const row = value as IDataObject;
		const type = oneOf(['speak', 'play', 'input', 'play_get_input', 'bridge', 'record', 'hangup']).safeParse(row.type ?? 'speak');
		if (!type.success) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['type'], message: type.error.issues[0].message });
			return z.NEVER;
		}
		const file = typeof row.file === 'string' ? { [audioFileKey(row.file)]: row.file } : { file_name: row.file };
		let raw: IDataObject;
		switch (type.data) {
			case 'speak':
				raw = { action: 'speak', text: row.text };
				break;
			case 'play':
				raw = { action: 'play', ...file };
				break;
			case 'input':
				raw = { action: 'input', action_url: row.actionUrl, max_digit: row.maxDigits, timeout: row.inputTimeout };
				break;
			case 'play_get_input':
				raw = {
					action: 'play_get_input',
					...file,
					action_url: row.actionUrl,
					max_digit: row.maxDigits,
					max_retry: row.maxRetry,
					timeout: row.inputTimeout,
				};
				break;
			case 'bridge': {
				const numbers = phoneNumberList.safeParse(row.connect ?? '');
				if (!numbers.success) {
					const [issue] = numbers.error.issues;
					ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['connect', ...issue.path], message: issue.message });
					return z.NEVER;
				}
				const from = typeof row.from === 'string' && row.from.trim() === '' ? callerId : (row.from ?? callerId);
				raw = bridgeInput(from, numbers.data, { ...row, timeout: row.ringTimeout }) as IDataObject;
				break;
			}
			default:
				raw = { action: type.data };
		}
		const parsed = pcmoAction.safeParse(raw);
		if (parsed.success) return parsed.data;
		const [issue] = parsed.error.issues;
		const [key, ...rest] = issue.path;
		const field = key === 'timeout' ? (type.data === 'bridge' ? 'ringTimeout' : 'inputTimeout') : FIELD_OF_KEY[String(key)];
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			// A problem with the action as a whole (such as no audio file) is reported on the row.
			path: field ? [field, ...(key === 'connect' ? rest : [])] : [],
			message: issue.message,
		});
		return z.NEVER;
	});
}

/** The make-call options, and the call options only v3 has (call-level record, ring timeout, AI agent). */
const customCallOptions = collectionSpec(
	{ displayName: 'Options', placeholder: 'Add Option' },
	{
		...MAKE_CALL_OPTIONS,
		agentId: textSpec(
			{
				displayName: 'AI Agent ID',
				placeholder: 'e.g. bdd32bcb-767c-40a5-be4a-5f45eeb348a6',
				description: 'The AI agent this call belongs to: its ID (a UUID) in the Piopiy dashboard, sent as agent_id',
			},
			z.unknown(),
		),
		record: flagSpec({ displayName: 'Record Call', description: 'Whether Piopiy records the whole call' }),
		ringTimeout: ringTimeoutSpec({ description: 'How long the number called rings before Piopiy gives up' }),
	},
);

const builderRows = z.unknown().transform((value, ctx): unknown[] => {
	const rows = (value && typeof value === 'object' ? (value as IDataObject).action : undefined) ?? [];
	if (!Array.isArray(rows) || rows.length === 0) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'no action was added: the call needs at least one' });
		return z.NEVER;
	}
	if (rows.length > MAX_ACTIONS) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${rows.length} actions were added; at most ${MAX_ACTIONS} are accepted` });
		return z.NEVER;
	}
	return rows;
});

export const operation = defineOperation({
	value: 'customCall',
	name: 'Custom Call',
	action: 'Place call with custom actions',
	description:
		'Call a number and run your own list of Piopiy actions (speak, play, collect keys, connect, record, hang up)',
	fields: {
		customerNumber: dialledNumberSpec('The number Piopiy dials, with country code. The actions run once it answers.'),
		callerId: callerIdSpec('Your Piopiy number, shown to the person called'),
		actionsSource: optionsSpec({
			displayName: 'Define Actions',
			default: 'fields',
			description: 'How the list of actions is given',
			options: [
				{ name: 'Using Fields Below', value: 'fields', description: 'Add the actions one by one' },
				{ name: 'Using JSON', value: 'json', description: 'Write the PCMO action list as JSON' },
			],
		}),
		actionsJson: actionsJson(
			EXAMPLE_ACTIONS,
			"The PCMO action list, run in order: speak, play, input, play_get_input, bridge, record, hangup, param, stream. With an API Token credential (v3 API), a v3 pipeline instead: connect, play, play_get_input, input, param, record, hangup. See the README for each action's keys.",
		),
		actions: plainSpec({
			displayName: 'Actions',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Action',
			default: {},
			description: 'The steps of the call, run in order',
			options: [{ displayName: 'Action', name: 'action', values: ROW_FIELDS }],
		}),
		options: customCallOptions,
	},
	showWhen: { actionsJson: { actionsSource: ['json'] }, actions: { actionsSource: ['fields'] } },
	refine: (values, ctx) => {
		let pcmo: PcmoAction[];
		if (values.actionsSource === 'json') {
			const parsed = pcmoActionList.safeParse(values.actionsJson);
			if (!parsed.success) return report(ctx, 'actionsJson', parsed.error.issues[0]);
			pcmo = parsed.data;
		} else {
			const rows = builderRows.safeParse(values.actions);
			if (!rows.success) return report(ctx, 'actions', rows.error.issues[0]);
			const parsed = z.array(builderAction(values.callerId)).safeParse(rows.data);
			if (!parsed.success) {
				const [issue] = parsed.error.issues;
				return report(ctx, 'actions', { ...issue, path: ['action', ...issue.path] });
			}
			pcmo = parsed.data;
		}
		return { ...values, pcmo };
	},
	build: ({ customerNumber, callerId, options, pcmo }) =>
		makeCall(customerNumber, callerId, pcmo, options, `the custom call to ${customerNumber}`),
	apis: {
		...MAKE_CALL_APIS,
		actionsJson: {
			v2: actionsJson(
				EXAMPLE_ACTIONS,
				"The PCMO action list, run in order: speak, play, input, play_get_input, bridge, record, hangup, param, stream. See the README for each action's keys.",
			),
			v3: actionsJson(
				EXAMPLE_PIPELINE,
				"The v3 pipeline, run in order: connect, play, play_get_input, input, param, record, hangup. See the README for each action's keys.",
			),
		},
		// The builder's rows as v3 maps them (builderActionV3): no Speak Text, a connect's and a dtmf's limits, no Loop.
		'actions.action.type': { v3: actionType(ACTION_TYPES.filter((type) => type.value !== 'speak'), 'play') },
		'actions.action.duration': { v3: bounded(ROW_DURATION, CONNECT_LIMITS.maxDurationSec, 'seconds') },
		'actions.action.ringTimeout': { v3: bounded(ROW_RING_TIMEOUT, CONNECT_LIMITS.ringTimeoutSec, 'seconds') },
		'actions.action.loop': { only: 'v2' },
		'actions.action.maxDigits': { v3: bounded(KEYPRESS.maxDigit, { min: 1, max: DTMF_LIMITS.digits }, 'digits') },
		'actions.action.inputTimeout': { v3: bounded(KEYPRESS.timeout, { min: 1, max: DTMF_LIMITS.timeoutSec }, 'seconds') },
		'options.agentId': { only: 'v3', instead: 'a v2 call belongs to no AI agent' },
		'options.record': { only: 'v3', instead: 'v2 records with a Record action' },
		'options.ringTimeout': { only: 'v3', instead: 'v2 rings the number for as long as Piopiy decides' },
	},
	v3: (values, ctx, v3) => {
		const set = setOptions(values.options, v3.raw.options);
		const options = pcmoOptions(ctx, values.options, v3.raw.options);
		const agentId = set.agentId === undefined ? undefined : check(ctx, agentUuid, set.agentId, ['options', 'agentId']);
		const call = check(
			ctx,
			callOptions,
			{ max_duration_sec: options?.callOptions?.max_duration_sec, record: set.record, ring_timeout_sec: set.ringTimeout },
			['options'],
		);
		const pipeline =
			values.actionsSource === 'json'
				? check(ctx, v3Pipeline, values.actionsJson, ['actionsJson'])
				: builderPipeline(ctx, values.actions, values.callerId);
		if (!options || !pipeline || (set.agentId !== undefined && !agentId)) return z.NEVER;
		return pcmoCallV3(ctx, v3, `the custom call to ${values.customerNumber}`, values, pipeline, {
			options: call,
			variables: options.variables,
			agentId,
		});
	},
});

/** The builder's rows as a v3 pipeline; a problem goes on the row's field. */
function builderPipeline(ctx: z.RefinementCtx, actions: unknown, callerId: number): JsonObject[] | undefined {
	const rows = builderRows.safeParse(actions);
	if (!rows.success) {
		report(ctx, 'actions', rows.error.issues[0]);
		return undefined;
	}
	const pipeline: JsonObject[] = [];
	for (const [index, value] of rows.data.entries()) {
		const action = builderActionV3(ctx, value, callerId, ['actions', 'action', index]);
		if (!action) return undefined;
		pipeline.push(action);
	}
	return pipeline;
}

/** One builder row as its v3 action (docs/piopiy-api.md section 7.6 maps v2's actions to v3's). */
function builderActionV3(ctx: z.RefinementCtx, value: unknown, callerId: number, at: Array<string | number>): JsonObject | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, path: at, message: `${describeValue(value)} is ${kindOf(value)}, not an action` });
		return undefined;
	}
	const row = value as IDataObject;
	const type = row.type ?? 'speak';
	const on = (field: string) => [...at, field];
	const keypress = {
		on_result: { type: 'url', url: row.actionUrl },
		dtmf: { max_digits: row.maxDigits, first_digit_timeout: row.inputTimeout },
	};
	const keypressFields = { on_result: on('actionUrl'), 'dtmf.max_digits': on('maxDigits'), 'dtmf.first_digit_timeout': on('inputTimeout') };
	switch (type) {
		case 'play':
			return checkParts(ctx, V3_ACTIONS.play, { action: 'play', file_name: row.file }, { file_name: on('file') }, on('file'));
		case 'input':
			return checkParts(ctx, V3_ACTIONS.input, { action: 'input', ...keypress }, keypressFields, at);
		case 'play_get_input': {
			// Max Plays counts every play; v3's retries.max counts the plays after the first.
			const plays = row.maxRetry === undefined ? undefined : KEYPRESS.maxRetry.check.safeParse(row.maxRetry);
			if (plays && !plays.success) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, path: on('maxRetry'), message: plays.error.issues[0].message });
				return undefined;
			}
			return checkParts(
				ctx,
				V3_ACTIONS.play_get_input,
				{
					action: 'play_get_input',
					prompt: { type: 'file', file_name: row.file },
					input: ['dtmf'],
					...keypress,
					retries: plays ? { max: plays.data - 1 } : undefined,
				},
				{ ...keypressFields, 'prompt.file_name': on('file') },
				at,
			);
		}
		case 'bridge': {
			const numbers = check(ctx, v3PhoneNumberList, row.connect ?? '', on('connect'));
			const bridge = checkParts(
				ctx,
				bridgeOptionsV3,
				{ duration: row.duration, timeout: row.ringTimeout, loop: row.loop, ringType: row.ringType },
				{ duration: on('duration'), timeout: on('ringTimeout'), loop: on('loop'), ringType: on('ringType') },
				at,
			);
			if (!numbers || !bridge) return undefined;
			const from = typeof row.from === 'string' && row.from.trim() === '' ? callerId : (row.from ?? callerId);
			const params: Record<string, unknown> = { caller_id: from, strategy: bridge.strategy };
			if (bridge.connectOptions) params.options = bridge.connectOptions;
			return checkParts(
				ctx,
				V3_ACTIONS.connect,
				{ action: 'connect', params, endpoints: numbers.map((number) => ({ type: 'pstn', number })) },
				{ 'params.caller_id': on('from'), endpoints: on('connect') },
				at,
			);
		}
		case 'record':
			return { action: 'record' };
		case 'hangup':
			return { action: 'hangup' };
		case 'speak':
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: on('type'),
				message:
					'"speak": the v3 API (API Token credential) has no Speak Text action, it speaks only while collecting keys; use Define Actions > Using JSON with a play_get_input whose prompt is {"type": "say", ...}, or use an App ID and App Secret credential (v2 API)',
			});
			return undefined;
		default:
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: on('type'),
				message: `${describeValue(type)} is not an action type of this builder`,
			});
			return undefined;
	}
}

function report(ctx: z.RefinementCtx, field: string, issue: z.ZodIssue): never {
	ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field, ...issue.path], message: issue.message });
	return z.NEVER as never;
}
