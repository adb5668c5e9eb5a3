import { z } from 'zod';

import { collectionSpec, optionsSpec, relabel, textSpec } from '../../../shared/fields';
import { callId } from '../../../shared/callIds';
import { buildHangup, hangupRequest, HANGUP_LIMITS } from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { checkParts, setOptions, v3Request } from './v3';

/**
 * Hang Up Call: ends a live call, by its call ID (the `cmiuuid` in Piopiy's webhooks and live
 * events), through Piopiy's v1 call-control API (the credential's Call Control Base URL).
 *
 * Which endpoint and which key: Piopiy documents neither. Its own SDKs disagree:
 * - Node SDK 1.0.8, global calls: POST /v1/call/global_action {action, cmiuid}
 * - Node SDK, Indian calls (ind_voice) and its older global module: POST /v1/call/action {action, cmiuid}
 * - Python SDK: POST /v1/call/action {action, cmiuuid}
 * The path follows the SDKs' region split, like make-call's ind_/global_ endpoints (Region option,
 * global by default). For the key, both official SDKs post to /v1/call/action with different keys,
 * so that endpoint must read one of them (or both); this node sends the call ID under both keys,
 * which works whichever one the server reads and costs nothing if it ignores the other. Each choice
 * is one constant below, to change when Piopiy confirms one.
 *
 * With an API Token credential (v3): POST /voice/call/hangup {call_id, cause, reason}
 * (docs/piopiy-api.md section 7.2), the call ID a UUID, the cause NORMAL_CLEARING unless given.
 */
export const HANG_UP_PATHS = { global: '/v1/call/global_action', india: '/v1/call/action' } as const;
export const CALL_ID_KEYS = ['cmiuid', 'cmiuuid'] as const;

const CALL_ID = textSpec(
	{
		displayName: 'Call ID',
		required: true,
		placeholder: 'e.g. {{ $json.cmiuuid }}',
		description:
			"The cmiuuid of the live call, as in the Piopiy Trigger's items (live events, inbound calls, keypresses). With an API Token credential (v3 API): the call's call_id, a UUID.",
	},
	callId,
);

export const operation = defineOperation({
	value: 'hangUpCall',
	name: 'Hang Up Call',
	action: 'Hang up call',
	description: 'End a live call by its call ID. With an API Token credential (v3 API), a cause and reason can be given.',
	fields: {
		callId: CALL_ID,
		options: collectionSpec(
			{ displayName: 'Options', placeholder: 'Add Option' },
			{
				cause: textSpec(
					{
						displayName: 'Cause',
						placeholder: 'e.g. NORMAL_CLEARING',
						description: `Why the call ends, as a hang-up cause code (at most ${HANGUP_LIMITS.cause} characters). Left out: NORMAL_CLEARING.`,
					},
					z.unknown(),
				),
				reason: textSpec(
					{
						displayName: 'Reason',
						placeholder: 'e.g. Conversation completed',
						description: `Why the call ends, in your words (at most ${HANGUP_LIMITS.reason} characters)`,
					},
					z.unknown(),
				),
				region: optionsSpec({
					displayName: 'Region',
					default: 'global',
					options: [
						{ name: 'Global', value: 'global', description: 'Calls placed through the global endpoint' },
						{ name: 'India', value: 'india', description: 'Calls placed through the India endpoint' },
					],
					description: 'Which Piopiy endpoint placed the call',
				}),
			},
		),
	},
	build: ({ callId: id, options }) => {
		const body: Record<string, string> = { action: 'hangup' };
		for (const key of CALL_ID_KEYS) body[key] = id;
		return {
			path: HANG_UP_PATHS[options.region],
			base: 'callControl',
			what: `hanging up the call ${id}`,
			notFound: `no live call ${id}`,
			placesCall: false,
			body,
		};
	},
	apis: {
		callId: {
			v2: relabel(CALL_ID, { description: "The cmiuuid of the live call, as in the Piopiy Trigger's items (live events, inbound calls, keypresses)" }),
			v3: relabel(CALL_ID, { placeholder: 'e.g. {{ $json.call_id }}', description: 'The call_id of the live call, a UUID, as Piopiy gives it for a v3 call' }),
		},
		'options.cause': { only: 'v3', instead: 'v2 hangs up without a cause' },
		'options.reason': { only: 'v3', instead: 'v2 hangs up without a reason' },
		// v3 hangs up every call at one endpoint.
		'options.region': { only: 'v2' },
	},
	v3: ({ callId: id, options }, ctx, v3) => {
		const { cause, reason, region } = setOptions(options, v3.raw.options);
		if (region === 'india') {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['options', 'region'],
				message:
					'"india": the v3 API (API Token credential) hangs up every call at one endpoint, so there is no Region to choose; remove Region, or use an App ID and App Secret credential (v2 API)',
			});
			return z.NEVER;
		}
		const fields = { call_id: ['callId'], cause: ['options', 'cause'], reason: ['options', 'reason'] };
		if (!checkParts(ctx, hangupRequest, { call_id: id, cause, reason }, fields, [])) return z.NEVER;
		return v3Request(ctx, v3, { what: `hanging up the call ${id}`, placesCall: false }, () => buildHangup({ callId: id, cause, reason }));
	},
});
