import { numberSpec } from '../../../shared/fields';
import type { PcmoAction } from '../../../shared/pcmo';
import { defineOperation } from '../../operation';
import { callerIdSpec, dialledNumberSpec, makeCall, makeCallOptions } from './makeCall';
import { MESSAGE_SHOW_WHEN, messageSpecs, readMessage } from './message';

/**
 * Transaction Alert Call: Piopiy dials the customer, speaks a text (or plays a recording), as many
 * times as asked, then hangs up. Built for debit/credit alerts, OTP read-outs, reminders: the text
 * is usually an expression over the upstream item (amount, account ending, time).
 *
 * On the wire: pcmo = [speak|play] x Repeat, then hangup.
 */
export const operation = defineOperation({
	value: 'transactionAlertCall',
	name: 'Transaction Alert Call',
	action: 'Place transaction alert call',
	description: 'Call a number, say a message (or play a recording), then hang up',
	fields: {
		customerNumber: dialledNumberSpec('The number to call, with country code'),
		callerId: callerIdSpec('Your Piopiy number, shown to the person called'),
		...messageSpecs({
			textLabel: 'Message',
			textPlaceholder:
				'e.g. Rs {{ $json.amount }} was debited from your account ending {{ $json.accountLast4 }} on {{ $json.time }}.',
			textDescription: 'What Piopiy says, by text to speech. Use expressions to fill in the amount, account and time.',
		}),
		repeat: numberSpec({
			displayName: 'Repeat',
			min: 1,
			max: 5,
			default: 1,
			unit: 'times',
			description: 'How many times the message is said (or played) before Piopiy hangs up',
		}),
		options: makeCallOptions,
	},
	showWhen: MESSAGE_SHOW_WHEN,
	refine: (values, ctx) => ({ ...values, say: readMessage(values, ctx) }),
	build: ({ customerNumber, callerId, repeat, options, say }) => {
		const pcmo: PcmoAction[] = [];
		for (let time = 0; time < repeat; time++) pcmo.push(say);
		pcmo.push({ action: 'hangup' });
		return makeCall(customerNumber, callerId, pcmo, options, `the transaction alert call to ${customerNumber}`);
	},
});
