import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { piopiyError, type PiopiyFailure } from './errors';
import { sendOnce } from './http';
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

export function newRunPace(): RunPace {
	return { resumeAt: 0, unreachable: false, retriedItems: 0, retries: 0 };
}

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
	policy: RequestPolicy,
): Promise<IDataObject> {
	const credentials = await this.getCredentials<PiopiyCredentials>('piopiyApi', itemIndex);
	const configured = request.base === 'callControl' ? credentials.callControlBaseUrl : credentials.baseUrl;
	const redact = secretRedactor(credentials.appId, credentials.appSecret);
	const signal = this.getExecutionCancelSignal?.();
	const { pace } = policy;

	/** Requests sent for this item so far: the first, then one per retry. */
	let sent = 0;
	let retryable = false;
	const fail = (failure: PiopiyFailure) =>
		piopiyError(
			this.getNode(),
			{
				...(sent > 1 || retryable ? { ...failure, retries: Math.max(0, sent - 1) } : failure),
				notFound: request.notFound,
				placesCall: request.placesCall,
				baseField: request.base === 'callControl' ? 'Call Control Base URL' : 'Base URL',
			},
			itemIndex,
			request.what,
		);

	const target = baseUrlOf(configured, request.base === 'callControl' ? DEFAULT_CALL_CONTROL_URL : DEFAULT_BASE_URL);
	if ('problem' in target) {
		throw fail({ unsendable: 'base-url', problem: redact(target.problem) as string, sent: false, mayHaveBeenPlaced: false });
	}

	for (;;) {
		try {
			await waitForTurn(pace, signal);
		} catch {
			throw fail({ networkCode: 'ERR_CANCELED', mayHaveBeenPlaced: false, stoppedBeforeRetry: sent > 0 });
		}
		if (sent > 0) {
			// Counted as it goes out: a retry the run was stopped before is not one.
			if (sent === 1) pace.retriedItems++;
			pace.retries++;
		}

		const attempt = await sendOnce.call(this, request, target.url, policy.timeoutSeconds, redact);
		sent++;
		if (attempt.ok || attempt.retryable !== 'refused') pace.unreachable = false;
		if (attempt.ok) return attempt.body;

		const { failure } = attempt;
		retryable = attempt.retryable !== undefined;
		if (!attempt.retryable) throw fail(failure);
		if (attempt.retryable === 'refused' && pace.unreachable && policy.retries > 0) {
			throw fail({ ...failure, retriesSkipped: true });
		}
		if (sent - 1 >= policy.retries) {
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
			const ceiling = Math.min(policy.maxRetryWaitSeconds * 1000, policy.retryWaitMs * 2 ** (sent - 1));
			waitMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
		}
		pace.resumeAt = Math.max(pace.resumeAt, Date.now() + waitMs);
	}
}

/**
 * The credential's base URL, checked before anything is sent: only an http(s) address with a host
 * and no query or fragment (the request's path is appended to it). Anything else ("htps://",
 * "ftp://", "file:///...") is refused here, where it is certain that nothing has left the machine,
 * rather than failing inside the HTTP client, where it would look like a request that may have
 * placed a call. An empty field means Piopiy's own address.
 */
export function baseUrlOf(configured: unknown, fallback: string): { url: string } | { problem: string } {
	const given = typeof configured === 'string' ? configured.trim() : configured == null ? '' : String(configured);
	const text = (given === '' ? fallback : given).replace(/\/+$/, '');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { problem: `${JSON.stringify(given)} is not an https:// or http:// address` };
	}
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
		return { problem: `${JSON.stringify(given)} is not an https:// or http:// address` };
	}
	if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
		return { problem: `${JSON.stringify(given)} has a "?" or "#" part, which a base URL cannot have (the request's path is added at its end)` };
	}
	return { url: text };
}

/** Waits until the run may send again (after a rate limit or a refusal); ends early if the run is cancelled. */
async function waitForTurn(pace: RunPace, signal: AbortSignal | undefined): Promise<void> {
	if (signal?.aborted) throw new Error('cancelled');
	for (let wait = pace.resumeAt - Date.now(); wait > 0; wait = pace.resumeAt - Date.now()) {
		await sleep(wait, signal);
	}
}
