import { collectionSpec, optionsSpec, textSpec } from '../../../shared/fields';
import { callId } from '../../../shared/callIds';
import { defineOperation } from '../../operation';

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
 */
export const HANG_UP_PATHS = { global: '/v1/call/global_action', india: '/v1/call/action' } as const;
export const CALL_ID_KEYS = ['cmiuid', 'cmiuuid'] as const;

export const operation = defineOperation({
	value: 'hangUpCall',
	name: 'Hang Up Call',
	action: 'Hang up call',
	description: 'End a live call by its call ID',
	fields: {
		callId: textSpec(
			{
				displayName: 'Call ID',
				required: true,
				placeholder: 'e.g. {{ $json.cmiuuid }}',
				description:
					"The cmiuuid of the live call, as in the Piopiy Trigger's items (live events, inbound calls, keypresses)",
			},
			callId,
		),
		options: collectionSpec(
			{ displayName: 'Options', placeholder: 'Add Option' },
			{
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
});
