import { z } from 'zod';

import { collectionSpec, textSpec } from '../../../shared/fields';
import { buildFlowCall, flowUuid, orgUuid } from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { callerIdSpec } from './makeCall';
import { callOptionsV3, setOptions, V3_CUSTOMER_NUMBER, v3CallOptions, v3Request } from './v3';

/**
 * Flow Call (v3 only, docs/piopiy-api.md section 7.2): Piopiy calls the number and runs a call flow
 * built in the Piopiy dashboard. POST /voice/flow/call {flow_id, org_id, caller_id, to_number,
 * app_id (the credential's App ID), options, variables}.
 */
export const operation = defineOperation({
	value: 'flowCall',
	name: 'Flow Call',
	action: 'Place flow call',
	description:
		'Call a phone number and run a call flow built in the Piopiy dashboard. Needs an API Token credential (v3 API).',
	fields: {
		customerNumber: V3_CUSTOMER_NUMBER,
		callerId: callerIdSpec('Your Piopiy number, shown to the person called, with country code'),
		flowId: textSpec(
			{
				displayName: 'Flow ID',
				required: true,
				placeholder: 'e.g. 7f4d89c7-3485-45c5-9016-f45a47cd885c',
				description: 'The ID of the call flow to run: a UUID, from the Piopiy dashboard',
			},
			flowUuid,
		),
		orgId: textSpec(
			{
				displayName: 'Organisation ID',
				required: true,
				placeholder: 'e.g. f89dd77d-c226-4ff2-b88c-6d7e4f5a88e2',
				description: 'The ID of your Piopiy organisation the flow belongs to: a UUID, from the Piopiy dashboard',
			},
			orgUuid,
		),
		options: collectionSpec(
			{ displayName: 'Options', placeholder: 'Add Option' },
			v3CallOptions(
				'A JSON object of named values handed to the flow, such as {"lead_id": "L-77", "attempt": 2}. Names use letters, digits and _ (not starting with a digit); values are text, numbers or true/false.',
			),
		),
	},
	v3: ({ customerNumber, callerId, flowId, orgId, options }, ctx, v3) => {
		const call = callOptionsV3(ctx, setOptions(options, v3.raw.options));
		if (!call) return z.NEVER;
		return v3Request(ctx, v3, { what: `the flow call to ${customerNumber}`, placesCall: true }, () =>
			buildFlowCall({
				flowId,
				orgId,
				callerId,
				toNumber: customerNumber,
				appId: v3.appId,
				options: call.options,
				variables: call.variables,
			}),
		);
	},
});
