import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { NOT_SENT_CODES, piopiyError, type PiopiyFailure } from './errors';
import { secretRedactor } from './redact';

export const DEFAULT_BASE_URL = 'https://rest.telecmi.com';
/** Piopiy's v1 call-control API (hang up, call records) lives on its own host. */
export const DEFAULT_CALL_CONTROL_URL = 'https://piopiy.telecmi.com';

/** A request ready to be sent: the path under the credential's base URL, the JSON body, and what it does. */
export interface PiopiyRequest {
	path: string;
	/** Which host serves the path: the REST API (v2, the default) or call control (v1). */
	base?: 'rest' | 'callControl';
	/** For a look-up: what a 404 from Piopiy means, e.g. "no call record for request X". */
	notFound?: string;
	body: IDataObject;
	/** Words for error messages, e.g. "the call to 919876543210". */
	what: string;
	/** Whether the request places a call: a failure after sending it may have placed one anyway. */
	placesCall: boolean;
}

/**
 * What every request of one run shares. A rate limit or a refused connection pauses all of them
 * (Piopiy's limit is per account, not per item), and once an item has found Piopiy unreachable
 * after all its retries, later items stop spending their own retries on it until Piopiy answers.
 */
export interface RunPace {
	/** No request is sent before this time (ms since the epoch). */
	resumeAt: number;
	/** An item ran out of retries on a refused connection and nothing has answered since. */
	unreachable: boolean;
	/** Items that needed at least one retry, and the retries made in all (for the run's hint). */
	retriedItems: number;
	retries: number;
}

/** How requests are sent: the run's Request Options plus the state the run's requests share. */
export interface RequestPolicy {
	timeoutSeconds: number;
	/** Retries after a rate limit (429) or a refused connection; nothing else is ever retried. */
	retries: number;
	/** First wait when Piopiy gives no Retry-After; doubles with each retry. */
	retryWaitMs: number;
	/** Longest single wait; a longer Retry-After fails the item at once. */
	maxRetryWaitSeconds: number;
	pace: RunPace;
}

export const REQUEST_DEFAULTS = { timeoutSeconds: 30, retries: 3, retryWaitMs: 1000, maxRetryWaitSeconds: 60 };

export function newRunPace(): RunPace {
	return { resumeAt: 0, unreachable: false, retriedItems: 0, retries: 0 };
}

/** One attempt's outcome: Piopiy's answer, or a failure and whether it may be retried. */
type Attempt =
	| { ok: true; body: IDataObject }
	| { ok: false; failure: PiopiyFailure; retryable?: 'rate-limit' | 'refused'; retryAfterMs?: number };

interface PiopiyCredentials {
	appId?: unknown;
	appSecret?: unknown;
	baseUrl?: string;
	callControlBaseUrl?: string;
}

/**
 * Every request to Piopiy goes through here. It sends the JSON body with the credential applied,
 * never throws the HTTP client's own error (which holds the secret), removes the credential from
 * anything Piopiy echoes back, and treats an error code inside an HTTP 200 body as the error it is.
 *
 * Only failures that cannot have placed a call are retried: a 429 (Piopiy refused to look at the
 * request) and a refused connection (nothing was sent). A timeout, a dropped connection or a 5xx
 * may have placed the call, and a call is not idempotent, so those are reported, never re-sent.
 */
export async function piopiyApiRequest(
	this: IExecuteFunctions,
	request: PiopiyRequest,
	itemIndex: number,
	policy: RequestPolicy = { ...REQUEST_DEFAULTS, pace: newRunPace() },
): Promise<IDataObject> {
	const credentials = await this.getCredentials<PiopiyCredentials>('piopiyApi', itemIndex);
	const baseURL = (
		request.base === 'callControl'
			? credentials.callControlBaseUrl || DEFAULT_CALL_CONTROL_URL
			: credentials.baseUrl || DEFAULT_BASE_URL
	)
		.trim()
		.replace(/\/+$/, '');
	const redact = secretRedactor(credentials.appId, credentials.appSecret);
	const signal = this.getExecutionCancelSignal?.();
	const { pace } = policy;

	let retries = 0;
	let retryable = false;
	const fail = (failure: PiopiyFailure) =>
		piopiyError(
			this.getNode(),
			{
				...(retries > 0 || retryable ? { ...failure, retries } : failure),
				notFound: request.notFound,
				placesCall: request.placesCall,
				baseField: request.base === 'callControl' ? 'Call Control Base URL' : 'Base URL',
			},
			itemIndex,
			request.what,
		);

	for (;;) {
		try {
			await waitForTurn(pace, signal);
		} catch {
			throw fail({ networkCode: 'ERR_CANCELED', mayHaveBeenPlaced: false });
		}

		const attempt = await sendOnce.call(this, request, baseURL, policy.timeoutSeconds, redact);
		if (attempt.ok || attempt.retryable !== 'refused') pace.unreachable = false;
		if (attempt.ok) return attempt.body;

		const { failure } = attempt;
		retryable = attempt.retryable !== undefined;
		if (!attempt.retryable) throw fail(failure);
		if (attempt.retryable === 'refused' && pace.unreachable && policy.retries > 0) {
			throw fail({ ...failure, retriesSkipped: true });
		}
		if (retries >= policy.retries) {
			if (attempt.retryable === 'refused') pace.unreachable = true;
			throw fail(failure);
		}

		let waitMs: number;
		if (attempt.retryAfterMs !== undefined) {
			if (attempt.retryAfterMs > policy.maxRetryWaitSeconds * 1000) {
				throw fail({
					...failure,
					retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000),
					maxRetryWaitSeconds: policy.maxRetryWaitSeconds,
				});
			}
			waitMs = attempt.retryAfterMs;
		} else {
			// Doubling, capped; the random half keeps concurrent items from retrying in lockstep.
			const ceiling = Math.min(policy.maxRetryWaitSeconds * 1000, policy.retryWaitMs * 2 ** retries);
			waitMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
		}
		pace.resumeAt = Math.max(pace.resumeAt, Date.now() + waitMs);
		if (retries === 0) pace.retriedItems++;
		pace.retries++;
		retries++;
	}
}

