import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { MAX_ANSWER_BYTES, NOT_SENT_CODES, type PiopiyFailure } from './errors';
import type { PiopiyRequest, PiopiyRun } from './index';
import { readV3Answer } from './v3';

/**
 * One HTTP exchange with Piopiy, and what its answer means: the body, or a failure and whether
 * it may be retried. The retry loop around it lives in index.ts.
 *
 * The exchange is bounded whatever the other end does:
 * - no redirect is followed: a 3xx is a failure that names where it pointed, so the request (the
 *   App Secret rides in its body) never goes anywhere but the Base URL, and never goes twice;
 * - Request Options > Timeout is a deadline for the whole answer, headers and body: n8n's HTTP
 *   client only bounds the wait for the headers and then the silence between two packets, so an
 *   answer trickled a byte at a time would never time out;
 * - at most MAX_ANSWER_BYTES of the answer are read, counted after decompression, so neither a
 *   huge answer nor a gzip bomb can become an output item or eat the memory and CPU of n8n.
 * For that the answer is taken as a stream and read here.
 */

/**
 * The reason each exchange's deadline timer is stopped with, once its answer is in. Without one,
 * abort() builds a DOMException with its stack trace: a tenth of a millisecond per request, for an
 * error no one reads. (The exchange's own signal keeps the default: n8n's client may hand its
 * reason back as the error.)
 */
const EXCHANGE_OVER = new Error('The exchange with Piopiy is over');

/** One attempt's outcome: Piopiy's answer, or a failure and whether it may be retried. */
export type Attempt =
	| { ok: true; body: IDataObject }
	| { ok: false; failure: PiopiyFailure; retryable?: 'rate-limit' | 'refused'; retryAfterMs?: number };

/** What reading the answer's body came to. */
type BodyOutcome =
	| { kind: 'complete'; bytes: Buffer }
	| { kind: 'too-large' }
	| { kind: 'stopped' }
	| { kind: 'broken'; code: string };

/** Codes of a compressed answer that does not decompress (zlib, brotli, zstd). */
const UNDECODABLE = /^(Z_|ERR_BROTLI|ERR_ZSTD|ERR__)/;

/** The readable side of the answer's stream, as n8n's client hands it over with encoding "stream". */
interface AnswerStream {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	destroy(error?: Error): unknown;
}

export async function sendOnce(
	this: IExecuteFunctions,
	request: PiopiyRequest,
	baseURL: string,
	run: PiopiyRun,
): Promise<Attempt> {
	const { redact } = run;
	const { timeoutSeconds } = run.policy;
	// What is sent is checked now: a body JSON cannot carry (a BigInt, a cycle, nesting deep enough
	// to overflow the stack) would otherwise fail inside the HTTP client, looking like a request
	// that may have placed a call, when nothing has left the machine.
	try {
		JSON.stringify(request.body);
	} catch {
		return { ok: false, failure: { unsendable: 'body', sent: false, mayHaveBeenPlaced: false } };
	}

	const runSignal = run.signal;
	if (runSignal?.aborted) {
		return { ok: false, failure: { networkCode: 'ERR_CANCELED', sent: false, mayHaveBeenPlaced: false } };
	}

	// One signal ends the exchange: the run being cancelled, the deadline, or this code having read
	// enough. n8n's client takes its abort signal from the context (getExecutionCancelSignal), so
	// the exchange gets a context whose signal is this one; aborting it closes the socket at once.
	const exchange = new AbortController();
	let ended: 'timeout' | 'cancelled' | 'done' | undefined;
	const end = (why: 'timeout' | 'cancelled' | 'done') => {
		ended ??= why;
		exchange.abort();
	};
	const onRunCancelled = () => end('cancelled');
	runSignal?.addEventListener('abort', onRunCancelled, { once: true });
	const stopTimer = new AbortController();
	sleep(timeoutSeconds * 1000, stopTimer.signal).then(
		() => end('timeout'),
		() => undefined,
	);
	const context = Object.create(this, { getExecutionCancelSignal: { value: () => exchange.signal } }) as IExecuteFunctions;
	let complete = false;

	try {
		let response: IN8nHttpFullResponse;
		try {
			// The run's credential goes along already decrypted: n8n applies it (the credential's
			// authenticate) without reading and decrypting it again for every request.
			response = (await this.helpers.httpRequestWithAuthentication.call(
				context,
				run.credentials.type,
				{
					method: 'POST',
					baseURL,
					url: request.path,
					headers: { Accept: 'application/json' },
					body: request.body,
					json: true,
					timeout: timeoutSeconds * 1000,
					disableFollowRedirect: true,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				},
				{ credentialsDecrypted: run.credentials },
			)) as IN8nHttpFullResponse;
		} catch (error) {
			// Only the code is taken from the client's error: its request config holds the secret.
			const networkCode = ended === 'timeout' ? 'ETIMEDOUT' : ended === 'cancelled' ? 'ERR_CANCELED' : networkCodeOf(error);
			const sent = !NOT_SENT_CODES.includes(networkCode);
			return {
				ok: false,
				failure: { networkCode, sent, mayHaveBeenPlaced: sent && request.placesCall, timeoutSeconds },
				retryable: networkCode === 'ECONNREFUSED' || networkCode === 'EAI_AGAIN' ? 'refused' : undefined,
			};
		}

		const httpCode = response.statusCode;
		if (httpCode >= 300 && httpCode < 400) {
			// Nothing of a redirect's body is wanted; the socket is closed in `finally`.
			return {
				ok: false,
				failure: {
					httpCode,
					redirectHost: redirectHost(header(response.headers, 'location'), `${baseURL}${request.path}`, redact),
					mayHaveBeenPlaced: request.placesCall,
				},
			};
		}

		const read = isStream(response.body) ? await readAnswer(response.body, exchange.signal) : fromValue(response.body);
		if (read.kind === 'stopped') {
			const networkCode = ended === 'cancelled' ? 'ERR_CANCELED' : 'ETIMEDOUT';
			return { ok: false, failure: { networkCode, mayHaveBeenPlaced: request.placesCall, timeoutSeconds } };
		}
		if (read.kind === 'broken' && !UNDECODABLE.test(read.code)) {
			return { ok: false, failure: { networkCode: read.code, mayHaveBeenPlaced: request.placesCall } };
		}
		complete = read.kind === 'complete';
		const answer: Parsed =
			read.kind === 'complete' ? parseAnswer(read.bytes, response.headers) : { kind: read.kind === 'too-large' ? 'too-large' : 'undecodable' };
		return judge(request, response, answer, redact);
	} finally {
		stopTimer.abort(EXCHANGE_OVER);
		runSignal?.removeEventListener('abort', onRunCancelled);
		// An answer not read to its end (a redirect, a body over the limit): close its connection.
		if (!complete) end('done');
	}
}

