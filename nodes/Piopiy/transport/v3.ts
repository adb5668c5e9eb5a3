import type { IDataObject } from 'n8n-workflow';

import type { PiopiyFailure } from './errors';
import type { Attempt } from './http';

/**
 * Piopiy's v3 answers (docs/piopiy-api.md section 7.7): not documented. What is known comes from
 * its Python SDK's tests, `200 {"message": "call_queued"}` for a call, `{"message": "queued"}` for
 * a hang-up or transfer and `403 {"error": "app_not_active"}` for a refusal, and from its client,
 * which reads the text of an error from `message` or `error`. The tolerant reading:
 * - the HTTP status decides: a 2xx is accepted, and its JSON is the item as received (whether a
 *   call's answer has a `call_id` is not known, so nothing is demanded: no `request_id` or
 *   `cmi_code` as in v2);
 * - a 2xx whose JSON has an `error` text is a refusal that came inside a 2xx;
 * - a 2xx with an empty body is accepted, with an empty item (a hang-up may well answer so);
 * - a 2xx with HTML or other text is not Piopiy's JSON (a proxy's page): unknown outcome, as in v2.
 * 429s and network failures are handled before this, the same for both generations (http.ts).
 */
export function readV3Answer(
	httpCode: number,
	body: IDataObject | undefined,
	answerKind: PiopiyFailure['answerKind'],
	placesCall: boolean,
): Attempt {
	const piopiyMessage = messageOf(body);
	if (httpCode >= 200 && httpCode < 300) {
		if (body === undefined) {
			if (answerKind === 'empty') return { ok: true, body: {} };
			return { ok: false, failure: { httpCode, answerKind, mayHaveBeenPlaced: placesCall, api: 'v3' } };
		}
		if (typeof body.error === 'string' && body.error.trim() !== '') {
			return { ok: false, failure: { httpCode, piopiyMessage, mayHaveBeenPlaced: false, api: 'v3' } };
		}
		return { ok: true, body };
	}
	return {
		ok: false,
		failure: { httpCode, piopiyMessage, answerKind, mayHaveBeenPlaced: placesCall && httpCode >= 500, api: 'v3' },
	};
}

/** "app_not_active: The app of this token is not active": v3's `error` code and `message` text, whichever are given. */
function messageOf(body: IDataObject | undefined): string | undefined {
	const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
	const error = text(body?.error);
	const message = text(body?.message) ?? text(body?.msg);
	const joined = error && message && error !== message ? `${error}: ${message}` : (error ?? message);
	return joined?.slice(0, 300);
}

/**
 * The v3 wording of the failures whose fix differs from v2's: the credential (the API token, not
 * the App ID and App Secret) and the host (the V3 Base URL). Others are worded as for v2
 * (errors.ts). `answer` is "HTTP 401: invalid_token: ..." as the message shows it; `credential` names
 * the run's credential ("Piopiy Token API credential").
 */
export function explainV3(
	failure: PiopiyFailure,
	what: string,
	answer: string,
	withTries: (text: string) => string,
	credential: string,
): { message: string; description: string } | undefined {
	const { httpCode, piopiyMessage = '' } = failure;
	// readV3Answer fails a 2xx only for an `error` in its JSON (or for no JSON, with answerKind set).
	const refusedIn2xx = httpCode !== undefined && httpCode >= 200 && httpCode < 300 && failure.answerKind === undefined;
	const aboutToken = /token|unauthori[sz]ed|forbidden/i.test(piopiyMessage);
	const aboutApp = /app_not_active|not active/i.test(piopiyMessage);
	if (httpCode === 401 || (refusedIn2xx && aboutToken && !aboutApp)) {
		return {
			message: `Piopiy rejected the API Token (${answer})`,
			description: withTries(
				`Check the API Token in the ${credential}: copy it again from the Piopiy dashboard, without spaces. No call was placed.`,
			),
		};
	}
	if (httpCode === 403 || (refusedIn2xx && aboutApp)) {
		return {
			message: `Piopiy refused the API Token for ${what} (${answer})`,
			description: withTries(
				`Check the API Token in the ${credential}, and that its app is active in the Piopiy dashboard. For calls that name the app, the credential's App ID must be that app's. No call was placed.`,
			),
		};
	}
	if (refusedIn2xx) {
		return {
			message: `Piopiy refused ${what} (${answer})`,
			description: withTries(
				'Piopiy answered with an error, so no call was placed. Check the numbers (country code first) and the options against what your Piopiy plan allows.',
			),
		};
	}
	if (httpCode === 404 && !failure.notFound) {
		return {
			message: `Piopiy has no such endpoint (${answer})`,
			description: withTries(
				`Check the V3 Base URL in the ${credential}: it should be https://rest.piopiy.com/v3 (with /v3) unless you use a proxy. No call was placed.`,
			),
		};
	}
	return undefined;
}
