import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { apiTokenOf } from '../../../credentials/apiToken';
import { describeUrl } from '../../shared/urls';
import { AUTHENTICATION_NAMES, CREDENTIAL_NAMES, CREDENTIAL_TYPES, credentialName, type ApiTarget, type ApiVersion } from '../operation';
import { DEFAULT_URLS, piopiyError, type BaseField, type PiopiyFailure } from './errors';
import { sendOnce } from './http';
import { credentialRedactor, type Redactor } from './redact';

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
	/**
	 * 'v3': a request to Piopiy's v3 API (docs/piopiy-api.md section 7), sent to the credential's V3
	 * Base URL with its API token as a Bearer header (the credential's authenticate) and read by
	 * transport/v3.ts. Left out: v2 (or v1 call control, see `base`).
	 */
	api?: 'v3';
}

/**
 * What every request of one run shares. A rate limit or a refused connection pauses all of them
 * (Piopiy's limit is per account, not per item), and once an item has found Piopiy unreachable
 * after all its retries, later items stop spending their own retries on it until Piopiy answers.
 * Max Calls per Second is a token bucket one token deep: each send waits until a whole gap has
 * passed since the one before it actually went out, so sends are spread evenly and time lost (a
 * pause, a busy machine) is never made up with a burst.
 */