/** What an answer means: Piopiy's JSON body, or the failure it reports. */
function judge(request: PiopiyRequest, response: IN8nHttpFullResponse, answer: Parsed, redact: (value: unknown) => unknown): Attempt {
	const httpCode = response.statusCode;
	const body = answer.kind === 'object' ? (redact(answer.value) as IDataObject) : undefined;
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
	const answerKind = answer.kind === 'object' ? undefined : answer.kind;
	if (request.api === 'v3') return readV3Answer(httpCode, body, answerKind, request.placesCall);
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

/**
 * Reads the answer's body to its end, at most MAX_ANSWER_BYTES (after decompression: the client
 * unzips as it streams), and stops at once when `signal` fires (the deadline, or the run
 * cancelled). Stopping destroys the stream; the caller's abort closes the connection.
 */
async function readAnswer(stream: AnswerStream, signal: AbortSignal): Promise<BodyOutcome> {
	return await new Promise<BodyOutcome>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (outcome: BodyOutcome) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			if (outcome.kind !== 'complete') stream.destroy();
			resolve(outcome);
		};
		const onAbort = () => settle({ kind: 'stopped' });
		if (signal.aborted) {
			onAbort();
			return;
		}
		signal.addEventListener('abort', onAbort, { once: true });
		stream.on('data', (chunk) => {
			if (settled) return;
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > MAX_ANSWER_BYTES) {
				settle({ kind: 'too-large' });
				return;
			}
			chunks.push(bytes);
		});
		stream.on('end', () => settle({ kind: 'complete', bytes: Buffer.concat(chunks) }));
		stream.on('error', (error) => settle(signal.aborted ? { kind: 'stopped' } : { kind: 'broken', code: networkCodeOf(error) }));
		stream.on('close', () => settle(signal.aborted ? { kind: 'stopped' } : { kind: 'broken', code: 'ECONNRESET' }));
	});
}

function isStream(body: unknown): body is AnswerStream {
	return !!body && typeof (body as AnswerStream).on === 'function' && typeof (body as AnswerStream).destroy === 'function';
}

/**
 * An answer n8n handed over already read (a mocked request in n8n's evaluations does), held to
 * the same limit as a streamed one.
 */
function fromValue(body: unknown): BodyOutcome {
	const bytes = Buffer.isBuffer(body)
		? body
		: Buffer.from(typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body));
	return bytes.length > MAX_ANSWER_BYTES ? { kind: 'too-large' } : { kind: 'complete', bytes };
}

type Parsed =
	| { kind: 'object'; value: IDataObject }
	| { kind: 'empty' | 'html' | 'text' | 'json-list' | 'json-value' | 'too-large' | 'undecodable' };

/**
 * The answer's text, decoded as its Content-Type's charset says (UTF-8 unless it names another
 * that Node knows; bytes that are not valid in it become U+FFFD, never an exception), then parsed.
 */
