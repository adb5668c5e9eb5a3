import { textSpec } from '../../../shared/fields';
import { phoneNumber, phoneNumberList } from '../../../shared/phoneNumber';
import { defineOperation } from '../../operation';
import { BRIDGE_CALL_APIS, bridgeCall, bridgeCallOptions, bridgeCallV3 } from './makeCall';

/**
 * Dialer Call (outbound dialer): Piopiy rings the customer first and, once they answer, routes the
 * call to one of the agents, one after another or all at once (Ring Type).
 */
export const operation = defineOperation({
	value: 'dialerCall',
	name: 'Dialer Call',
	action: 'Place dialer call',
	description: 'Ring a customer first, then connect them to one of your agents',
	fields: {
		customerNumber: textSpec(
			{
				displayName: 'Customer Number',
				required: true,
				placeholder: 'e.g. +1 415 555 0100',
				description: "The customer's phone number with country code. Piopiy rings it first.",
			},
			phoneNumber,
		),
		piopiyNumber: textSpec(
			{
				displayName: 'Piopiy Number',
				required: true,
				placeholder: 'e.g. +1 917 000 0000',
				description: 'Your Piopiy number, shown to the customer and the agent as caller ID',
			},
			phoneNumber,
		),
		agentNumbers: textSpec(
			{
				displayName: 'Agent Numbers',
				required: true,
				placeholder: 'e.g. +91 90000 00001, +91 90000 00002',
				description:
					'The agents who may take the call, with country code, separated by commas, or an expression returning a list',
				hint: 'Agents ring one after another, or all at once with Options > Ring Type > Group',
			},
			phoneNumberList,
		),
		options: bridgeCallOptions,
	},
	apis: BRIDGE_CALL_APIS,
	build: ({ customerNumber, piopiyNumber, agentNumbers, options }) =>
		bridgeCall(customerNumber, piopiyNumber, agentNumbers, options),
	v3: ({ customerNumber, piopiyNumber, agentNumbers, options }, ctx, v3) =>
		bridgeCallV3(ctx, v3, customerNumber, piopiyNumber, agentNumbers, options),
});
