import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { PcmoAction } from '../../shared/pcmo';
import { phoneNumber } from '../../shared/phoneNumber';
import { oneOf, wholeNumber } from '../../shared/values';
import type { PiopiyRequest } from '../transport';
import { readParameters } from '../validation';
import { dialledNumberFields, pcmoCall, pcmoCallOptionsDescription, pcmoCallOptionsSchema } from './callOptions';
import { messageFields, readMessage } from './message';

/**
 * Transaction Alert Call: Piopiy dials the customer, speaks a text (or plays a recording), as many
 * times as asked, then hangs up. Built for debit/credit alerts, OTP read-outs, reminders: the text
 * is usually an expression over the upstream item (amount, account ending, time).
 *
 * On the wire: pcmo = [speak|play] x Repeat, then hangup.
 */
const OPERATION = 'transactionAlertCall';
const show = { show: { operation: [OPERATION] } };

export const MAX_REPEAT = 5;

export const description: INodeProperties[] = [
	...dialledNumberFields(OPERATION, 'The number to call, with country code'),
	...messageFields(OPERATION, {
		textLabel: 'Message',
		textPlaceholder:
			'e.g. Rs {{ $json.amount }} was debited from your account ending {{ $json.accountLast4 }} on {{ $json.time }}.',
		textDescription: 'What Piopiy says, by text to speech. Use expressions to fill in the amount, account and time.',
	}),
	{
		displayName: 'Repeat',
		name: 'repeat',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_REPEAT },
		default: 1,
		description: 'How many times the message is said (or played) before Piopiy hangs up',
		displayOptions: show,
	},
	pcmoCallOptionsDescription([OPERATION]),
];

const parameters = z.object({
	customerNumber: phoneNumber,
	callerId: phoneNumber,
	messageType: oneOf(['text', 'audio']).default('text'),
	message: z.unknown(),
	audioFile: z.unknown(),
	repeat: wholeNumber(1, MAX_REPEAT, 'times').default(1),
	options: pcmoCallOptionsSchema,
});

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const { customerNumber, callerId, repeat, options, say } = readParameters(
		this,
		itemIndex,
		description,
		parameters.transform((values, ctx) => ({ ...values, say: readMessage(values, ctx) })),
	);
	const pcmo: PcmoAction[] = [];
	for (let time = 0; time < repeat; time++) pcmo.push(say);
	pcmo.push({ action: 'hangup' });
	return pcmoCall(customerNumber, callerId, pcmo, options, `the transaction alert call to ${customerNumber}`);
}