function parseAnswer(bytes: Buffer, headers: IN8nHttpFullResponse['headers'] | undefined): Parsed {
	const type = String(header(headers, 'content-type') ?? '');
	const text = decode(bytes, /charset\s*=\s*"?([\w.:-]+)/i.exec(type)?.[1]);
	if (text.trim() === '') return { kind: 'empty' };
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { kind: type.includes('html') || /^\s*</.test(text) ? 'html' : 'text' };
	}
	if (Array.isArray(value)) return { kind: 'json-list' };
	if (value === null || typeof value !== 'object') return { kind: 'json-value' };
	return { kind: 'object', value: value as IDataObject };
}

function decode(bytes: Buffer, charset: string | undefined): string {
	if (charset) {
		try {
			return new TextDecoder(charset).decode(bytes);
		} catch {
			// A charset Node does not know: read it as UTF-8, as JSON is meant to be.
		}
	}
	return new TextDecoder('utf-8').decode(bytes);
}

/** Where a redirect pointed: its host (and port), never the rest, which may carry anything. */
function redirectHost(location: unknown, requestUrl: string, redact: (value: unknown) => unknown): string | undefined {
	if (typeof location !== 'string' || location.trim() === '') return undefined;
	try {
		const { host } = new URL(location.trim(), requestUrl);
		return host === '' ? undefined : (redact(host) as string);
	} catch {
		return undefined;
	}
}

/** A key of Piopiy's body, only when the body itself has it (never one inherited from Object.prototype). */
function own(object: IDataObject | undefined, key: string): unknown {
	return object !== undefined && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function asObject(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** Piopiy reports its result as `cmi_code`; some of its pages show `code` instead. */
function codeOf(body: IDataObject | undefined): number | undefined {
	const code = own(body, 'cmi_code') ?? own(body, 'code');
	const number = typeof code === 'string' && code.trim() !== '' ? Number(code) : code;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function messageOf(body: IDataObject | undefined): string | undefined {
	const data = asObject(own(body, 'data'));
	for (const candidate of [own(body, 'message'), own(body, 'msg'), own(body, 'error'), own(data, 'message'), own(data, 'msg')]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim().slice(0, 300);
	}
	return undefined;
}

/** The vendor shows request_id at the top level and, on some pages, inside `data`. */
function requestIdOf(body: IDataObject): string | undefined {
	for (const candidate of [own(body, 'request_id'), own(asObject(own(body, 'data')), 'request_id')]) {
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

/**
 * Retry-After as RFC 9110 section 10.2.3 allows it: whole seconds in plain decimal digits, or an
 * HTTP date. Anything else is undefined, as if absent, so Retry Wait's back-off applies: read
 * loosely (Date.parse), "-1", "1.5" or "1,5" became dates in 2000 or 2001 and the item went again at once.
 */
function retryAfterMs(headers: IN8nHttpFullResponse['headers'] | undefined): number | undefined {
	const value = header(headers, 'retry-after');
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = httpDate(text);
	return date === undefined ? undefined : Math.max(0, date - Date.now());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/**
 * The three forms of an HTTP date (RFC 9110 section 5.6.7), case-sensitive as it says: the
 * IMF-fixdate servers send, and the two obsolete forms a recipient must still accept.
 */
const HTTP_DATES = [
	// Sun, 06 Nov 1994 08:49:37 GMT
	/^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<day>\d{2}) (?<month>[A-Z][a-z]{2}) (?<year>\d{4}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2}) GMT$/,
	// Sunday, 06-Nov-94 08:49:37 GMT
	/^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?<day>\d{2})-(?<month>[A-Z][a-z]{2})-(?<year>\d{2}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2}) GMT$/,
	// Sun Nov  6 08:49:37 1994
	/^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<month>[A-Z][a-z]{2}) (?<day>[ \d]\d) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2}) (?<year>\d{4})$/,
];

/** An HTTP date as ms since the epoch; undefined for any other text, or a day or time that does not exist. */
function httpDate(text: string): number | undefined {
	const parts = HTTP_DATES.map((form) => form.exec(text)?.groups).find(Boolean);
	if (!parts) return undefined;
	const day = Number(parts.day);
	const month = MONTHS.indexOf(parts.month);
	const [hour, minute, second] = [parts.hour, parts.minute, parts.second].map(Number);
	let year = Number(parts.year);
	if (parts.year.length === 2) {
		// RFC 9110: a two-digit year more than 50 years ahead is the latest past year ending so.
		const now = new Date().getUTCFullYear();
		year += now - (now % 100);
		if (year > now + 50) year -= 100;
	}
	// setUTCFullYear, not Date.UTC: that one reads years below 100 as 19xx. A day that does not
	// exist (31 Feb) rolls into the next month, and is refused by the comparison.
	const midnight = new Date(0);
	midnight.setUTCFullYear(year, month, day);
	if (month < 0 || midnight.getUTCMonth() !== month || midnight.getUTCDate() !== day) return undefined;
	// Second 60 is a leap second, which RFC 9110's grammar allows.
	if (hour > 23 || minute > 59 || second > 60) return undefined;
	return midnight.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
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
