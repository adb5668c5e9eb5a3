import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DEFAULT_V3_BASE_URL } from '../../shared/v3/bodies';
import { explainV3 } from './v3';

/**
 * Piopiy's failures translated into errors a workflow builder can act on. Each keeps the HTTP
 * status, Piopiy's own code and message, the retries made and the item index. None is built from
 * the HTTP client's error object: that one carries the request body, and so the App Secret.
 */
export interface PiopiyFailure {
	/** HTTP status, when Piopiy answered at all. */
	httpCode?: number;
	/** `cmi_code` (or `code`) from Piopiy's body. */
	piopiyCode?: number;
	/** Piopiy's own words, when it gave any (secrets already removed). */
	piopiyMessage?: string;
	/** A network-level failure code such as ECONNRESET, ECONNREFUSED or ETIMEDOUT. */
	networkCode?: string;
	/** True when the request may have reached Piopiy, so a call may exist although this failed. */
	mayHaveBeenPlaced: boolean;
	/** What the answer's body was when it was not a JSON object Piopiy would send. */
	answerKind?:
		| 'empty'
		| 'html'
		| 'text'
		| 'json-list'
		| 'json-value'
		| 'too-large'
		| 'undecodable'
		| 'json-without-request-id';
	/** A redirect (3xx): the host it pointed to, when it named a valid one. */
	redirectHost?: string;
	/**
	 * The request could not be sent at all, found before anything left the machine: the credential's
	 * base URL is not a web address, or the body cannot be written as JSON. `problem` says why.
	 */
	unsendable?: 'base-url' | 'body';
	problem?: string;
	/** The run was stopped while the item waited to be sent again after a 429 or a refusal. */
	stoppedBeforeRetry?: boolean;
	/** The seconds waited for an answer, for a timeout. */
	timeoutSeconds?: number;
	/**
	 * How many times this item was sent again after a rate limit or a refused connection: given
	 * for those failures (even 0) and for any failure that came after a retry.
	 */
	retries?: number;
	/** Piopiy asked (Retry-After) to wait this long, more than the node was allowed to wait. */
	retryAfterSeconds?: number;
	/** The Max Retry Wait in force, when a Retry-After was above it. */
	maxRetryWaitSeconds?: number;
	/** An earlier item found Piopiy unreachable after all its retries; this one was not retried. */
	retriesSkipped?: boolean;
	/** For a look-up (call record, live call): what a 404 from Piopiy means, e.g. "no call record for request X". */
	notFound?: string;
	/** False when the request never left (a refused connection): then nothing can have happened. */
	sent?: boolean;
	/** Whether the request places a call (a make-call) or not (hang up, a call record look-up). */
	placesCall?: boolean;
	/** The credential field holding the host the request went to, for hints. */
	baseField?: BaseField;
	/** 'v3': the request went to Piopiy's v3 API with the API token (transport/v3.ts words its failures). */
	api?: 'v3';
	/** The name of the run's credential type ("Piopiy API", "Piopiy Token API"), for hints; "Piopiy API" when left out. */
	credential?: string;
}

/**
 * Network codes for failures that happen before any byte of the request is written: no connection
 * (refused, no such host, no route), or a server certificate refused during the TLS handshake (the
 * request is written only once the handshake is done). A TLS protocol error (EPROTO) is not among
 * them: it may also come after the handshake, when the request may have been sent.
 */
export const NOT_SENT_CODES = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_INVALID_URL',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
];

/**
 * The most of an answer the node reads, after decompression (transport/http.ts). Piopiy's answers
 * are a few hundred bytes; 1 MiB leaves room for any proxy's error page.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/**
 * The longest Max Retry Wait can be set to (requestOptions.ts). A Retry-After past it is not quoted:
 * raising the setting cannot reach it, and a proxy's "99999999999999999999999" would read "1e+23 seconds".
 */
export const MAX_RETRY_WAIT_SECONDS = 3600;
/** Network codes for a request that got no answer in time. */
const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'];

