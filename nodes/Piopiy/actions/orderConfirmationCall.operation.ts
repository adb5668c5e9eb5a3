import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { actionUrl, LIMITS, PCMO_ACTIONS, type PcmoAction } from '../../shared/pcmo';
import { phoneNumber } from '../../shared/phoneNumber';
import { describeValue, kindOf, oneOf, wholeNumber } from '../../shared/values';
import type { PiopiyRequest } from '../transport';
import { readParameters } from '../validation';
import { dialledNumberFields, pcmoCall, pcmoCallOptionsDescription, pcmoCallOptionsSchema } from './callOptions';
import { messageFields, readMessage } from './message';

/**
 * Order Confirmation Call: Piopiy dials the customer, says (or plays) the prompt and collects the
 * key they press; Piopiy posts the digits to the Keypress URL, typically a Piopiy Trigger that marks
 * the order. The order ID travels twice: in `extra_params` (Piopiy hands it back in the call record
 * and live events) and as an `extra_params` query parameter on the Keypress URL, because Piopiy's
 * keypress post carries only {from, to, dtmf, cmuuid}. The Piopiy Trigger reads it from there, so
 * the digit arrives already matched to its order.
 *
 * On the wire, for a spoken prompt: [speak, input] x Max Attempts, [speak closing], hangup.
 * For a recording: play_get_input (which replays it max_retry times itself), [speak closing], hangup.
 */
const OPERATION = 'orderConfirmationCall';
const show = { show: { operation: [OPERATION] } };

/** The key the order ID is stored under, in extra_params. */
export const ORDER_ID_KEY = 'order_id';
export const MAX_ATTEMPTS = 5;
const MAX_URL_LENGTH = 2000;

export const description: INodeProperties[] = [
	...dialledNumberFields(OPERATION, "The customer's number, with country code"),
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.order_id }}',
		description:
			'Your order number. It is sent to Piopiy as extra_params.order_id and comes back with the keypress, so the answer can be matched to the order.',
		displayOptions: show,
	},
	...messageFields(OPERATION, {
		textLabel: 'Prompt',
		textPlaceholder:
			'e.g. Hello {{ $json.name }}, please confirm your order of Rs {{ $json.total }}. Press 1 to confirm, or 2 to cancel.',
		textDescription: 'What Piopiy says before waiting for a key. Tell the customer which key does what.',
	}),
	{
		displayName: 'Keypress URL',
		name: 'actionUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/piopiy-orders?token=...',
		description:
			'Where Piopiy posts the key pressed: the Production URL of a Piopiy Trigger that listens for Keypress events. Include its ?token=... if it checks one.',
		displayOptions: show,
	},
	{
		displayName: 'Max Digits',
		name: 'maxDigits',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: LIMITS.maxDigit },
		default: 1,
		description: 'How many keys to collect',
		displayOptions: show,
	},
	{
		displayName: 'Wait for Key (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: LIMITS.inputTimeout },
		default: 5,
		description: 'How long Piopiy waits for a key after the prompt',
		displayOptions: show,
	},
	{
		displayName: 'Max Attempts',
		name: 'attempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_ATTEMPTS },
		default: 2,
		description: 'How many times the prompt is given when no key is pressed',
		displayOptions: show,
	},
	{
		displayName: 'Closing Message',
		name: 'closingMessage',
		type: 'string',
		default: '',
		placeholder: 'e.g. We did not receive your answer. Goodbye.',
		description: 'Said when no key was pressed after the last attempt, before Piopiy hangs up. Leave empty to hang up at once.',
		displayOptions: show,
	},
	pcmoCallOptionsDescription([OPERATION]),
];

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

const parameters = z.object({
	customerNumber: phoneNumber,
	callerId: phoneNumber,
	orderId,
	messageType: oneOf(['text', 'audio']).default('text'),
	message: z.unknown(),
	audioFile: z.unknown(),
	actionUrl,
	maxDigits: wholeNumber(1, LIMITS.maxDigit, 'digits').default(1),
	timeout: wholeNumber(1, LIMITS.inputTimeout, 'seconds').default(5),
	attempts: wholeNumber(1, MAX_ATTEMPTS, 'attempts').default(2),
	closingMessage: z.unknown().transform((value) => (typeof value === 'string' ? value : '')),
	options: pcmoCallOptionsSchema,
});

/** The Keypress URL with the call's extra_params added as a query parameter (replacing one already there). */
export function withExtraParams(url: string, extraParams: IDataObject): string {
	const parsed = new URL(url);
	parsed.searchParams.set('extra_params', JSON.stringify(extraParams));
	return parsed.toString();
}

export function buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest {
	const values = readParameters(
		this,
		itemIndex,
		description,
		parameters.transform((values, ctx) => {
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
		}),
	);

	const pcmo: PcmoAction[] = [];
	if (values.prompt.action === 'play') {
		const file = values.prompt.file_url !== undefined ? 'file_url' : 'file_name';
		pcmo.push({
			action: 'play_get_input',
			[file]: values.prompt[file],
			action_url: values.keypressUrl,
			max_digit: values.maxDigits,
			max_retry: values.attempts,
			timeout: values.timeout,
		});
	} else {
		for (let attempt = 0; attempt < values.attempts; attempt++) {
			pcmo.push(values.prompt, {
				action: 'input',
				action_url: values.keypressUrl,
				max_digit: values.maxDigits,
				timeout: values.timeout,
			});
		}
	}
	if (values.closing) pcmo.push(values.closing);
	pcmo.push({ action: 'hangup' });

	return pcmoCall(
		values.customerNumber,
		values.callerId,
		pcmo,
		{ ...values.options, extraParams: values.extraParams },
		`the order confirmation call to ${values.customerNumber} (order ${values.orderId})`,
	);
}
