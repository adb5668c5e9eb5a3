import type { IDataObject } from 'n8n-workflow';

import { BRIDGE, bridgeAction } from '../../../shared/bridge';
import { collectionSpec, jsonObjectSpec, optionsSpec, textSpec } from '../../../shared/fields';
import type { PcmoAction } from '../../../shared/pcmo';
import { isIndianNumber, phoneNumber } from '../../../shared/phoneNumber';
import type { PiopiyRequest } from '../../transport';

/**
 * Piopiy's v2 make-call (docs/piopiy-api.md#2-make-call): every call operation is one, told apart
 * by its action list. A bridge call (Mask Call, Dialer Call) connects the number dialled first to
 * the second leg; the other calls run a list of actions of their own.
 */

/** The options of every make-call: only what the make-call body itself carries. */
const MAKE_CALL_OPTIONS = {
	duration: BRIDGE.duration,
	extraParams: jsonObjectSpec({
		displayName: 'Extra Params',
		description:
			'A JSON object of your own, such as a CRM record ID. Piopiy returns it in the call record, so the call can be matched to it later.',
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
	}),
};

/** Options of a call that runs its own actions (Transaction Alert, Order Confirmation, Custom Call). */
export const makeCallOptions = collectionSpec({ displayName: 'Options', placeholder: 'Add Option' }, MAKE_CALL_OPTIONS);

/** Options of a bridge call (Mask Call, Dialer Call): the make-call's and the bridge's. */
export const bridgeCallOptions = collectionSpec(
	{ displayName: 'Options', placeholder: 'Add Option' },
	{ ...MAKE_CALL_OPTIONS, timeout: BRIDGE.timeout, loop: BRIDGE.loop, ringType: BRIDGE.ringType },
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