/** Waits until the run may send again (after a rate limit or a refusal); ends early if the run is cancelled. */
async function waitForTurn(pace: RunPace, signal: AbortSignal | undefined): Promise<void> {
	if (signal?.aborted) throw new Error('cancelled');
	for (let wait = pace.resumeAt - Date.now(); wait > 0; wait = pace.resumeAt - Date.now()) {
		await sleep(wait, signal);
	}
}

async function sendOnce(
	this: IExecuteFunctions,
	request: PiopiyRequest,
	baseURL: string,
	timeoutSeconds: number,
	redact: (value: unknown) => unknown,
): Promise<Attempt> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'piopiyApi', {
			method: 'POST',
			baseURL,
			url: request.path,
			headers: { Accept: 'application/json' },
			body: request.body,
			json: true,
			timeout: timeoutSeconds * 1000,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		// Only the code is taken from the client's error: its request config holds the secret.
		const networkCode = networkCodeOf(error);
		const sent = !NOT_SENT_CODES.includes(networkCode);
		return {
			ok: false,
			failure: { networkCode, sent, mayHaveBeenPlaced: sent && request.placesCall, timeoutSeconds },
			retryable: networkCode === 'ECONNREFUSED' || networkCode === 'EAI_AGAIN' ? 'refused' : undefined,
		};
	}

	const httpCode = response.statusCode;
	const body = redact(asJsonObject(response.body)) as IDataObject | undefined;
	const piopiyCode = codeOf(body);
	const piopiyMessage = messageOf(body);
	const success = httpCode >= 200 && httpCode < 300;

	// Piopiy looked at nothing: no call exists, so the same request may be sent again.
	if (httpCode === 429 || (success && piopiyCode === 429)) {
		return {
			ok: false,
			failure: { httpCode, piopiyCode, piopiyMessage, mayHaveBeenPlaced: false },
			retryable: 'rate-limit',
			retryAfterMs: retryAfterMs(response.headers),
		};
	}
	const answerKind = body === undefined ? kindOfAnswer(response) : undefined;
	if (!success) {
		return {
			ok: false,
			failure: { httpCode, piopiyCode, piopiyMessage, answerKind, mayHaveBeenPlaced: request.placesCall && httpCode >= 500 },
		};
	}
	if (piopiyCode !== undefined && piopiyCode !== 200) {
		// 501 and 502 are Piopiy's documented "property missing / invalid": refused, nothing placed.
		const internal = piopiyCode >= 500 && piopiyCode !== 501 && piopiyCode !== 502;
		return {
			ok: false,
			failure: { httpCode, piopiyCode, piopiyMessage, mayHaveBeenPlaced: request.placesCall && internal },
		};
	}
	if (body === undefined) {
		return { ok: false, failure: { httpCode, answerKind, mayHaveBeenPlaced: request.placesCall } };
	}
	// A placed call always comes back with its request_id; without one there is nothing to check
	// the call by, so the answer cannot be taken as a success.
	if (request.placesCall && requestIdOf(body) === undefined) {
		return {
			ok: false,
			failure: { httpCode, piopiyCode, piopiyMessage, answerKind: 'json-without-request-id', mayHaveBeenPlaced: true },
		};
	}
	return { ok: true, body };
}

function asJsonObject(body: unknown): IDataObject | undefined {
	let value = body;
	if (typeof value === 'string' || Buffer.isBuffer(value)) {
		try {
			value = JSON.parse(value.toString());
		} catch {
			return undefined;
		}
	}
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function kindOfAnswer(response: IN8nHttpFullResponse): PiopiyFailure['answerKind'] {
	const raw = response.body;
	const text = typeof raw === 'string' || Buffer.isBuffer(raw) ? raw.toString() : raw == null ? '' : 'x';
	if (text.trim() === '') return 'empty';
	const type = String(header(response.headers, 'content-type') ?? '');
	return type.includes('html') || /^\s*</.test(text) ? 'html' : 'text';
}

/** Piopiy reports its result as `cmi_code`; some of its pages show `code` instead. */
function codeOf(body: IDataObject | undefined): number | undefined {
	const code = body?.cmi_code ?? body?.code;
	const number = typeof code === 'string' && code.trim() !== '' ? Number(code) : code;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function messageOf(body: IDataObject | undefined): string | undefined {
	const data = body?.data as IDataObject | undefined;
	for (const candidate of [body?.message, body?.msg, body?.error, data?.message, data?.msg]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim().slice(0, 300);
	}
	return undefined;
}

/** The vendor shows request_id at the top level and, on some pages, inside `data`. */
function requestIdOf(body: IDataObject): string | undefined {
	const data = body.data as IDataObject | undefined;
	for (const candidate of [body.request_id, data && typeof data === 'object' ? data.request_id : undefined]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
	}
	return undefined;
}

function header(headers: IN8nHttpFullResponse['headers'] | undefined, name: string): unknown {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(headers: IN8nHttpFullResponse['headers'] | undefined): number | undefined {
	const value = header(headers, 'retry-after');
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkCodeOf(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		// axios reports its own timeout as ECONNABORTED "timeout of N ms exceeded".
		if (typeof message === 'string' && /^timeout of \d+ms exceeded/.test(message)) return 'ETIMEDOUT';
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return 'NETWORK_ERROR';
}
