import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { phoneNumber, phoneNumberList } from '../../shared/phoneNumber';
import { readParameters } from '../validation';
import type { PiopiyRequest } from '../transport';
import { bridgeCall, callOptionsDescription, callOptionsSchema } from './callOptions';

/**
 * Mask Call (outbound call masking): Piopiy rings the agent first, then bridges the agent to the
 * customer(s). Both sides see the caller ID, so neither learns the other's real number.
 */
const show = { show: { operation: ['maskCall'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Agent Number',
		name: 'agentNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +91 98765 43210',
		description: "The agent's phone number with country code. Piopiy rings it first.",
		displayOptions: show,
	},
	{
		displayName: 'Caller ID',
		name: 'callerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +91 80 4000 0000',
		description: 'Your Piopiy number. Agent and customer both see it instead of each other’s number.',
		displayOptions: show,
	},
	{
		displayName: 'Customer Numbers',
		name: 'customerNumbers',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +91 98000 00000, +91 97000 00000',
		description:
			'The customer to connect the agent to, with country code. Several numbers may be given, separated by commas, or an expression returning a list.',
		hint: 'Several numbers ring one after another, or all at once with Options > Ring Type > Group',
		displayOptions: show,
	},
	callOptionsDescription(['maskCall']),
];

const parameters = z.object({
	agentNumber: phoneNumber,
	callerId: phoneNumber,
	customerNumbers: phoneNumberList,
	options: callOptionsSchema,
});

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const { agentNumber, callerId, customerNumbers, options } = readParameters(
		this,
		itemIndex,
		description,
		parameters,
	);
	return bridgeCall(agentNumber, callerId, customerNumbers, options);
}
