import { z } from 'zod';

import { optionsSpec, textSpec } from '../../../shared/fields';
import { audioFileKey, PCMO_ACTIONS, type PcmoAction } from '../../../shared/pcmo';

/**
 * What a call says: a text spoken by Piopiy's text to speech, or an .mp3/.wav recording played
 * from a web address or from Piopiy's own file store. Shared by the calls that talk (Transaction
 * Alert, Order Confirmation). The text is checked by the speak or play action's schema
 * (`readMessage`), so its fields take any value here.
 */
export function messageSpecs(text: { textLabel: string; textPlaceholder: string; textDescription: string }) {
	return {
		messageType: optionsSpec({
			displayName: 'Message Type',
			default: 'text',
			description: 'Whether Piopiy speaks a text or plays a recording',
			options: [
				{ name: 'Speak Text', value: 'text', description: 'Piopiy reads the text out (text to speech)' },
				{ name: 'Play Audio File', value: 'audio', description: 'Piopiy plays an .mp3 or .wav recording' },
			],
		}),
		message: textSpec(
			{
				displayName: text.textLabel,
				required: true,
				rows: 3,
				placeholder: text.textPlaceholder,
				description: text.textDescription,
			},
			z.unknown(),
		),
		audioFile: textSpec(
			{
				displayName: 'Audio File',
				required: true,
				placeholder: 'e.g. https://example.com/audio/alert.mp3',
				description:
					'An .mp3 or .wav file: its web address (https://...), or the name of a file uploaded to your Piopiy account',
			},
			z.unknown(),
		),
	};
}

/** Message shows for Speak Text, Audio File for Play Audio File. */
export const MESSAGE_SHOW_WHEN = { message: { messageType: ['text'] }, audioFile: { messageType: ['audio'] } };

interface MessageValues {
	messageType: 'text' | 'audio';
	message?: unknown;
	audioFile?: unknown;
}

/**
 * The speak or play action for the message, checked against its PCMO schema. A problem is
 * reported on the field the user filled in (Message or Audio File), not on the wire key.
 */
export function readMessage(values: MessageValues, ctx: z.RefinementCtx): PcmoAction {
	const [field, parsed] =
		values.messageType === 'audio'
			? [
					'audioFile',
					PCMO_ACTIONS.play.safeParse({
						action: 'play',
						[typeof values.audioFile === 'string' ? audioFileKey(values.audioFile) : 'file_name']: values.audioFile,
					}),
				]
			: ['message', PCMO_ACTIONS.speak.safeParse({ action: 'speak', text: values.message })];
	if (parsed.success) return parsed.data;
	ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: parsed.error.issues[0].message });
	return z.NEVER as never;
}
