import { sleep } from 'n8n-workflow';

import { named, numberSpec } from '../shared/fields';
import { issueText } from '../shared/issues';
import { pcmoActionList, type PcmoAction } from '../shared/pcmo';

/**
 * The HTTP response the trigger answers Piopiy on. n8n hands it over as an express response; only
 * the Node.js http.ServerResponse methods below are used, so a plain server response works too.
 */
export interface HttpResponse {
	statusCode: number;
	headersSent: boolean;
	writableEnded: boolean;
	setHeader(name: string, value: number | string | readonly string[]): unknown;
	removeHeader(name: string): void;
	writeHead(...args: unknown[]): unknown;
	write(...args: unknown[]): boolean;
	end(...args: unknown[]): unknown;
	once(event: 'close', listener: () => void): unknown;
}

/**
 * Options > Answer Timeout: how long the guard waits for the workflow's answer. A whole number of
 * seconds, 1 to 30: 0, a negative number or NaN would send every caller the fallback at once, and
 * a timer of more than about 24.8 days overflows to 1 ms; a caller on the line waits no longer
 * than seconds anyway. "10" from an expression counts as 10.
 */
export const ANSWER_TIMEOUT = named(
	'answerTimeout',
	numberSpec({
		displayName: 'Answer Timeout (Seconds)',
		min: 1,
		max: 30,
		default: 5,
		unit: 'seconds',
		description: 'With the answer from the workflow: how long to wait for it before Piopiy gets the fallback',
	}),
);

/** The Answer Timeout option's value in seconds, or why it cannot be used. */
export function answerTimeoutOf(options: Record<string, unknown>): { seconds: number } | { problem: string } {
	const parsed = ANSWER_TIMEOUT.schema.safeParse(Object.prototype.hasOwnProperty.call(options, 'answerTimeout') ? options.answerTimeout : undefined);
	if (parsed.success) return { seconds: parsed.data };
	return { problem: issueText(`Options > ${ANSWER_TIMEOUT.property.displayName}`, parsed.error.issues[0]) };
}

/** Answers a request at once with a JSON body (the trigger answering Piopiy itself). */
export function sendJson(res: HttpResponse, statusCode: number, body: unknown): void {
	const payload = JSON.stringify(body);
	res.statusCode = statusCode;
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.setHeader('Content-Length', Buffer.byteLength(payload));
	res.end(payload);
}

/**
 * What an answer from the workflow may look like: the PCMO action list itself, one action, or an
 * object with the list under "pcmo" (so "Respond to Webhook > First Incoming Item" works on an item
 * like {"pcmo": [...]}). Returns the checked, normalised list, or why it cannot be used.
 */
export function readAnswer(body: unknown): { actions: PcmoAction[] } | { problem: string } {
	let value = body;
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const object = value as Record<string, unknown>;
		if (Array.isArray(object.pcmo)) value = object.pcmo;
		else if (typeof object.action === 'string') value = [object];
	}
	const parsed = pcmoActionList.safeParse(value);
	if (parsed.success) return { actions: parsed.data };
	return { problem: `it is not a valid PCMO action list: ${issueText('the list', parsed.error.issues[0])}` };
}

/**
 * Makes sure Piopiy gets a valid action list, fast, whatever the workflow does. Used when the
 * answer comes from a "Respond to Webhook" node: n8n writes that node's answer to the response
 * later, or, if the workflow fails or never reaches the node, an error or an empty body, neither of
 * which Piopiy can act on while a caller is waiting on the line.
 *
 * The guard holds the response back until it is complete, then lets through a 2xx answer that is a
 * valid PCMO action list (normalised) and replaces anything else with the fallback actions. If no
 * answer has come after `timeoutMs`, the fallback goes out at once; whatever n8n writes later is
 * dropped, so the request is answered exactly once.
 */
export class AnswerGuard {
	private state: 'open' | 'writing' | 'done' = 'open';

	private readonly chunks: Buffer[] = [];

	private readonly stopTimer = new AbortController();

