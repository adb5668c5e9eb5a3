import { z } from 'zod';

import { BRIDGE } from '../../../shared/bridge';
import { collectionSpec, numberSpec, optionsSpec, plainSpec, relabel, textSpec } from '../../../shared/fields';
import { phoneNumber, phoneNumberList } from '../../../shared/phoneNumber';
import { buildTransfer, buildTransferTo, callUuid, CONNECT_LIMITS, pipeline as v3Pipeline, strategyFor } from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { check, setOptions, v3Request } from './v3';

/**
 * Transfer Call (v3 only, docs/piopiy-api.md section 7.2): a live call goes on with a new pipeline,
 * POST /voice/pcmo/transfer {call_id, pipeline}. Either the call is connected to phone numbers (a
 * pipeline of one connect, the numbers rung one after another or all at once) or it runs a
 * pipeline given as JSON.
 */
const EXAMPLE_PIPELINE = JSON.stringify(
	[
		{ action: 'play', file_name: 'https://example.com/audio/transfer.wav' },
		{
			action: 'connect',
			params: { caller_id: '918040000000', strategy: 'sequential' },
			endpoints: [{ type: 'pstn', number: '919876543210' }],
		},
		{ action: 'hangup' },
	],
	null,
	2,
);

export const operation = defineOperation({
	value: 'transferCall',
	name: 'Transfer Call',
	action: 'Transfer live call',
	description:
		'Move a live call to other phone numbers, or to a new list of actions. Needs an API Token credential (v3 API).',
	fields: {
		callId: textSpec(
			{
				displayName: 'Call ID',
				required: true,
				placeholder: 'e.g. {{ $json.call_id }}',
				description: 'The call_id of the live call to transfer: a UUID, as Piopiy gives it for a v3 call',
			},
			callUuid,
		),
		transferType: optionsSpec({
			displayName: 'Transfer To',
			default: 'numbers',
			description: 'Where the call goes',
			options: [
				{ name: 'Phone Numbers', value: 'numbers', description: 'Connect the call to one or more phone numbers' },
				{ name: 'Pipeline (JSON)', value: 'pipeline', description: 'Run a v3 pipeline of actions written as JSON' },
			],
		}),
		callerId: textSpec(
			{
				displayName: 'Caller ID',
				required: true,
				placeholder: 'e.g. +91 80 4000 0000',
				description: 'Your Piopiy number, shown to the people the call is transferred to, with country code',
			},
			z.unknown(),
		),
		transferTo: textSpec(
			{
				displayName: 'Numbers',
				required: true,
				placeholder: 'e.g. +91 90000 00001, +91 90000 00002',
				description:
					'The phone numbers to connect the call to, with country code, separated by commas, or an expression returning a list',
				hint: 'Several numbers ring one after another, or all at once with Options > Ring Type > Group',
			},
			z.unknown(),
		),
		pipeline: plainSpec({
			displayName: 'Pipeline (JSON)',
			type: 'json',
			required: true,
			default: EXAMPLE_PIPELINE,
			description:
				'The v3 actions the call runs from now on, in order: connect, play, play_get_input, input, param, record, hangup. See the README for each action\'s keys.',
		}),
		options: collectionSpec(
			{ displayName: 'Options', placeholder: 'Add Option' },
			{
				maxDuration: numberSpec({
					displayName: 'Max Duration (Seconds)',
					min: CONNECT_LIMITS.maxDurationSec.min,
					max: CONNECT_LIMITS.maxDurationSec.max,
					default: 600,
					unit: 'seconds',
					description: 'The longest the transferred call may last, in seconds',
				}),
				ringTimeout: numberSpec({
					displayName: 'Ring Timeout (Seconds)',
					min: CONNECT_LIMITS.ringTimeoutSec.min,
					max: CONNECT_LIMITS.ringTimeoutSec.max,
					default: 40,
					unit: 'seconds',
					description: 'How long each number rings, in seconds',
				}),
				ringType: relabel(BRIDGE.ringType, { description: 'How several numbers ring: one after another, or all at once' }),
			},
		),
	},
	showWhen: {
		callerId: { transferType: ['numbers'] },
		transferTo: { transferType: ['numbers'] },
		options: { transferType: ['numbers'] },
		pipeline: { transferType: ['pipeline'] },
	},
	v3: ({ callId, transferType, callerId, transferTo, pipeline, options }, ctx, v3) => {
		const what = { what: `the transfer of call ${callId}`, placesCall: true };
		if (transferType === 'pipeline') {
			const actions = check(ctx, v3Pipeline, pipeline, ['pipeline']);
			if (!actions) return z.NEVER;
			return v3Request(ctx, v3, what, () => buildTransfer({ callId, pipeline: actions }));
		}
		const from = check(ctx, phoneNumber, callerId, ['callerId']);
		const numbers = check(ctx, phoneNumberList, transferTo, ['transferTo']);
		if (from === undefined || numbers === undefined) return z.NEVER;
		const set = setOptions(options, v3.raw.options);
		const connectOptions: Record<string, unknown> = {};
		if (set.maxDuration !== undefined) connectOptions.max_duration_sec = set.maxDuration;
		if (set.ringTimeout !== undefined) connectOptions.ring_timeout_sec = set.ringTimeout;
		return v3Request(ctx, v3, what, () =>
			buildTransferTo({
				callId,
				callerId: from,
				numbers,
				strategy: strategyFor((set.ringType as 'single' | 'group' | undefined) ?? 'single'),
				connectOptions: Object.keys(connectOptions).length ? connectOptions : undefined,
			}),
		);
	},
});