const CHECK_RECORDS =
	'The call may or may not have been placed. Do not simply run this item again: first look for it in the Piopiy dashboard call records (or the call record API), matching on the numbers, the time or the Extra Params.';

/** For requests that place no call (hang up, look-ups), an uncertain outcome harms nothing. */
const SAFE_TO_REPEAT =
	'This request places no call, so the item can safely be run again (a hang-up of a call that has already ended does no harm).';

/** What to do when the outcome of a sent request is unknown. */
const whenUnsure = (failure: PiopiyFailure) => (failure.placesCall === false ? SAFE_TO_REPEAT : CHECK_RECORDS);

const CODE_WORDS: Record<string, string> = {
	empty: 'an empty answer',
	html: 'an HTML page instead of Piopiy’s JSON, usually from a proxy or gateway in between',
	text: 'an answer that is not JSON',
	'json-list': 'a JSON list instead of Piopiy’s JSON object',
	'json-value': 'a single JSON value instead of Piopiy’s JSON object',
	'too-large': `an answer larger than ${MAX_ANSWER_BYTES / (1024 * 1024)} MB, the most the node reads`,
	undecodable: 'a compressed answer that does not decompress',
	'json-without-request-id': 'an answer without a request_id',
};

/** The credential fields that name a host, and the host each names when left empty. */
export const DEFAULT_URLS = {
	'Base URL': 'https://rest.telecmi.com',
	'Call Control Base URL': 'https://piopiy.telecmi.com',
	'V3 Base URL': DEFAULT_V3_BASE_URL,
};
export type BaseField = keyof typeof DEFAULT_URLS;

export function piopiyError(node: INode, failure: PiopiyFailure, itemIndex: number, what: string): NodeApiError {
	const { message, description } = explain(failure, what);
	const details: JsonObject = { message };
	if (failure.httpCode !== undefined) details.httpCode = String(failure.httpCode);
	if (failure.piopiyCode !== undefined) details.piopiyCode = failure.piopiyCode;
	if (failure.piopiyMessage !== undefined) details.piopiyMessage = failure.piopiyMessage;
	if (failure.networkCode !== undefined) details.networkCode = failure.networkCode;
	details.mayHaveBeenPlaced = failure.mayHaveBeenPlaced;
	if (failure.retries !== undefined) details.retries = failure.retries;

	const error = new NodeApiError(node, details, {
		message,
		description,
		httpCode: failure.httpCode !== undefined ? String(failure.httpCode) : undefined,
		itemIndex,
	});
	// NodeApiError swaps any message naming a network code (ECONNRESET, ETIMEDOUT...) for n8n's
	// generic text, which says the request can be retried at once: wrong for a call that may exist.
	error.message = message;
	return error;
}