	private readonly original: Pick<HttpResponse, 'setHeader' | 'writeHead' | 'write' | 'end'>;

	/** @param onFallback told why the fallback was sent (for n8n's log) */
	constructor(
		private readonly res: HttpResponse,
		private readonly fallback: PcmoAction[],
		private readonly onFallback: (reason: string) => void = () => {},
	) {
		this.original = { setHeader: res.setHeader, writeHead: res.writeHead, write: res.write, end: res.end };
		this.install();
	}

	/** Sends the fallback if nothing has answered within `ms`. */
	startTimer(ms: number): void {
		sleep(ms, this.stopTimer.signal).then(
			() => this.settle(undefined, `the workflow did not answer within ${ms / 1000} seconds`),
			// Stopped: the request was answered (or the caller hung up) before the time was up.
			() => undefined,
		);
		this.res.once('close', () => this.stopTimer.abort());
	}

	private install(): void {
		const { res, original } = this;
		res.setHeader = (...args: Parameters<HttpResponse['setHeader']>) =>
			this.state === 'done' ? res : original.setHeader.apply(res, args);
		res.writeHead = (...args: unknown[]) => {
			if (this.state === 'writing') return original.writeHead.apply(res, args);
			// Held back: the status is taken, the headers are the guard's to write.
			if (this.state === 'open' && typeof args[0] === 'number') res.statusCode = args[0];
			return res;
		};
		res.write = (...args: unknown[]) => {
			if (this.state === 'writing') return original.write.apply(res, args);
			if (this.state === 'open') this.collect(args[0], typeof args[1] === 'string' ? args[1] : undefined);
			const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
			callback?.();
			return true;
		};
		res.end = (...args: unknown[]) => {
			if (this.state === 'writing') return original.end.apply(res, args);
			const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
			if (this.state === 'done') {
				callback?.();
				return res;
			}
			if (typeof args[0] !== 'function') this.collect(args[0], typeof args[1] === 'string' ? args[1] : undefined);
			this.finish(callback);
			return res;
		};
	}

	private collect(chunk: unknown, encoding?: string): void {
		if (chunk === undefined || chunk === null) return;
		if (typeof chunk === 'string') this.chunks.push(Buffer.from(chunk, (encoding as BufferEncoding) ?? 'utf8'));
		else if (chunk instanceof Uint8Array) this.chunks.push(Buffer.from(chunk));
	}

	/** n8n has written its whole answer: check it. */
	private finish(callback?: () => void): void {
		const status = this.res.statusCode;
		const text = Buffer.concat(this.chunks).toString('utf8');
		if (status < 200 || status >= 300) {
			this.settle(undefined, `the workflow failed or answered with HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, callback);
			return;
		}
		if (text.trim() === '') {
			this.settle(undefined, 'the workflow ended without answering (no "Respond to Webhook" node ran)', callback);
			return;
		}
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			this.settle(undefined, `the workflow's answer is not JSON: ${text.slice(0, 200)}`, callback);
			return;
		}
		const answer = readAnswer(body);
		if ('problem' in answer) this.settle(undefined, `the workflow's answer was refused: ${answer.problem}`, callback);
		else this.settle(answer.actions, undefined, callback);
	}

	/** Writes the one answer Piopiy gets: the workflow's actions, or the fallback and why. */
	private settle(actions: PcmoAction[] | undefined, reason?: string, callback?: () => void): void {
		if (this.state !== 'open') return;
		this.stopTimer.abort();
		const { res, original } = this;
		const answer = actions ?? this.fallback;
		if (!actions && reason) this.onFallback(reason);

		this.state = 'writing';
		const payload = JSON.stringify(answer);
		res.statusCode = 200;
		res.removeHeader('ETag');
		original.setHeader.call(res, 'Content-Type', 'application/json; charset=utf-8');
		original.setHeader.call(res, 'Content-Length', Buffer.byteLength(payload));
		original.end.call(res, payload, callback);
		this.state = 'done';
	}
}
