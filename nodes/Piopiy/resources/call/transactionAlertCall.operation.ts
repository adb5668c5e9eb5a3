import { z } from 'zod';

import { numberSpec, textSpec } from '../../../shared/fields';
import type { PcmoAction } from '../../../shared/pcmo';
import { V3_ACTIONS, type JsonObject } from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { callerIdSpec, dialledNumberSpec, makeCall, MAKE_CALL_APIS, makeCallOptions } from './makeCall';
import { MESSAGE_SHOW_WHEN, messageSpecs, readMessage } from './message';
import { sayFields, sayPrompt, speechSpecs, V3_SPEECH_APIS } from './speech';
import { checkParts, pcmoCallV3, pcmoOptions } from './v3';

/**
 * Transaction Alert Call: Piopiy dials the customer, speaks a text (or plays a recording), as many
 * times as asked, then hangs up. Built for debit/credit alerts, OTP read-outs, reminders: the text
 * is usually an expression over the upstream item (amount, account ending, time).
 *
 * On the wire: pcmo = [speak|play] x Repeat, then hangup.
 *
 * With an API Token credential (v3, docs/piopiy-api.md section 7.5): a recording is a `play`; a text
 * can only be spoken as the `say` prompt of a play_get_input, which listens for a key and posts it
 * to an on_result URL (the Result URL field). It waits one second for a key (dtmf
 * first_digit_timeout 1), so the message flows as with v2's speak. Pipeline: [play|play_get_input] x
 * Repeat, then hangup.
 */
const TEXT_ONLY = { messageType: ['text'] };

/** A spoken message under v3 needs it: v3 speaks a text while listening for keys, and posts a key pressed here. */
const RESULT_URL = textSpec(
	{
		displayName: 'Result URL',
		placeholder: 'e.g. https://n8n.example.com/webhook/piopiy-keys',
		description:
			"Where Piopiy posts a key pressed while the message is spoken, such as a Piopiy Trigger's Production URL. Needed with an API Token credential (v3 API), which speaks a text while listening for keys.",
	},
	z.unknown(),
);

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
		...speechSpecs('the message'),
		resultUrl: RESULT_URL,
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
	showWhen: { ...MESSAGE_SHOW_WHEN, language: TEXT_ONLY, voice: TEXT_ONLY, speed: TEXT_ONLY, resultUrl: TEXT_ONLY },
	refine: (values, ctx) => ({ ...values, say: readMessage(values, ctx) }),
	build: ({ customerNumber, callerId, repeat, options, say }) => {
		const pcmo: PcmoAction[] = [];
		for (let time = 0; time < repeat; time++) pcmo.push(say);
		pcmo.push({ action: 'hangup' });
		return makeCall(customerNumber, callerId, pcmo, options, `the transaction alert call to ${customerNumber}`);
	},
	apis: {
		...V3_SPEECH_APIS,
		resultUrl: {
			only: 'v3',
			instead: 'v2 speaks the message without listening for keys',
			v3: {
				...RESULT_URL,
				property: {
					...RESULT_URL.property,
					required: true,
					description: "Where Piopiy posts a key pressed while the message is spoken, such as a Piopiy Trigger's Production URL. v3 speaks a text while listening for keys, so it is needed.",
				},
			},
		},
		...MAKE_CALL_APIS,
	},
	v3: (values, ctx, v3) => {
		const options = pcmoOptions(ctx, values.options, v3.raw.options);
		let step: JsonObject | undefined;
		if (values.messageType === 'audio') {
			step = checkParts(ctx, V3_ACTIONS.play, { action: 'play', file_name: values.audioFile }, { file_name: ['audioFile'] }, ['audioFile']);
		} else if (typeof values.resultUrl !== 'string' || values.resultUrl.trim() === '') {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['resultUrl'],
				message:
					"is empty: with an API Token credential (v3 API) Piopiy speaks a text only while listening for keys, and posts any key pressed to this URL; give one, such as a Piopiy Trigger's Production URL",
			});
		} else {
			step = checkParts(
				ctx,
				V3_ACTIONS.play_get_input,
				{
					action: 'play_get_input',
					prompt: sayPrompt(values, values.message),
					input: ['dtmf'],
					on_result: { type: 'url', url: values.resultUrl },
					dtmf: { max_digits: 1, first_digit_timeout: 1 },
				},
				{ ...sayFields('message'), on_result: ['resultUrl'] },
				['message'],
			);
		}
		if (!options || !step) return z.NEVER;
		const pipeline = [...Array.from({ length: values.repeat }, () => step), { action: 'hangup' }];
		return pcmoCallV3(ctx, v3, `the transaction alert call to ${values.customerNumber}`, values, pipeline, {
			options: options.callOptions,
			variables: options.variables,
		});
	},
});
