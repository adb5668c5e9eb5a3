import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { numberSpec, relabel, textSpec } from '../../../shared/fields';
import { actionUrl, KEYPRESS, PCMO_ACTIONS, type PcmoAction } from '../../../shared/pcmo';
import { describeValue, kindOf } from '../../../shared/values';
import { V3_ACTIONS, type JsonObject } from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { callerIdSpec, dialledNumberSpec, makeCall, MAKE_CALL_APIS, makeCallOptions } from './makeCall';
import { MESSAGE_SHOW_WHEN, messageSpecs, readMessage } from './message';
import { sayFields, sayPrompt, speechSpecs, V3_SPEECH_APIS } from './speech';
import { checkParts, pcmoCallV3, pcmoOptions, setOptions } from './v3';

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
 *
 * With an API Token credential (v3, docs/piopiy-api.md section 7.5): one play_get_input whose prompt
 * is the text (a `say` prompt, with Language, Voice and Speed) or the recording (a `file` prompt),
 * its on_result the Keypress URL with the extra_params as above, dtmf {max_digits,
 * first_digit_timeout: Timeout}, and retries.max = Max Attempts - 1 (v3 counts the retries after the
 * first prompt: it accepts 0); then the closing message (v3 speaks only inside a play_get_input, so a
 * key pressed during it still reaches the Keypress URL), then hangup. The Extra Params and the
 * order ID also go as the call's variables.
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

/** The Keypress URL with the order's extra_params, or an issue on Extra Params when it grows too long. */
function keypressUrlFor(actionUrl: string, extraParams: IDataObject, ctx: z.RefinementCtx): string | undefined {
	const keypressUrl = withExtraParams(actionUrl, extraParams);
	if (keypressUrl.length <= MAX_URL_LENGTH) return keypressUrl;
	ctx.addIssue({
		code: z.ZodIssueCode.custom,
		path: ['options', 'extraParams'],
		message: `makes the Keypress URL ${keypressUrl.length} characters long (at most ${MAX_URL_LENGTH}): keep Extra Params small`,
	});
	return undefined;
}

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
		...speechSpecs('the prompt and the closing message'),
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
		const keypressUrl = keypressUrlFor(values.actionUrl, extraParams, ctx);
		if (keypressUrl === undefined) return z.NEVER;
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
	apis: { ...V3_SPEECH_APIS, ...MAKE_CALL_APIS },
	v3: (values, ctx, v3) => {
		const extraParams: IDataObject = { ...(values.options.extraParams as IDataObject), [ORDER_ID_KEY]: values.orderId };
		const options = pcmoOptions(ctx, { ...setOptions(values.options, v3.raw.options), extraParams }, { ...(v3.raw.options as object), extraParams });
		const keypressUrl = keypressUrlFor(values.actionUrl, extraParams, ctx);
		if (!options || keypressUrl === undefined) return z.NEVER;
		const onResult = { type: 'url', url: keypressUrl };
		const prompt =
			values.messageType === 'audio' ? { type: 'file', file_name: values.audioFile } : sayPrompt(values, values.message);
		const ask = checkParts(
			ctx,
			V3_ACTIONS.play_get_input,
			{
				action: 'play_get_input',
				prompt,
				input: ['dtmf'],
				on_result: onResult,
				dtmf: { max_digits: values.maxDigits, first_digit_timeout: values.timeout },
				retries: { max: values.attempts - 1 },
			},
			{
				...sayFields('message'),
				'prompt.file_name': ['audioFile'],
				on_result: ['actionUrl'],
				'dtmf.max_digits': ['maxDigits'],
				'dtmf.first_digit_timeout': ['timeout'],
				retries: ['attempts'],
			},
			['message'],
		);
		if (!ask) return z.NEVER;
		const pipeline: JsonObject[] = [ask];
		if (values.closingMessage.trim() !== '') {
			const closing = checkParts(
				ctx,
				V3_ACTIONS.play_get_input,
				{
					action: 'play_get_input',
					prompt: sayPrompt(values, values.closingMessage),
					input: ['dtmf'],
					on_result: onResult,
					dtmf: { max_digits: values.maxDigits, first_digit_timeout: 1 },
				},
				sayFields('closingMessage'),
				['closingMessage'],
			);
			if (!closing) return z.NEVER;
			pipeline.push(closing);
		}
		pipeline.push({ action: 'hangup' });
		return pcmoCallV3(ctx, v3, `the order confirmation call to ${values.customerNumber} (order ${values.orderId})`, values, pipeline, {
			options: options.callOptions,
			variables: options.variables,
		});
	},
});