export interface RunPace {
	/** No request is sent before this time (ms since the epoch). */
	resumeAt: number;
	/** The gap between two sends for Max Calls per Second, in ms; 0 means no limit. */
	gapMs: number;
	/** When the last send went out (ms since the epoch). */
	lastSendAt: number;
	/** The requests waiting for their send time, one after another in the order they asked. */
	queue: Promise<void>;
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

/** A run's shared pace; `callsPerSecond` 0 sends as fast as the window allows. */
export function newRunPace(callsPerSecond = 0): RunPace {
	return {
		resumeAt: 0,
		gapMs: callsPerSecond > 0 ? 1000 / callsPerSecond : 0,
		lastSendAt: 0,
		queue: Promise.resolve(),
		unreachable: false,
		retriedItems: 0,
		retries: 0,
	};
}

interface PiopiyCredentials {
	apiVersion?: string;
	appId?: unknown;
	appSecret?: unknown;
	apiToken?: unknown;
	baseUrl?: string;
	callControlBaseUrl?: string;
	v3BaseUrl?: string;
}

/**
 * What the requests of one run share and is worked out once per run, not once per item: the
 * credential, read and decrypted once and handed to n8n with each request (so n8n does not read
 * and decrypt it again); the API generation it speaks, which decides the request each item becomes;
 * the hosts, each checked once; the redactor that keeps the secret and the token out of every
 * answer; the Request Options and the shared pace.
 *
 * The credential is read for item 0, as n8n's own request helper does when it reads it itself:
 * one Piopiy account per run.
 */
export interface PiopiyRun {
	/** The credential as n8n's request helper takes it ready-decrypted (additionalCredentialOptions). */
	credentials: ICredentialsDecrypted;
	/**
	 * v2, or v3 with the App ID for v3's `app_id`: version 1 of the node goes by the Piopiy API
	 * credential's API field (a credential saved before it existed is v2), version 2 by its
	 * Authentication.
	 */
	target: ApiTarget;
	/** Each host the credential names, checked once (baseUrlOf); a problem is reported by a request that needs that host. */
	hosts: Record<BaseField, { url: string } | { problem: string }>;
	redact: Redactor;
	policy: RequestPolicy;
	signal?: AbortSignal;
}

export async function openRun(this: IExecuteFunctions, policy: RequestPolicy): Promise<PiopiyRun> {
	const chosen = chosenApi(this);
	const type = chosen ? CREDENTIAL_TYPES[chosen] : CREDENTIAL_TYPES.v2;
	const data = await this.getCredentials<PiopiyCredentials>(type, 0);
	const reference = this.getNode().credentials?.[type];
	if (chosen === 'v2' && data.apiVersion === 'v3') {
		// A Piopiy API credential made with 0.2.0 for an API Token: version 1 nodes still use it as one.
		throw new NodeOperationError(
			this.getNode(),
			`The credential "${reference?.name ?? ''}" holds an API Token, but this node's Authentication is "${AUTHENTICATION_NAMES.v2}"`,
			{
				description: `It is a Piopiy API credential whose API is "API Token", as version 0.2.0 of this node made them. Set Authentication to "${AUTHENTICATION_NAMES.v3}" and choose a ${CREDENTIAL_NAMES.v3} credential with that token (create one under Credentials if there is none). No request was sent to Piopiy.`,
			},
		);
	}
	const api: ApiVersion = chosen ?? (data.apiVersion === 'v3' ? 'v3' : 'v2');
	// The token as authenticate sends it, so the text redacted is the text sent.
	const { token, problem } = apiTokenOf(data);
	if (api === 'v3' && problem) {
		throw new NodeOperationError(this.getNode(), `Invalid API Token in the ${type === CREDENTIAL_TYPES.v3 ? CREDENTIAL_NAMES.v3 : CREDENTIAL_NAMES.v2} credential: ${problem}`, {
			description:
				"Nothing was sent, so no call was placed. Copy the token again from the Piopiy dashboard and paste it alone into the credential's API Token field.",
		});
	}
	let redact: Redactor;
	try {
		// The API token is kept out of answers like the secret (the App ID is the same in both generations).
		redact = credentialRedactor(data.appId, [data.appSecret, token]);
	} catch {
		// Whatever went wrong, its error is not passed on: it could hold a piece of the secret.
		throw new NodeOperationError(this.getNode(), 'The App Secret or API Token of the Piopiy API credential could not be prepared for use', {
			description: 'Nothing was sent, so no call was placed. Check the App Secret and API Token in the credential.',
		});
	}
	return {
		credentials: { id: reference?.id ?? '', name: reference?.name ?? '', type, data: data as ICredentialDataDecryptedObject },
		target: { api, ...(api === 'v3' ? { appId: data.appId } : {}), ...(chosen ? { byAuthentication: true } : {}) },
		hosts: {
			'Base URL': baseUrlOf(data.baseUrl, DEFAULT_URLS['Base URL']),
			'Call Control Base URL': baseUrlOf(data.callControlBaseUrl, DEFAULT_URLS['Call Control Base URL']),
			'V3 Base URL': baseUrlOf(data.v3BaseUrl, DEFAULT_URLS['V3 Base URL']),
		},
		redact,
		policy,
		signal: this.getExecutionCancelSignal?.(),
	};
}

/**
 * The API the node's Authentication chooses (version 2), or undefined for version 1, where the
 * Piopiy API credential decides. An Authentication this node does not know, or one whose
 * credential type the node has none of while it has one of the other (a workflow edited by hand
 * or imported), is refused here, before any credential is read or request sent.
 */
function chosenApi(context: IExecuteFunctions): ApiVersion | undefined {
	const node = context.getNode();
	if (node.typeVersion < 2) return undefined;
	const chosen = context.getNodeParameter('authentication', 0, CREDENTIAL_TYPES.v2);
	const api = (['v2', 'v3'] as const).find((candidate) => CREDENTIAL_TYPES[candidate] === chosen);
	const choices = `"${AUTHENTICATION_NAMES.v2}" or "${AUTHENTICATION_NAMES.v3}"`;
	if (!api) {
		throw new NodeOperationError(node, `This node's Authentication ${JSON.stringify(chosen)} is not one it knows`, {
			description: `Set Authentication to ${choices}. No request was sent to Piopiy.`,
		});
	}
	const other = api === 'v2' ? 'v3' : 'v2';
	const given = node.credentials ?? {};
	const held = given[CREDENTIAL_TYPES[other]];
	if (!given[CREDENTIAL_TYPES[api]] && held) {
		throw new NodeOperationError(
			node,
			`The credential "${held.name}" is a ${CREDENTIAL_NAMES[other]} credential, but this node's Authentication is "${AUTHENTICATION_NAMES[api]}"`,
			{
				description: `Choose a ${CREDENTIAL_NAMES[api]} credential for this node, or set Authentication to "${AUTHENTICATION_NAMES[other]}". No request was sent to Piopiy.`,
			},
		);
	}
	return api;
}

/**
 * Every request to Piopiy goes through here. It sends the JSON body with the credential applied,
 * never throws the HTTP client's own error (which holds the secret), removes the credential from
 * anything Piopiy echoes back, and treats an error code inside an HTTP 200 body as the error it is.
 *
 * Only failures that cannot have placed a call are retried: a 429 (Piopiy refused to look at the
 * request) and a refused connection (nothing was sent). A timeout, a dropped connection or a 5xx
 * may have placed the call, and a call is not idempotent, so those are reported, never re-sent.
 *
 * Nothing here awaits before the item takes its turn (waitForTurn), so items called in order take
 * their send times in that order.
 */
export async function piopiyApiRequest(
	this: IExecuteFunctions,
	request: PiopiyRequest,
	itemIndex: number,
	run: PiopiyRun,
): Promise<IDataObject> {
	const { policy, signal, redact } = run;
	const { pace } = policy;
	const baseField = baseFieldOf(request);

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
				baseField,
				api: request.api,
				credential: credentialName(run.target),
			},
			itemIndex,
			request.what,
		);

	const target = run.hosts[baseField];
	if ('problem' in target) {
		throw fail({ unsendable: 'base-url', problem: redact(target.problem) as string, sent: false, mayHaveBeenPlaced: false });
	}

	for (;;) {
		try {
			await waitForTurn(pace, signal);
		} catch {
			throw fail({ networkCode: 'ERR_CANCELED', sent: false, mayHaveBeenPlaced: false, stoppedBeforeRetry: sent > 0 });
		}
		if (sent > 0) {
			// Counted as it goes out: a retry the run was stopped before is not one.
			if (sent === 1) pace.retriedItems++;
			pace.retries++;
		}

		const attempt = await sendOnce.call(this, request, target.url, run);
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
		return { problem: `${describeUrl(given)} is not an https:// or http:// address` };
	}
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
		return { problem: `${describeUrl(given)} is not an https:// or http:// address` };
	}
	if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
		return { problem: `${describeUrl(given)} has a "?" or "#" part, which a base URL cannot have (the request's path is added at its end)` };
	}
	return { url: text };
}

