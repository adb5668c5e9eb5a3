import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { BRIDGE, bridgeAction } from '../../../shared/bridge';
import { bounded, collectionSpec, jsonObjectSpec, optionsSpec, relabel, textSpec } from '../../../shared/fields';
import type { PcmoAction } from '../../../shared/pcmo';
import { isIndianNumber, phoneNumber } from '../../../shared/phoneNumber';
import { buildBridgeCall, CALL_LIMITS, CONNECT_LIMITS } from '../../../shared/v3';
import type { ApiDifference, V3Context } from '../../operation';
import type { PiopiyRequest } from '../../transport';
import { bridgeOptions, v3Request } from './v3';

/**
 * Piopiy's v2 make-call (docs/piopiy-api.md#2-make-call): every call operation is one, told apart
 * by its action list. A bridge call (Mask Call, Dialer Call) connects the number dialled first to
 * the second leg; the other calls run a list of actions of their own.
 */

/**
 * The options of every make-call: only what the make-call body itself carries. The same options
 * serve an API Token credential (v3), within what v3 allows (nodes/shared/v3/fromV2.ts); version 2
 * of the node shows them under API Token as v3 takes them (MAKE_CALL_APIS, BRIDGE_CALL_APIS).
 */
const EXTRA_PARAMS = jsonObjectSpec({
	displayName: 'Extra Params',
	description:
		'A JSON object of your own, such as a CRM record ID. Piopiy returns it in the call record, so the call can be matched to it later.',
});

export const MAKE_CALL_OPTIONS = {
	duration: BRIDGE.duration,
	extraParams: EXTRA_PARAMS,
	region: optionsSpec({
		displayName: 'Region',
		default: 'auto',
		options: [
			{ name: 'Auto', value: 'auto', description: 'India when the first number dialled starts with 91, otherwise global' },
			{ name: 'India', value: 'india', description: "Use Piopiy's India endpoint" },
			{ name: 'Global', value: 'global', description: "Use Piopiy's global endpoint" },
		],
		description: 'Which Piopiy endpoint places the call',
	}),
};

/** Options of a call that runs its own actions (Transaction Alert, Order Confirmation, Custom Call). */
export const makeCallOptions = collectionSpec({ displayName: 'Options', placeholder: 'Add Option' }, MAKE_CALL_OPTIONS);

/** Options of a bridge call (Mask Call, Dialer Call): the make-call's and the bridge's. */
export const bridgeCallOptions = collectionSpec(
	{ displayName: 'Options', placeholder: 'Add Option' },
	{ ...MAKE_CALL_OPTIONS, timeout: BRIDGE.timeout, loop: BRIDGE.loop, ringType: BRIDGE.ringType },
);

/**
 * How the make-call options differ under v3 (defineOperation's `apis`): v3 has one endpoint (no
 * Region), takes a call's duration from 30 to 7200 seconds, and sends Extra Params as the call's
 * variables, which hold named text, numbers and true/false.
 */
export const MAKE_CALL_APIS: Record<string, ApiDifference> = {
	'options.duration': { v3: bounded(BRIDGE.duration, CALL_LIMITS.maxDurationSec, 'seconds') },
	'options.extraParams': {
		v3: relabel(EXTRA_PARAMS, {
			hint: 'Sent as the call variables: names of letters, digits and _, values text, numbers or true/false',
		}),
	},
	'options.region': { only: 'v2' },
};

/** The same for a bridge call: v3 connects the second leg for 10 to 7200 seconds, rings it 5 to 120 seconds, once (no Loop). */
export const BRIDGE_CALL_APIS: Record<string, ApiDifference> = {
	...MAKE_CALL_APIS,
	'options.duration': { v3: bounded(BRIDGE.duration, CONNECT_LIMITS.maxDurationSec, 'seconds') },
	'options.timeout': { v3: bounded(BRIDGE.timeout, CONNECT_LIMITS.ringTimeoutSec, 'seconds') },
	'options.loop': { only: 'v2' },
};

export type MakeCallOptions = { duration: number; extraParams: Record<string, unknown>; region: 'auto' | 'india' | 'global' };

/** The Piopiy number a call shows. */
export const callerIdSpec = (description: string) =>
	textSpec({ displayName: 'Caller ID', required: true, placeholder: 'e.g. +91 80 4000 0000', description }, phoneNumber);

/** The number dialled by a call that runs its own actions. */
export const dialledNumberSpec = (description: string) =>
	textSpec({ displayName: 'Phone Number', required: true, placeholder: 'e.g. +91 98765 43210', description }, phoneNumber);

/**
 * The make-call that connects the number dialled first (`to`) with the second leg (`connect`),
 * everyone seeing `callerId`. The app id and secret are added by the credential.
 */
export function bridgeCall(
	to: number,
	callerId: number,
	connect: number[],
	options: MakeCallOptions & { timeout: number; loop: number; ringType: string },
): PiopiyRequest {
	return makeCall(to, callerId, [bridgeAction(callerId, connect, options)], options, `the call to ${to}`);
}

/**
 * The same call under v3: a pipeline call whose one `connect` rings the second leg
 * (docs/piopiy-api.md section 7.2, the SDK's voice.call). The options map as fromV2.ts says; what
 * v3 cannot do is refused on its option before anything is sent.
 */
export function bridgeCallV3(
	ctx: z.RefinementCtx,
	v3: V3Context,
	to: number,
	callerId: number,
	connect: number[],
	options: Record<string, unknown>,
): PiopiyRequest {
	const mapped = bridgeOptions(ctx, options, v3.raw.options);
	if (!mapped) return z.NEVER as never;
	return v3Request(ctx, v3, { what: `the call to ${to}`, placesCall: true }, () =>
		buildBridgeCall({ callerId, toNumber: to, appId: v3.appId, connectTo: connect, ...mapped }),
	);
}

/** The make-call that dials `to`, shows `callerId`, and runs `pcmo` in order once answered. */
export function makeCall(
	to: number,
	callerId: number,
	pcmo: PcmoAction[],
	options: MakeCallOptions,
	what = `the call to ${to}`,
): PiopiyRequest {
	return {
		path: makeCallPath(to, options.region),
		what,
		placesCall: true,
		body: { extra_params: options.extraParams as IDataObject, from: callerId, duration: options.duration, pcmo, to },
	};
}

/** The first number dialled decides the make-call endpoint unless a region is forced. */
function makeCallPath(to: number, region: 'auto' | 'india' | 'global'): string {
	const india = region === 'india' || (region === 'auto' && isIndianNumber(to));
	return india ? '/v2/ind_pcmo_make_call' : '/v2/global_pcmo_make_call';
}
