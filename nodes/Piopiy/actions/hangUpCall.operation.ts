import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { callId } from '../../shared/callIds';
import { oneOf } from '../../shared/values';
import type { PiopiyRequest } from '../transport';
import { readParameters } from '../validation';

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

const OPERATION = 'hangUpCall';
const show = { show: { operation: [OPERATION] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.cmiuuid }}',
		description:
			'The cmiuuid of the live call, as in the Piopiy Trigger\'s items (live events, inbound calls, keypresses)',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Region',
				name: 'region',
				type: 'options',
				default: 'global',
				options: [
					{ name: 'Global', value: 'global', description: 'Calls placed through the global endpoint' },
					{ name: 'India', value: 'india', description: 'Calls placed through the India endpoint' },
				],
				description: 'Which Piopiy endpoint placed the call',
			},
		],
	},
];

const parameters = z.object({
	callId,
	options: z.object({ region: oneOf(['global', 'india']).default('global') }).default({}),
});

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const { callId: id, options } = readParameters(this, itemIndex, description, parameters);
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
}