/** The credential field that names the host a request goes to. */
function baseFieldOf(request: PiopiyRequest): BaseField {
	if (request.api === 'v3') return 'V3 Base URL';
	return request.base === 'callControl' ? 'Call Control Base URL' : 'Base URL';
}

/**
 * Waits until the run may send again (after a rate limit or a refusal) and, under Max Calls per
 * Second, for this request's turn. Requests take their place in the queue before the first await,
 * so requests started in item order are sent in item order. Ends early if the run is cancelled.
 */
async function waitForTurn(pace: RunPace, signal: AbortSignal | undefined): Promise<void> {
	if (signal?.aborted) throw new Error('cancelled');
	if (pace.gapMs === 0) {
		await untilResumed(pace, signal);
		return;
	}
	const turn = pace.queue.then(async () => await sendSlot(pace, signal));
	// The next in the queue waits for this one's send time, even if this one is cancelled.
	pace.queue = turn.catch(() => undefined);
	await turn;
}

/** A whole gap after the previous send, and not during a pause; then this send goes out. */
async function sendSlot(pace: RunPace, signal: AbortSignal | undefined): Promise<void> {
	for (;;) {
		await untilResumed(pace, signal);
		const wait = pace.lastSendAt + pace.gapMs - Date.now();
		if (wait <= 0) break;
		await sleep(wait, signal);
	}
	pace.lastSendAt = Date.now();
}

async function untilResumed(pace: RunPace, signal: AbortSignal | undefined): Promise<void> {
	if (signal?.aborted) throw new Error('cancelled');
	for (let wait = pace.resumeAt - Date.now(); wait > 0; wait = pace.resumeAt - Date.now()) {
		await sleep(wait, signal);
	}
}
