import { z } from 'zod';

import { textSpec, type FieldSpec } from '../../../shared/fields';
import { PROMPT_LIMITS } from '../../../shared/v3';
import { decimal } from '../../../shared/v3/checks';
import type { ApiDifference } from '../../operation';

/**
 * How Piopiy's v3 API speaks a text (docs/piopiy-api.md section 7.5): only as the `say` prompt of a
 * play_get_input, which needs a language, a voice and a speed as well as the words. v2's speak
 * action takes the words alone, so these fields are v3's alone (V3_SPEECH_APIS).
 */

/** The speech fields exist in v3 alone; set under v2, each is refused with what v2 does instead. */
export const V3_SPEECH_APIS: Record<string, ApiDifference> = {
	language: { only: 'v3', instead: 'v2 speaks in the language of its default voice' },
	voice: { only: 'v3', instead: 'v2 speaks in its default voice' },
	speed: { only: 'v3', instead: 'v2 speaks at its default speed' },
};

const speed: FieldSpec<number> = {
	property: {
		displayName: 'Speed',
		type: 'number',
		typeOptions: { minValue: PROMPT_LIMITS.speed.min, maxValue: PROMPT_LIMITS.speed.max, numberPrecision: 1 },
		default: 1,
		description: 'How fast the text is spoken: 1 is normal, 0.5 half as fast, 2 twice as fast',
	},
	check: decimal(PROMPT_LIMITS.speed.min, PROMPT_LIMITS.speed.max, 'speech speed'),
	fallback: 1,
};

/** Language, Voice and Speed; checked with the say prompt they go into (`sayPrompt`). */
export function speechSpecs(what: string) {
	return {
		language: textSpec(
			{
				displayName: 'Language',
				default: 'en-US',
				placeholder: 'e.g. en-IN',
				description: `The language ${what} is in, as a code such as en-US, en-IN or hi-IN`,
					},
			z.unknown(),
		),
		voice: textSpec(
			{
				displayName: 'Voice',
				default: 'female',
				placeholder: 'e.g. female',
				description: 'The voice Piopiy speaks with, as your Piopiy account names its voices (such as female or male)',
					},
			z.unknown(),
		),
		speed,
	};
}

export interface SpeechValues {
	language: unknown;
	voice: unknown;
	speed: number;
}

/** A v3 `say` prompt of `text` with the speech fields, checked by the action it goes into. */
export function sayPrompt(values: SpeechValues, text: unknown) {
	return { type: 'say', say: text, language: values.language, voice_id: values.voice, speed: values.speed };
}

/** Where a problem in a say prompt goes: the words on `textField`, the rest on the speech fields. */
export function sayFields(textField: string, at = 'prompt'): Record<string, string[]> {
	return {
		[`${at}.say`]: [textField],
		[`${at}.language`]: ['language'],
		[`${at}.voice_id`]: ['voice'],
		[`${at}.speed`]: ['speed'],
	};
}
