import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { callId, requestId } from '../../shared/callIds';
import { oneOf } from '../../shared/values';
import type { PiopiyRequest } from '../transport';
import { readParameters } from '../validation';

/**
 * Get Call Record: the call detail record(s) Piopiy keeps for a call, through the v1 call-control
 * API (the credential's Call Control Base URL). By request ID (what every call operation of this
 * node returns) Piopiy answers {count, cdr: [one record per leg], code}; by call ID (the cmiuuid of
 * one leg, from the Piopiy Trigger) it answers {cdr: {...}, code}. The answer is passed on as it is.
 */
const OPERATION = 'getCallRecord';
const show = { show: { operation: [OPERATION] } };

export const CDR_PATHS = { requestId: '/v1/piopiy/requestid_cdr', callId: '/v1/piopiy/cmiuuid_cdr' } as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		default: 'requestId',
		description: 'Which identifier of the call is given',
		options: [
			{
				name: 'Request ID',
				value: 'requestId',
				description: 'The request_id a call operation returned: the records of all legs of that call',
			},
			{
				name: 'Call ID',
				value: 'callId',
				description: 'The cmiuuid of one call leg, as in the Piopiy Trigger\'s items',
			},
		],
		displayOptions: show,
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.request_id }}',
		description: 'The request_id Piopiy answered the call with',
		displayOptions: { show: { operation: [OPERATION], lookUpBy: ['requestId'] } },
	},
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.cmiuuid }}',
		description: 'The cmiuuid of the call leg',
		displayOptions: { show: { operation: [OPERATION], lookUpBy: ['callId'] } },
	},
];

const parameters = z.discriminatedUnion('lookUpBy', [
	z.object({ lookUpBy: z.literal('requestId'), requestId }),
	z.object({ lookUpBy: z.literal('callId'), callId }),
]);

const lookUpBy = z.object({ lookUpBy: oneOf(['requestId', 'callId']).default('requestId') }).passthrough();

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const input = readParameters(this, itemIndex, description, lookUpBy.pipe(parameters));
	if (input.lookUpBy === 'callId') {
		return {
			path: CDR_PATHS.callId,
			base: 'callControl',
			what: `the call record of call ${input.callId}`,
			notFound: `no call record for call ${input.callId}`,
			placesCall: false,
			body: { cmiuuid: input.callId },
		};
	}
	return {
		path: CDR_PATHS.requestId,
		base: 'callControl',
		what: `the call record of request ${input.requestId}`,
		notFound: `no call for request ${input.requestId}`,
		placesCall: false,
		body: { request_id: input.requestId },
	};
}
