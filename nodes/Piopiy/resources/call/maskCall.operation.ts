import { textSpec } from '../../../shared/fields';
import { phoneNumber, phoneNumberList } from '../../../shared/phoneNumber';
import { defineOperation } from '../../operation';
import { BRIDGE_CALL_APIS, bridgeCall, bridgeCallOptions, bridgeCallV3, callerIdSpec } from './makeCall';

/**
 * Mask Call (outbound call masking): Piopiy rings the agent first, then bridges the agent to the
 * customer(s). Both sides see the caller ID, so neither learns the other's real number.
 */
export const operation = defineOperation({
	value: 'maskCall',
	name: 'Mask Call',
	action: 'Place masked call',
	description: 'Ring an agent first, then connect them to a customer; both see your Piopiy number, not each other’s',
	fields: {
		agentNumber: textSpec(
			{
				displayName: 'Agent Number',
				required: true,
				placeholder: 'e.g. +91 98765 43210',
				description: "The agent's phone number with country code. Piopiy rings it first.",
			},
			phoneNumber,
		),
		callerId: callerIdSpec('Your Piopiy number. Agent and customer both see it instead of each other’s number.'),
		customerNumbers: textSpec(
			{
				displayName: 'Customer Numbers',
				required: true,
				placeholder: 'e.g. +91 98000 00000, +91 97000 00000',
				description:
					'The customer to connect the agent to, with country code. Several numbers may be given, separated by commas, or an expression returning a list.',
				hint: 'Several numbers ring one after another, or all at once with Options > Ring Type > Group',
			},
			phoneNumberList,
		),
		options: bridgeCallOptions,
	},
	apis: BRIDGE_CALL_APIS,
	build: ({ agentNumber, callerId, customerNumbers, options }) => bridgeCall(agentNumber, callerId, customerNumbers, options),
	v3: ({ agentNumber, callerId, customerNumbers, options }, ctx, v3) =>
		bridgeCallV3(ctx, v3, agentNumber, callerId, customerNumbers, options),
});
