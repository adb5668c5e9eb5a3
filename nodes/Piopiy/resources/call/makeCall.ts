import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { BRIDGE, bridgeAction } from '../../../shared/bridge';
import { collectionSpec, jsonObjectSpec, optionsSpec, relabel, textSpec } from '../../../shared/fields';
import type { PcmoAction } from '../../../shared/pcmo';
import { isIndianNumber, phoneNumber } from '../../../shared/phoneNumber';
import { buildBridgeCall } from '../../../shared/v3';
import type { V3Context } from '../../operation';
import type { PiopiyRequest } from '../../transport';
import { bridgeOptions, v3Request } from './v3';

/**
 * Piopiy's v2 make-call (docs/piopiy-api.md#2-make-call): every call operation is one, told apart
 * by its action list. A bridge call (Mask Call, Dialer Call) connects the number dialled first to
 * the second leg; the other calls run a list of actions of their own.
 */

/**
 * The options of every make-call: only what the make-call body itself carries. The same options
 * serve an API Token credential (v3); their hints say what v3 allows (nodes/shared/v3/fromV2.ts).
 */
export const MAKE_CALL_OPTIONS = {
	duration: relabel(BRIDGE.duration, { hint: 'With an API Token credential (v3 API): 30 to 7200 seconds' }),
	extraParams: jsonObjectSpec({
		displayName: 'Extra Params',
		description:
			'A JSON object of your own, such as a CRM record ID. Piopiy returns it in the call record, so the call can be matched to it later.',
		hint: 'With an API Token credential (v3 API) they are sent as the call variables: names of letters, digits and _, values text, numbers or true/false',
	}),
	region: optionsSpec({
		displayName: 'Region',
		default: 'auto',
		options: [
			{ name: 'Auto', value: 'auto', description: 'India when the first number dialled starts with 91, otherwise global' },
			{ name: 'India', value: 'india', description: "Use Piopiy's India endpoint" },
			{ name: 'Global', value: 'global', description: "Use Piopiy's global endpoint" },
		],
		description: 'Which Piopiy endpoint places the call',
		hint: 'App ID and App Secret credentials (v2 API) only: v3 has one endpoint, so keep Auto with an API Token',
	}),
};

/** Options of a call that runs its own actions (Transaction Alert, Order Confirmation, Custom Call). */
export const makeCallOptions = collectionSpec({ displayName: 'Options', placeholder: 'Add Option' }, MAKE_CALL_OPTIONS);

/** Options of a bridge call (Mask Call, Dialer Call): the make-call's and the bridge's. */
export const bridgeCallOptions = collectionSpec(
	{ displayName: 'Options', placeholder: 'Add Option' },
	{
		...MAKE_CALL_OPTIONS,
		duration: relabel(BRIDGE.duration, { hint: 'With an API Token credential (v3 API): 10 to 7200 seconds' }),
		timeout: relabel(BRIDGE.timeout, { hint: 'With an API Token credential (v3 API): 5 to 120 seconds' }),
		loop: relabel(BRIDGE.loop, { hint: 'App ID and App Secret credentials (v2 API) only: v3 rings once, so keep 1 with an API Token' }),
		ringType: BRIDGE.ringType,
	},
);

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