function explain(failure: PiopiyFailure, what: string): { message: string; description: string } {
	const { httpCode, piopiyCode, piopiyMessage, networkCode, mayHaveBeenPlaced } = failure;
	const said = piopiyMessage ? `: ${piopiyMessage}` : '';
	const codes = [
		httpCode !== undefined ? `HTTP ${httpCode}` : undefined,
		piopiyCode !== undefined ? `Piopiy code ${piopiyCode}` : undefined,
		failure.answerKind ? CODE_WORDS[failure.answerKind] : undefined,
	]
		.filter(Boolean)
		.join(', ');
	const code = piopiyCode ?? httpCode;
	const tries = triesNote(failure);
	const baseField = failure.baseField ?? 'Base URL';
	const credential = `${failure.credential ?? 'Piopiy API'} credential`;
	const withTries = (text: string) => (tries ? `${text} ${tries}` : text);

	if (failure.unsendable === 'base-url') {
		return {
			message: `Invalid ${baseField} in the ${credential}: ${failure.problem}`,
			description: `Nothing was sent, so no call was placed. Set the ${baseField} to Piopiy's address (${DEFAULT_URLS[baseField]}) or your proxy's, then run the item again.`,
		};
	}
	if (failure.unsendable === 'body') {
		return {
			message: `The request for ${what} cannot be written as JSON`,
			description:
				'It holds a value JSON cannot carry: a BigInt, an object that contains itself, or nesting deeper than JSON can be written. Nothing was sent, so no call was placed. Check the fields filled by expressions, such as Options > Extra Params.',
		};
	}
	if (networkCode === 'ERR_CANCELED' && failure.stoppedBeforeRetry) {
		const tries = (failure.retries ?? 0) + 1;
		return {
			message: `The run was stopped before ${what} was sent again`,
			description: `Piopiy had answered the item's ${tries === 1 ? 'only try' : `${tries} tries`} with a rate limit or a refused connection, neither of which places a call, and the run was stopped while it waited to send it again: no call was placed, and the item can safely be run again.`,
		};
	}
	if (networkCode && TIMEOUT_CODES.includes(networkCode)) {
		return {
			message: `No answer from Piopiy within ${seconds(failure.timeoutSeconds)} for ${what}`,
			description: withTries(
				`The request was sent but Piopiy did not answer in time, so it was not retried. ${whenUnsure(failure)} If Piopiy is often this slow, raise Request Options > Timeout.`,
			),
		};
	}
	if (networkCode === 'ERR_CANCELED' && failure.sent === false) {
		// Stopped while it waited for its turn (Max Calls per Second, or a pause after a 429).
		return {
			message: `The run was stopped before ${what} was sent`,
			description: 'Nothing was sent, so no call was placed, and the item can safely be run again.',
		};
	}
	if (networkCode === 'ERR_CANCELED') {
		return {
			message: `The run was stopped while waiting for Piopiy's answer for ${what}`,
			description: withTries(whenUnsure(failure)),
		};
	}
	if (networkCode && failure.sent === false) {
		const skipped = failure.retriesSkipped
			? ' It was not retried because an earlier item already found Piopiy unreachable after all its retries.'
			: '';
		return {
			message: `Could not connect to Piopiy for ${what} (${networkCode})`,
			description: withTries(
				`Nothing was sent, so no call was placed and the item can safely be run again.${skipped} Check the ${baseField} in the ${credential} and the network.`,
			),
		};
	}
	if (networkCode) {
		return {
			message: `The connection to Piopiy broke before it answered for ${what} (${networkCode})`,
			description: withTries(`The request was sent, so it was not retried. ${whenUnsure(failure)}`),
		};
	}
	if (httpCode !== undefined && httpCode >= 300 && httpCode < 400) {
		const where = failure.redirectHost ? ` to ${failure.redirectHost} (HTTP ${httpCode})` : ` (HTTP ${httpCode}) that names no address`;
		return {
			message: `Piopiy answered ${what} with a redirect${where}, which the node does not follow`,
			description: withTries(
				`The node never follows a redirect: it would send the request, App Secret included, wherever the answer points. Piopiy's API does not redirect; a redirect comes from a server or proxy at the ${baseField}, for instance one moving http:// to https:// or an old address to a new one. Check the ${baseField} in the ${credential} (${DEFAULT_URLS[baseField]} for Piopiy itself). ${
					failure.placesCall === false
						? SAFE_TO_REPEAT
						: `The request reached a server in full before the redirect came back, so it may have acted on it. ${CHECK_RECORDS}`
				}`,
			),
		};
	}
	if (code === 429) {
		const pace = 'a lower Max Requests in Flight, a Max Calls per Second, or more Rate Limit Retries';
		if (failure.retryAfterSeconds !== undefined && failure.retryAfterSeconds > MAX_RETRY_WAIT_SECONDS) {
			return {
				message: `Piopiy is limiting the request rate and asked to wait longer than Max Retry Wait (${seconds(failure.maxRetryWaitSeconds)}) for ${what} (${codes}${said})`,
				description: withTries(
					`That is more than ${seconds(MAX_RETRY_WAIT_SECONDS)}, the longest Max Retry Wait can be, so the node did not wait. Piopiy refused the request: no call was placed and the item can safely be run again. Slow down with Request Options: ${pace}.`,
				),
			};
		}
		if (failure.retryAfterSeconds !== undefined) {
			return {
				message: `Piopiy is limiting the request rate and asked to wait ${seconds(failure.retryAfterSeconds)} for ${what} (${codes}${said})`,
				description: withTries(
					`That is longer than Request Options > Max Retry Wait (${seconds(failure.maxRetryWaitSeconds)}), so the node did not wait. Piopiy refused the request: no call was placed and the item can safely be run again. Raise Max Retry Wait, or slow down with ${pace}.`,
				),
			};
		}
		return {
			message: `Piopiy is limiting the request rate for ${what} (${codes}${said})`,
			description: withTries(
				`Piopiy refused the request: no call was placed and the item can safely be run again. Slow down with Request Options: ${pace}.`,
			),
		};
	}
	const v3 = failure.api === 'v3' ? explainV3(failure, what, `${codes}${said}`, withTries, credential) : undefined;
	if (v3) return v3;
	if (code === 401 || code === 403 || code === 407 || code === 420) {
		return {
			message: `Piopiy rejected the App ID or App Secret (${codes}${said})`,
			description: withTries(
				'Check the App ID and App Secret in the Piopiy API credential (Piopiy dashboard > Apps). No call was placed.',
			),
		};
	}
	if (failure.notFound && (httpCode === 404 || piopiyCode === 404)) {
		return {
			message: `Piopiy has ${failure.notFound} (${codes}${said})`,
			description: withTries(
				'Check the ID and where it comes from. A call record exists only once the call has ended. Piopiy\'s call-control API also answers 404 to a wrong App ID or App Secret, and a wrong Call Control Base URL in the credential gives one too.',
			),
		};
	}
	if (httpCode === 404) {
		return {
			message: `Piopiy has no such endpoint (${codes}${said})`,
			description: withTries(
				failure.baseField === 'Call Control Base URL'
					? 'Check the Call Control Base URL in the Piopiy API credential: it should be https://piopiy.telecmi.com unless you use a proxy. Nothing was changed.'
					: 'Check the Base URL in the Piopiy API credential: it should be https://rest.telecmi.com unless you use a proxy. No call was placed.',
			),
		};
	}
	if (mayHaveBeenPlaced && httpCode !== undefined && httpCode >= 500) {
		return {
			message: `Piopiy's server failed while handling ${what} (${codes}${said})`,
			description: withTries(`A server error is not retried, because the call is not safe to place twice. ${CHECK_RECORDS}`),
		};
	}
	if (failure.placesCall === false && httpCode !== undefined && httpCode >= 500) {
		return {
			message: `Piopiy's server failed while handling ${what} (${codes}${said})`,
			description: withTries(SAFE_TO_REPEAT),
		};
	}
	if (mayHaveBeenPlaced && failure.answerKind === undefined) {
		return {
			message: `Piopiy reported an internal error for ${what} (${codes}${said})`,
			description: withTries(CHECK_RECORDS),
		};
	}
	if (code !== undefined && code >= 400) {
		return {
			message: `Piopiy refused ${what} (${codes}${said})`,
			description: withTries(
				'Piopiy did not accept a number or an option of this request, so no call was placed. Check the numbers (country code first) and the options against what your Piopiy plan allows.',
			),
		};
	}
	return {
		message: `Piopiy's answer for ${what} could not be understood (${codes}${said})`,
		description: withTries(
			mayHaveBeenPlaced ? CHECK_RECORDS : 'The request was not acted on. Try again later or report it to Piopiy support.',
		),
	};
}

function triesNote({ retries }: PiopiyFailure): string {
	if (!retries) return '';
	return `The item was tried ${retries + 1} times: ${retries} ${retries === 1 ? 'retry' : 'retries'} after a rate limit or a refused connection, neither of which places a call.`;
}

function seconds(count: number | undefined): string {
	if (count === undefined) return 'the time allowed';
	return `${count} ${count === 1 ? 'second' : 'seconds'}`;
}
