import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { NOT_SENT_CODES, type PiopiyFailure } from './errors';
import type { PiopiyRequest, PiopiyRun } from './index';

/**
 * One HTTP exchange with Piopiy, and what its answer means: the body, or a failure and whether
 * it may be retried. The retry loop around it lives in index.ts.
 */

/** One attempt's outcome: Piopiy's answer, or a failure and whether it may be retried. */
export type Attempt =
	| { ok: true; body: IDataObject }
	| { ok: false; failure: PiopiyFailure; retryable?: 'rate-limit' | 'refused'; retryAfterMs?: number };

export async function sendOnce(
	this: IExecuteFunctions,
	request: PiopiyRequest,
	run: PiopiyRun,
): Promise<Attempt> {
	const { timeoutSeconds } = run.policy;
	let response: IN8nHttpFullResponse;
	try {
		// The run's credential goes along already decrypted: n8n applies it (the credential's
		// authenticate) without reading and decrypting it again for every request.
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			'piopiyApi',
			{
				method: 'POST',
				baseURL: run.baseUrls[request.base ?? 'rest'],
				url: request.path,
				headers: { Accept: 'application/json' },
				body: request.body,
				json: true,
				timeout: timeoutSeconds * 1000,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			{ credentialsDecrypted: run.credentials },
		)) as IN8nHttpFullResponse;
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
	const body = run.redact(asJsonObject(response.body)) as IDataObject | undefined;
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
