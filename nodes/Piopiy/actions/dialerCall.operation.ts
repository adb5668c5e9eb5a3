import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { phoneNumber, phoneNumberList } from '../../shared/phoneNumber';
import { readParameters } from '../validation';
import type { PiopiyRequest } from '../transport';
import { bridgeCall, callOptionsDescription, callOptionsSchema } from './callOptions';

/**
 * Dialer Call (outbound dialer): Piopiy rings the customer first and, once they answer, routes the
 * call to one of the agents, one after another or all at once (Ring Type).
 */
const show = { show: { operation: ['dialerCall'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Customer Number',
		name: 'customerNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +1 415 555 0100',
		description: "The customer's phone number with country code. Piopiy rings it first.",
		displayOptions: show,
	},
	{
		displayName: 'Piopiy Number',
		name: 'piopiyNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +1 917 000 0000',
		description: 'Your Piopiy number, shown to the customer and the agent as caller ID',
		displayOptions: show,
	},
	{
		displayName: 'Agent Numbers',
		name: 'agentNumbers',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +91 90000 00001, +91 90000 00002',
		description:
			'The agents who may take the call, with country code, separated by commas, or an expression returning a list',
		hint: 'Agents ring one after another, or all at once with Options > Ring Type > Group',
		displayOptions: show,
	},
	callOptionsDescription(['dialerCall']),
];

const parameters = z.object({
	customerNumber: phoneNumber,
	piopiyNumber: phoneNumber,
	agentNumbers: phoneNumberList,
	options: callOptionsSchema,
});

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const { customerNumber, piopiyNumber, agentNumbers, options } = readParameters(
		this,
		itemIndex,
		description,
		parameters,
	);
	return bridgeCall(customerNumber, piopiyNumber, agentNumbers, options);
}
