import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import {
	audioFileKey,
	LIMITS,
	MAX_ACTIONS,
	pcmoAction,
	pcmoActionList,
	type PcmoAction,
} from '../../shared/pcmo';
import { phoneNumber, phoneNumberList } from '../../shared/phoneNumber';
import { describeValue, kindOf, oneOf } from '../../shared/values';
import type { PiopiyRequest } from '../transport';
import { readParameters } from '../validation';
import { dialledNumberFields, pcmoCall, pcmoCallOptionsDescription, pcmoCallOptionsSchema } from './callOptions';

/**
 * Custom Call (advanced): Piopiy dials the number and runs a list of PCMO actions written by the
 * user, as JSON or built in the fields. Every action is checked against its schema (nodes/shared/pcmo.ts)
 * before anything is sent, and goes out normalised: numbers as JSON numbers, defaults written out.
 */
const OPERATION = 'customCall';
const show = { show: { operation: [OPERATION] } };

const EXAMPLE_ACTIONS = JSON.stringify(
	[
		{ action: 'speak', text: 'Hello, this is a call from n8n.' },
		{ action: 'hangup' },
	],
	null,
	2,
);

/** Which builder fields each action type shows. */
const only = (...types: string[]) => ({ show: { type: types } });

export const description: INodeProperties[] = [
	...dialledNumberFields(OPERATION, 'The number Piopiy dials, with country code. The actions run once it answers.'),
	{
		displayName: 'Define Actions',
		name: 'actionsSource',
		type: 'options',
		default: 'fields',
		description: 'How the list of actions is given',
		options: [
			{ name: 'Using Fields Below', value: 'fields', description: 'Add the actions one by one' },
			{ name: 'Using JSON', value: 'json', description: 'Write the PCMO action list as JSON' },
		],
		displayOptions: show,
	},
	{
		displayName: 'Actions (JSON)',
		name: 'actionsJson',
		type: 'json',
		required: true,
		default: EXAMPLE_ACTIONS,
		description:
			'The PCMO action list, run in order: speak, play, input, play_get_input, bridge, record, hangup, param, stream. See the README for each action\'s keys.',
		displayOptions: { show: { operation: [OPERATION], actionsSource: ['json'] } },
	},
	{
		displayName: 'Actions',
		name: 'actions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Action',
		default: {},
		description: 'The steps of the call, run in order',
		displayOptions: { show: { operation: [OPERATION], actionsSource: ['fields'] } },
		options: [
			{
				displayName: 'Action',
				name: 'action',
				// Alphabetical, as n8n's lint wants; each type shows only its own fields.
				values: [
					{
						displayName: 'Action Type',
						name: 'type',
						type: 'options',
						default: 'speak',
						description: 'What this step of the call does',
						options: [
							{ name: 'Collect Keys', value: 'input', description: 'Wait for keys and post them to a URL' },
							{ name: 'Connect to Numbers', value: 'bridge', description: 'Bridge the call to phone numbers' },
							{ name: 'Hang Up', value: 'hangup', description: 'End the call' },
							{ name: 'Play and Collect Keys', value: 'play_get_input', description: 'Play a file while waiting for keys' },
							{ name: 'Play Audio File', value: 'play', description: 'Play an .mp3 or .wav file' },
							{ name: 'Record', value: 'record', description: 'Record the call' },
							{ name: 'Speak Text', value: 'speak', description: 'Say a text (text to speech)' },
						],
					},
					{
						displayName: 'Audio File',
						name: 'file',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/audio/menu.mp3',
						description: 'An .mp3 or .wav file: its web address, or the name of a file uploaded to Piopiy',
						displayOptions: only('play', 'play_get_input'),
					},
					{
						displayName: 'Bridge Caller ID',
						name: 'from',
						type: 'string',
						default: '',
						placeholder: 'Same as the call',
						description: "The number the connected people see. Leave empty to use the call's Caller ID.",
						displayOptions: only('bridge'),
					},
					{
						displayName: 'Duration (Seconds)',
						name: 'duration',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 86400 },
						default: 5400,
						description: 'Longest the connected call may last',
						displayOptions: only('bridge'),
					},
					{
						displayName: 'Keypress URL',
						name: 'actionUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://n8n.example.com/webhook/piopiy-keys',
						description: 'Where Piopiy posts the keys pressed, such as a Piopiy Trigger',
						displayOptions: only('input', 'play_get_input'),
					},
					{
						displayName: 'Loop',
						name: 'loop',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10 },
						default: 1,
						description: 'How many times the numbers are tried when nobody answers',
						displayOptions: only('bridge'),
					},
					{
						displayName: 'Max Digits',
						name: 'maxDigits',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: LIMITS.maxDigit },
						default: 1,
						description: 'How many keys to collect',
						displayOptions: only('input', 'play_get_input'),
					},
					{
						displayName: 'Max Plays',
						name: 'maxRetry',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: LIMITS.maxRetry },
						default: 1,
						description: 'How many times the file is played when no key is pressed',
						displayOptions: only('play_get_input'),
					},
					{
						displayName: 'Numbers',
						name: 'connect',
						type: 'string',
						default: '',
						placeholder: 'e.g. +91 90000 00001, +91 90000 00002',
						description: 'The phone numbers to connect the call to, separated by commas',
						displayOptions: only('bridge'),
					},
					{
						displayName: 'Ring Timeout (Seconds)',
						name: 'ringTimeout',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 300 },
						default: 40,
						description: 'How long each number rings',
						displayOptions: only('bridge'),
					},
					{
						displayName: 'Ring Type',
						name: 'ringType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Single', value: 'single', description: 'One after another' },
							{ name: 'Group', value: 'group', description: 'All at once; the first to answer is connected' },
						],
						displayOptions: only('bridge'),
					},
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'What Piopiy says',
						displayOptions: only('speak'),
					},
					{
						displayName: 'Wait for Key (Seconds)',
						name: 'inputTimeout',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: LIMITS.inputTimeout },
						default: 5,
						description: 'How long Piopiy waits for the keys',
						displayOptions: only('input', 'play_get_input'),
					},
				],
			},
		],
	},
	pcmoCallOptionsDescription([OPERATION]),
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
				raw = {
					action: 'bridge',
					from: from as number,
					connect: numbers.data.map((number) => ({ type: 'pstn', number })),
					duration: row.duration,
					timeout: row.ringTimeout,
					loop: row.loop,
					ring_type: row.ringType,
				};
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

const parameters = z.object({
	customerNumber: phoneNumber,
	callerId: phoneNumber,
	actionsSource: oneOf(['fields', 'json']).default('fields'),
	actionsJson: z.unknown(),
	actions: z.unknown(),
	options: pcmoCallOptionsSchema,
});

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const { customerNumber, callerId, options, pcmo } = readParameters(
		this,
		itemIndex,
		description,
		parameters.transform((values, ctx) => {
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
		}),
	);
	return pcmoCall(customerNumber, callerId, pcmo, options, `the custom call to ${customerNumber}`);
}

function report(ctx: z.RefinementCtx, field: string, issue: z.ZodIssue): never {
	ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field, ...issue.path], message: issue.message });
	return z.NEVER as never;
}
