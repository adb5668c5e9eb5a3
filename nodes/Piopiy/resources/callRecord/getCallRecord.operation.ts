import { z } from 'zod';

import { callId, requestId } from '../../../shared/callIds';
import { optionsSpec, textSpec } from '../../../shared/fields';
import { defineOperation } from '../../operation';

/**
 * Get Call Record: the call detail record(s) Piopiy keeps for a call, through the v1 call-control
 * API (the credential's Call Control Base URL). By request ID (what every call operation of this
 * node returns) Piopiy answers {count, cdr: [one record per leg], code}; by call ID (the cmiuuid of
 * one leg, from the Piopiy Trigger) it answers {cdr: {...}, code}. The answer is passed on as it is.
 */
export const CDR_PATHS = { requestId: '/v1/piopiy/requestid_cdr', callId: '/v1/piopiy/cmiuuid_cdr' } as const;

/** Only the identifier chosen in Look Up By is checked: the other field is hidden and empty. */
const IDENTIFIERS = { requestId, callId };

export const operation = defineOperation({
	value: 'getCallRecord',
	name: 'Get Call Record',
	action: 'Get call record',
	description:
		'Get the call detail record of a call by its request ID or call ID. Needs an App ID and App Secret credential (v2 API).',
	fields: {
		lookUpBy: optionsSpec({
			displayName: 'Look Up By',
			default: 'requestId',
			description: 'Which identifier of the call is given',
			options: [
				{
					name: 'Request ID',
					value: 'requestId',
					description: 'The request_id a call operation returned: the records of all legs of that call',
				},
				{ name: 'Call ID', value: 'callId', description: "The cmiuuid of one call leg, as in the Piopiy Trigger's items" },
			],
		}),
		requestId: textSpec(
			{
				displayName: 'Request ID',
				required: true,
				placeholder: 'e.g. {{ $json.request_id }}',
				description: 'The request_id Piopiy answered the call with',
			},
			z.unknown(),
		),
		callId: textSpec(
			{ displayName: 'Call ID', required: true, placeholder: 'e.g. {{ $json.cmiuuid }}', description: 'The cmiuuid of the call leg' },
			z.unknown(),
		),
	},
	showWhen: { requestId: { lookUpBy: ['requestId'] }, callId: { lookUpBy: ['callId'] } },
	// docs/piopiy-api.md section 7.6: v3 (and its SDK) has no call record endpoint.
	withoutV3:
		"Piopiy's v3 API has no call record endpoint. Read the call in the Piopiy dashboard's call logs, receive call records with a Piopiy Trigger (Events: Call Record, at the CDR URL set in the Piopiy dashboard), or use an App ID and App Secret credential (v2 API) for this node.",
	refine: (values, ctx) => {
		const field = values.lookUpBy;
		const parsed = IDENTIFIERS[field].safeParse(values[field]);
		if (parsed.success) return { field, id: parsed.data };
		ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: parsed.error.issues[0].message });
		return z.NEVER;
	},
	build: ({ field, id }) =>
		field === 'callId'
			? {
					path: CDR_PATHS.callId,
					base: 'callControl',
					what: `the call record of call ${id}`,
					notFound: `no call record for call ${id}`,
					placesCall: false,
					body: { cmiuuid: id },
				}
			: {
					path: CDR_PATHS.requestId,
					base: 'callControl',
					what: `the call record of request ${id}`,
					notFound: `no call for request ${id}`,
					placesCall: false,
					body: { request_id: id },
				},
});
