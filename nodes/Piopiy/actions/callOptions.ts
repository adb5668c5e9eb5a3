import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { isIndianNumber } from '../../shared/phoneNumber';
import type { PiopiyRequest } from '../transport';
import { jsonObject, oneOf, wholeNumber } from '../../shared/values';

/**
 * The options every bridged call shares (Mask Call, Dialer Call). Defaults are Piopiy's documented
 * ones, and every value is sent explicitly: Piopiy's own SDK turns a 0 into its default silently,
 * this node refuses it instead.
 */
export const callOptionsDescription = (operations: string[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { operation: operations } },
	options: CALL_OPTIONS,
});

const CALL_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 86400 },
		default: 5400,
		description: 'Maximum length of the call in seconds, after which Piopiy ends it',
	},
	{
		displayName: 'Extra Params',
		name: 'extraParams',
		type: 'json',
		default: '{}',
		description:
			'A JSON object of your own, such as a CRM record ID. Piopiy returns it in the call record, so the call can be matched to it later.',
	},
	{
		displayName: 'Loop',
		name: 'loop',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		default: 1,
		description: 'How many times Piopiy retries the second leg when nobody answers',
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'options',
		default: 'auto',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description: 'India when the first number dialled starts with 91, otherwise global',
			},
			{ name: 'India', value: 'india', description: "Use Piopiy's India endpoint" },
			{ name: 'Global', value: 'global', description: "Use Piopiy's global endpoint" },
		],
		description: 'Which Piopiy endpoint places the call',
	},
	{
		displayName: 'Ring Type',
		name: 'ringType',
		type: 'options',
		default: 'single',
		options: [
			{ name: 'Single', value: 'single', description: 'Ring the numbers one after another' },
			{ name: 'Group', value: 'group', description: 'Ring all the numbers at once; the first to answer is connected' },
		],
		description: 'How the second leg rings when it has several numbers',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 300 },
		default: 40,
		description: 'How long to wait for each number to answer, in seconds',
	},
];

export const callOptionsSchema = z
	.object({
		duration: wholeNumber(1, 86400, 'seconds').default(5400),
		timeout: wholeNumber(1, 300, 'seconds').default(40),
		loop: wholeNumber(1, 10, 'retries').default(1),
		ringType: oneOf(['single', 'group']).default('single'),
		extraParams: jsonObject.default({}),
		region: oneOf(['auto', 'india', 'global']).default('auto'),
	})
	.default({});

export type CallOptions = z.output<typeof callOptionsSchema>;

/**
 * The v2 PCMO make-call that connects the number dialled first (`to`) with the second leg
 * (`connect`), everyone seeing `callerId`. The app id and secret are added by the credential.
 */
export function bridgeCall(to: number, callerId: number, connect: number[], options: CallOptions): PiopiyRequest {
	const bridge: IDataObject = {
		action: 'bridge',
		from: callerId,
		connect: connect.map((number) => ({ type: 'pstn', number })),
		duration: options.duration,
		timeout: options.timeout,
		loop: options.loop,
	};
	// Piopiy treats a missing ring_type as single; "group" is the only value it is sent.
	if (options.ringType === 'group') bridge.ring_type = 'group';

	return {
		path: makeCallPath(to, options.region),
		what: `the call to ${to}`,
		placesCall: true,
		body: {
			extra_params: options.extraParams as IDataObject,
			from: callerId,
			duration: options.duration,
			pcmo: [bridge],
			to,
		},
	};
}

/** The first number dialled decides the make-call endpoint unless a region is forced. */
function makeCallPath(to: number, region: 'auto' | 'india' | 'global'): string {
	const india = region === 'india' || (region === 'auto' && isIndianNumber(to));
	return india ? '/v2/ind_pcmo_make_call' : '/v2/global_pcmo_make_call';
}

/**
 * The options of a call that runs its own list of actions (Transaction Alert, Order Confirmation,
 * Custom Call): only what the make-call body itself carries. Timeout, Loop and Ring Type belong to
 * a bridge and have no meaning here.
 */
const PCMO_CALL_OPTION_NAMES = ['duration', 'extraParams', 'region'];

/**
 * The two numbers of a call that runs its own actions (Transaction Alert, Order Confirmation,
 * Custom): the number dialled and the Piopiy number it sees.
 */
export function dialledNumberFields(operation: string, numberDescription: string): INodeProperties[] {
	const displayOptions = { show: { operation: [operation] } };
	return [
		{
			displayName: 'Phone Number',
			name: 'customerNumber',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. +91 98765 43210',
			description: numberDescription,
			displayOptions,
		},
		{
			displayName: 'Caller ID',
			name: 'callerId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. +91 80 4000 0000',
			description: 'Your Piopiy number, shown to the person called',
			displayOptions,
		},
	];
}

export const pcmoCallOptionsDescription = (operations: string[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { operation: operations } },
	options: CALL_OPTIONS.filter((option) => PCMO_CALL_OPTION_NAMES.includes(option.name)),
});

export const pcmoCallOptionsSchema = z
	.object({
		duration: wholeNumber(1, 86400, 'seconds').default(5400),
		extraParams: jsonObject.default({}),
		region: oneOf(['auto', 'india', 'global']).default('auto'),
	})
	.default({});

export type PcmoCallOptions = z.output<typeof pcmoCallOptionsSchema>;

/**
 * The v2 PCMO make-call with a list of actions of its own: Piopiy dials `to`, shows `callerId`,
 * and runs `pcmo` in order once the call is answered.
 */
export function pcmoCall(
	to: number,
	callerId: number,
	pcmo: IDataObject[],
	options: PcmoCallOptions,
	what = `the call to ${to}`,
): PiopiyRequest {
	return {
		path: makeCallPath(to, options.region),
		what,
		placesCall: true,
		body: {
			extra_params: options.extraParams as IDataObject,
			from: callerId,
			duration: options.duration,
			pcmo,
			to,
		},
	};
}
