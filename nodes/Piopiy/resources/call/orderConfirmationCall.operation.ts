import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { numberSpec, relabel, textSpec } from '../../../shared/fields';
import { actionUrl, KEYPRESS, PCMO_ACTIONS, type PcmoAction } from '../../../shared/pcmo';
import { describeValue, kindOf } from '../../../shared/values';
import { defineOperation } from '../../operation';
import { callerIdSpec, dialledNumberSpec, makeCall, makeCallOptions } from './makeCall';
import { MESSAGE_SHOW_WHEN, messageSpecs, readMessage } from './message';

/**
 * Order Confirmation Call: Piopiy dials the customer, says (or plays) the prompt and collects the
 * key they press; Piopiy posts the digits to the Keypress URL, typically a Piopiy Trigger that marks
 * the order. The order ID travels twice: in `extra_params` (Piopiy hands it back in the call record
 * and live events) and as an `extra_params` query parameter on the Keypress URL, because Piopiy's
 * keypress post carries only {from, to, dtmf, cmuuid} (docs/piopiy-api.md#6-webhooks). The Piopiy
 * Trigger reads it from there, so the digit arrives already matched to its order.
 *
 * On the wire, for a spoken prompt: [speak, input] x Max Attempts, [speak closing], hangup.
 * For a recording: play_get_input (which replays it max_retry times itself), [speak closing], hangup.
 */

/** The key the order ID is stored under, in extra_params. */
export const ORDER_ID_KEY = 'order_id';
const MAX_URL_LENGTH = 2000;

const orderId = z.unknown().transform((value, ctx): string => {
	const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
	if (typeof text !== 'string') {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${describeValue(value)} is ${kindOf(value)}, not an order ID` });
		return z.NEVER;
	}
	if (text.trim() === '') {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${describeValue(value)} is empty: the order ID is needed to match the answer to the order` });
		return z.NEVER;
	}
	return text.trim();
});

/** The Keypress URL with the call's extra_params added as a query parameter (replacing one already there). */
export function withExtraParams(url: string, extraParams: IDataObject): string {
	const parsed = new URL(url);
	parsed.searchParams.set('extra_params', JSON.stringify(extraParams));
	return parsed.toString();
}

export const operation = defineOperation({
	value: 'orderConfirmationCall',
	name: 'Order Confirmation Call',
	action: 'Place order confirmation call',
	description: 'Call a customer, read out the order and collect the key they press to confirm or cancel it',
	fields: {
		customerNumber: dialledNumberSpec("The customer's number, with country code"),
		callerId: callerIdSpec('Your Piopiy number, shown to the person called'),
		orderId: textSpec(
			{
				displayName: 'Order ID',
				required: true,
				placeholder: 'e.g. {{ $json.order_id }}',
				description:
					'Your order number. It is sent to Piopiy as extra_params.order_id and comes back with the keypress, so the answer can be matched to the order.',
			},
			orderId,
		),
		...messageSpecs({
			textLabel: 'Prompt',
			textPlaceholder:
				'e.g. Hello {{ $json.name }}, please confirm your order of Rs {{ $json.total }}. Press 1 to confirm, or 2 to cancel.',
			textDescription: 'What Piopiy says before waiting for a key. Tell the customer which key does what.',
		}),
		actionUrl: textSpec(
			{
				displayName: 'Keypress URL',
				required: true,
				placeholder: 'e.g. https://n8n.example.com/webhook/piopiy-orders?token=...',
				description:
					'Where Piopiy posts the key pressed: the Production URL of a Piopiy Trigger that listens for Keypress events. Include its ?token=... if it checks one.',
			},
			actionUrl,
		),
		maxDigits: KEYPRESS.maxDigit,
		timeout: relabel(KEYPRESS.timeout, { description: 'How long Piopiy waits for a key after the prompt' }),
		attempts: numberSpec({
			displayName: 'Max Attempts',
			min: 1,
			max: 5,
			default: 2,
			unit: 'attempts',
			description: 'How many times the prompt is given when no key is pressed',
		}),
		closingMessage: textSpec(
			{
				displayName: 'Closing Message',
				placeholder: 'e.g. We did not receive your answer. Goodbye.',
				description:
					'Said when no key was pressed after the last attempt, before Piopiy hangs up. Leave empty to hang up at once.',
			},
			z.unknown().transform((value) => (typeof value === 'string' ? value : '')),
		),
		options: makeCallOptions,
	},
	showWhen: MESSAGE_SHOW_WHEN,
	refine: (values, ctx) => {
		const prompt = readMessage(values, ctx);
		const extraParams: IDataObject = { ...(values.options.extraParams as IDataObject), [ORDER_ID_KEY]: values.orderId };
		const keypressUrl = withExtraParams(values.actionUrl, extraParams);
		if (keypressUrl.length > MAX_URL_LENGTH) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['options', 'extraParams'],
				message: `makes the Keypress URL ${keypressUrl.length} characters long (at most ${MAX_URL_LENGTH}): keep Extra Params small`,
			});
			return z.NEVER;
		}
		let closing: PcmoAction | undefined;
		if (values.closingMessage.trim() !== '') {
			const parsed = PCMO_ACTIONS.speak.safeParse({ action: 'speak', text: values.closingMessage });
			if (!parsed.success) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['closingMessage'], message: parsed.error.issues[0].message });
				return z.NEVER;
			}
			closing = parsed.data;
		}
		return { ...values, prompt, extraParams, keypressUrl, closing };
	},
	build: (values) => {
		const keypress = { action_url: values.keypressUrl, max_digit: values.maxDigits };
		const pcmo: PcmoAction[] = [];
		if (values.prompt.action === 'play') {
			const file = values.prompt.file_url !== undefined ? 'file_url' : 'file_name';
			pcmo.push({
				action: 'play_get_input',
				[file]: values.prompt[file],
				...keypress,
				max_retry: values.attempts,
				timeout: values.timeout,
			});
		} else {
			for (let attempt = 0; attempt < values.attempts; attempt++) {
				pcmo.push(values.prompt, { action: 'input', ...keypress, timeout: values.timeout });
			}
		}
		if (values.closing) pcmo.push(values.closing);
		pcmo.push({ action: 'hangup' });

		return makeCall(
			values.customerNumber,
			values.callerId,
			pcmo,
			{ ...values.options, extraParams: values.extraParams },
			`the order confirmation call to ${values.customerNumber} (order ${values.orderId})`,
		);
	},
});
