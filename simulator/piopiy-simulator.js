'use strict';
/**
 * A local stand-in for Piopiy's REST API (v2 make-call and get_channels; v1 answer-URL make-call,
 * call actions such as hang up, and call records by request id or call id), for tests, the demo and
 * development without a Piopiy account. It checks credentials and bodies the way the API is
 * documented to (every PCMO action: checkAction), answers with the documented bodies, records every
 * request, and can be told to misbehave (an HTTP status, an error inside a 200 body, a delay, a
 * dropped connection, a non-JSON body) so the node's handling of each can be tested against a real
 * socket. Placed calls get a call id (cmiuuid) and, once ended, a call record.
 *
 * The v3 API (API token, under /v3) is served too, by simulator/v3.js: the same socket, fault modes,
 * request log and list of calls.
 *
 * It can also play Piopiy calling you (answerInboundCall, pressKeys, sendCallRecord, sendCallEvent,
 * postWebhook): it posts what Piopiy posts to your answer URL, action_url, CDR URL and event URL.
 *
 * It binds 127.0.0.1 only and has no dependencies. Its default account is the one the tests, the demo
 * and `npm run dev` use (test/harness/constants.js).
 */
const http = require('node:http');
const crypto = require('node:crypto');
const { createV3Api, checkV3Request } = require('./v3');

const { APP_ID, APP_SECRET, API_TOKEN } = require('../test/harness/constants');

const MAX_BODY_BYTES = 1024 * 1024;
const SUCCESS = { data: { status: 'progress' }, status: 'progress' };

/** Documented failures: Piopiy's cmi_code and the words it uses. */
const FAILURES = {
	401: 'Authentication failed',
	407: 'Authentication failed',
	420: 'Invalid appid or secret',
	422: 'Invalid property',
	429: 'Too many requests',
	500: 'Internal server error',
	501: 'Missing property',
	502: 'Invalid property value',
};

function requestId() {
	return crypto.randomBytes(32).toString('base64url').slice(0, 43);
}

function isPhoneNumber(value) {
	return Number.isSafeInteger(value) && value > 0 && /^[1-9]\d{6,14}$/.test(String(value));
}

function isCount(value, max) {
	return Number.isInteger(value) && value >= 1 && value <= max;
}

/** The checks Piopiy makes on the numbers and duration of any make-call body; returns the first problem found. */
function checkCallEnds(body) {
	if (!isPhoneNumber(body.to)) return '"to" must be a phone number given as a JSON number';
	if (!isPhoneNumber(body.from)) return '"from" must be a phone number given as a JSON number';
	if (body.duration !== undefined && !isCount(body.duration, 86400)) return '"duration" must be a positive whole number';
	return undefined;
}

/** The checks Piopiy makes on a v2 PCMO make-call body; returns the first problem found. */
function checkMakeCall(body) {
	const problem = checkCallEnds(body);
	if (problem) return problem;
	if (body.extra_params !== undefined && (typeof body.extra_params !== 'object' || body.extra_params === null || Array.isArray(body.extra_params))) {
		return '"extra_params" must be a JSON object';
	}
	if (!Array.isArray(body.pcmo) || body.pcmo.length === 0) return '"pcmo" must be a non-empty list of actions';
	for (const [index, action] of body.pcmo.entries()) {
		const problem = checkAction(action);
		if (problem) return `pcmo[${index}]: ${problem}`;
	}
	return undefined;
}

/** Piopiy's documented limits are few; these match what the API documents and what the node sends. */
const AUDIO_FILE = /\.(mp3|wav)$/i;

function isUrl(value, protocols = ['http:', 'https:']) {
	if (typeof value !== 'string') return false;
	try {
		return protocols.includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

function isAudioUrl(value) {
	return isUrl(value) && AUDIO_FILE.test(new URL(value).pathname);
}

function isText(value) {
	return typeof value === 'string' && value.trim() !== '';
}

/** Keys each PCMO action may carry (besides "action"), and the check of each key. */
const ACTION_KEYS = {
	speak: { text: isText },
	play: { file_url: isAudioUrl, file_name: (v) => typeof v === 'string' && AUDIO_FILE.test(v) },
	input: { action_url: isUrl, max_digit: (v) => isCount(v, 32), timeout: (v) => isCount(v, 120) },
	play_get_input: {
		file_url: isAudioUrl,
		file_name: (v) => typeof v === 'string' && AUDIO_FILE.test(v),
		action_url: isUrl,
		max_digit: (v) => isCount(v, 32),
		max_retry: (v) => isCount(v, 10),
		timeout: (v) => isCount(v, 120),
	},
	bridge: {
		from: isPhoneNumber,
		connect: (v) => Array.isArray(v) && v.length > 0 && v.every((leg) => leg && leg.type === 'pstn' && isPhoneNumber(leg.number) && Object.keys(leg).length === 2),
		duration: (v) => isCount(v, 86400),
		timeout: (v) => isCount(v, 86400),
		loop: (v) => isCount(v, 86400),
		ring_type: (v) => ['single', 'group'].includes(v),
	},
	record: {},
	hangup: {},
	param: { text: isText },
	stream: {
		ws_url: (v) => isUrl(v, ['ws:', 'wss:']),
		listen_mode: (v) => ['caller', 'callee', 'both'].includes(v),
		voice_quality: (v) => ['8000', '16000', '32000'].includes(v),
		stream_on_answer: (v) => typeof v === 'boolean',
	},
};

/** What a key must look like, for the simulator's error messages. */
const KEY_RULES = {
	text: 'non-empty text',
	file_url: 'an http(s) URL of an .mp3 or .wav file',
	file_name: 'the name of an .mp3 or .wav file',
	action_url: 'an http(s) URL',
	max_digit: 'a whole number from 1 to 32',
	max_retry: 'a whole number from 1 to 10',
	from: 'a phone number given as a JSON number',
	connect: 'a non-empty list of {"type":"pstn","number":<phone number>}',
	ring_type: '"single" or "group"',
	ws_url: 'a ws:// or wss:// URL',
	listen_mode: '"caller", "callee" or "both"',
	voice_quality: '"8000", "16000" or "32000"',
	stream_on_answer: 'true or false',
};

/** Keys an action cannot do without. */
const REQUIRED_KEYS = {
	speak: ['text'],
	input: ['action_url'],
	play_get_input: ['action_url'],
	bridge: ['from', 'connect'],
	param: ['text'],
	stream: ['ws_url'],
};

/** The checks Piopiy makes on one PCMO action; returns the first problem found. */
function checkAction(action) {
	if (!action || typeof action !== 'object' || Array.isArray(action)) return 'an action must be an object';
	const keys = ACTION_KEYS[action.action];
	if (!keys) return `unknown action ${JSON.stringify(action.action)}`;
	for (const key of Object.keys(action)) {
		if (key === 'action') continue;
		if (!(key in keys)) return `"${key}" is not a property of the "${action.action}" action`;
		if (!keys[key](action[key])) return `"${key}" must be ${KEY_RULES[key] ?? 'a positive whole number'}`;
	}
	for (const key of REQUIRED_KEYS[action.action] ?? []) {
		if (action[key] === undefined) return `"${key}" is required`;
	}
	if (action.action === 'play' || action.action === 'play_get_input') {
		const files = ['file_url', 'file_name'].filter((key) => action[key] !== undefined);
		if (files.length !== 1) return 'exactly one of "file_url" and "file_name" is required';
	}
	return undefined;
}

/**
 * @param {object} [options]
 * @param {number} [options.appId] the app id accepted (default APP_ID of test/harness/constants.js)
 * @param {string} [options.appSecret] the secret accepted (default APP_SECRET of test/harness/constants.js)
 * @param {'http'|'body'} [options.errorStyle] errors as an HTTP status with the body (default), or inside an HTTP 200 body
 * @param {string} [options.apiToken] the v3 API token accepted (default API_TOKEN of test/harness/constants.js)
 * @param {string[]} [options.inactiveTokens] v3 tokens answered with 403 app_not_active
 * @param {boolean} [options.callIdInAnswer] whether a placed v3 call's answer carries its call_id (default true)
 * @param {number} [options.port] default 0: a free port
 */
function createPiopiySimulator(options = {}) {
	const appId = options.appId ?? APP_ID;
	const appSecret = options.appSecret ?? APP_SECRET;
	const apiToken = options.apiToken ?? API_TOKEN;
	const errorStyle = options.errorStyle ?? 'http';
	const log = options.log ?? (() => {});

	/** Every request received, in order. */
	const requests = [];
	/** The calls Piopiy would have placed (accepted make-call requests). */
	const calls = [];
	let faultPlan;
	let refusing;
	let latencyMs = 0;
	let inFlight = 0;
	let maxInFlight = 0;
	/** TCP connections accepted since the last reset(): fewer than requests when clients keep them alive. */
	let connections = 0;
	const sockets = new Set();

	const routes = {
		'/v2/ind_pcmo_make_call': makeCall('india'),
		'/v2/global_pcmo_make_call': makeCall('global'),
		'/v2/piopiy/get_channels': () => ({ status: 200, body: { ...SUCCESS, data: { channels: 10 }, cmi_code: 200 } }),
		// v1 (call control), served from the same simulator; the credential's Call Control Base URL points here.
		'/v1/global_make_call': answerUrlCall,
		'/v1/call/global_action': callAction('global'),
		'/v1/call/action': callAction('india'),
		'/v1/piopiy/requestid_cdr': recordsByRequestId,
		'/v1/piopiy/cmiuuid_cdr': recordByCallId,
	};

	const v3 = createV3Api({
		apiToken,
		inactiveTokens: options.inactiveTokens,
		appId,
		calls,
		callIdInAnswer: options.callIdInAnswer ?? true,
		failure: (status, body) => (errorStyle === 'body' ? { status: 200, body } : { status, body }),
	});

	/** Carries out a request as if it had been answered (for faults that act and then misbehave). */
	function actOn(record) {
		if (v3.routes[record.path]) v3.act(record);
		else if (routes[record.path] && authorised(record.body)) routes[record.path](record);
	}

	/** v1 make-call: Piopiy fetches the actions from answer_url once the call is answered. */
	function answerUrlCall(record) {
		const problem = checkCallEnds(record.body) ?? (isUrl(record.body.answer_url) ? undefined : '"answer_url" must be an http(s) URL');
		if (problem) return failure(422, problem);
		return placed(record, 'global');
	}

	/**
	 * Hold, unhold, toggle or hang up a live call. Which key holds the call id is not documented (the
	 * Node SDK sends "cmiuid", the Python SDK "cmiuuid"): either is accepted, and the one used is kept
	 * on the request record as `callIdKey`.
	 */
	function callAction(region) {
		return (record) => {
			const { body } = record;
			if (!['hold', 'unhold', 'holdToggle', 'hangup'].includes(body.action)) {
				return failure(422, '"action" must be "hold", "unhold", "holdToggle" or "hangup"');
			}
			const key = ['cmiuuid', 'cmiuid'].find((k) => typeof body[k] === 'string' && body[k] !== '');
			if (!key) return failure(501, 'The call id ("cmiuuid") is missing');
			if (key === 'cmiuuid' && body.cmiuid !== undefined && body.cmiuid !== body.cmiuuid) {
				return failure(422, '"cmiuid" and "cmiuuid" name different calls');
			}
			record.callIdKey = key;
			const call = calls.find((c) => c.cmiuuid === body[key]);
			if (!call || call.region !== region) return failure(404, 'Call not found');
			if (call.status === 'ended') return failure(404, 'The call has already ended');
			if (body.action === 'hangup') endCall(call, { status: 'answered' });
			else call.held = body.action === 'hold' ? true : body.action === 'unhold' ? false : !call.held;
			return { status: 200, body: { status: 'success', action: body.action, cmi_code: 200 } };
		};
	}

	function recordsByRequestId(record) {
		if (!isText(record.body.request_id)) return failure(501, 'The request_id is missing');
		const call = calls.find((c) => c.request_id === record.body.request_id);
		if (!call) return failure(404, 'request_id not found');
		return { status: 200, body: { count: call.records.length, cdr: call.records.map(publicRecord), code: 200 } };
	}

	function recordByCallId(record) {
		if (!isText(record.body.cmiuuid)) return failure(501, 'The cmiuuid is missing');
		for (const call of calls) {
			const found = call.records.find((r) => r.cmiuuid === record.body.cmiuuid);
			if (found) return { status: 200, body: { cdr: publicRecord(found), code: 200 } };
		}
		return failure(404, 'cmiuuid not found');
	}

	/** The fields the record endpoints answer with (docs/piopiy-api.md#42-call-records; doc.telecmi.com "Get Request ID"). */
	function publicRecord(r) {
		return { duration: r.duration, balance: r.balance, rate: r.call_rate, from: r.from, to: r.to, time: r.time, leg: r.leg, direction: r.direction, status: r.status };
	}

	/** A call Piopiy accepted: it gets a call id (cmiuuid) and is live until it ends. */
	function placed(record, region) {
		const call = {
			region,
			request_id: requestId(),
			cmiuuid: crypto.randomUUID(),
			body: record.body,
			status: 'live',
			held: false,
			records: [],
			time: Date.now(),
		};
		calls.push(call);
		record.placed = true;
		return { status: 200, body: { ...SUCCESS, request_id: call.request_id, cmi_code: 200 } };
	}

	/** Ends a call and files its call record (leg a: the number dialled first). */
	function endCall(call, { status = 'answered', duration = 30 } = {}) {
		if (call.status === 'ended') return call.records;
		call.status = 'ended';
		// What v3 reports for a call (CDR, events) is not documented: a v3 call just ends.
		if (call.api === 'v3') return call.records;
		const answered = status === 'answered';
		call.records.push({
			type: 'cdr',
			to: call.body.to,
			appid: appId,
			time: call.time,
			start_time: Math.floor(call.time / 1000),
			end_time: Math.floor(call.time / 1000) + (answered ? duration : 0),
			answer_time: answered ? Math.floor(call.time / 1000) + 1 : 0,
			from: call.body.from,
			direction: 'outbound',
			duration: answered ? duration : 0,
			extra_params: JSON.stringify(call.body.extra_params ?? {}),
			cmiuuid: call.cmiuuid,
			conversation_uuid: call.request_id,
			request_id: call.request_id,
			callerid: call.body.from,
			leg: 'a',
			status: answered ? 'answered' : 'missed',
			call_rate: '0.450000',
			balance: '878.900000',
		});
		return call.records;
	}

	function makeCall(region) {
		return (record) => {
			const problem = checkMakeCall(record.body);
			if (problem) return failure(422, problem);
			return placed(record, region);
		};
	}

	function failure(code, message = FAILURES[code] ?? 'Error') {
		const body = { status: 'error', message, cmi_code: code };
		return errorStyle === 'body' ? { status: 200, body } : { status: code, body };
	}

	function authorised(body) {
		return body && body.appid === appId && body.secret === appSecret;
	}

	async function handle(req, res) {
		const record = {
			method: req.method,
			path: req.url.split('?')[0],
			headers: req.headers,
			/** When the request arrived (ms since the epoch), for pacing checks. */
			time: Date.now(),
			placed: false,
		};
		requests.push(record);
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		// Out of flight once the answer is handed to the socket ('finish'), before the client can
		// have read it, or once the connection is gone without one ('close'): counted once.
		let done = false;
		const leave = () => {
			if (!done) inFlight--;
			done = true;
		};
		res.once('finish', leave);
		res.once('close', leave);

		const fault = faultPlan ? faultPlan({ index: requests.length - 1, path: record.path, headers: req.headers }) : undefined;
		if (fault?.drop === 'before-read') {
			req.socket.destroy();
			return;
		}

		let raw;
		try {
			raw = await readBody(req);
		} catch {
			req.socket.destroy();
			return;
		}
		record.rawBody = raw;
		record.body = parseJson(raw);

		const delay = latencyMs + (fault?.delayMs ?? 0);
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		if (res.destroyed) return;
		if (fault?.drop === 'after-read') {
			// Piopiy may have acted on it: the call is placed, but the answer never arrives.
			if (fault.placeCall !== false) actOn(record);
			req.socket.destroy();
			return;
		}

		let answer;
		if (fault && (fault.status !== undefined || fault.body !== undefined || fault.raw !== undefined)) {
			// A body or raw given as a function is built from the request (to echo it back, say).
			const build = (value) => (typeof value === 'function' ? value(record) : value);
			answer = { status: fault.status ?? 200, body: build(fault.body), raw: build(fault.raw), headers: fault.headers };
			if (fault.placeCall) actOn(record);
		} else if (v3.routes[record.path]) {
			answer = v3.handle(record, req.method);
		} else if (req.method !== 'POST') {
			answer = { status: 405, body: { status: 'error', message: 'Method not allowed', cmi_code: 405 } };
		} else if (!routes[record.path]) {
			answer = { status: 404, body: { status: 'error', message: 'Not found', cmi_code: 404 } };
		} else if (record.body === undefined || typeof record.body !== 'object') {
			answer = failure(501, 'The body must be a JSON object');
		} else if (!authorised(record.body)) {
			answer = failure(401);
		} else {
			answer = routes[record.path](record);
		}
		record.status = answer.status;
		record.answer = answer.raw ?? answer.body;
		log(record);
		send(res, answer);
	}

	function send(res, answer) {
		const headers = { ...(answer.headers ?? {}) };
		let payload;
		if (answer.raw !== undefined) {
			payload = answer.raw;
			headers['content-type'] ??= 'text/html';
		} else if (answer.body !== undefined) {
			payload = JSON.stringify(answer.body);
			headers['content-type'] ??= 'application/json';
		} else {
			payload = '';
		}
		headers['content-length'] = Buffer.byteLength(payload);
		res.writeHead(answer.status, headers);
		res.end(payload);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => req.socket.destroy());
	});
	server.on('connection', (socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	return {
		appId,
		appSecret,
		apiToken,
		requests,
		calls,
		url: undefined,
		/** Starts listening on 127.0.0.1; resolves to the base URL. */
		async start() {
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(options.port ?? 0, '127.0.0.1', resolve);
			});
			this.url = `http://127.0.0.1:${server.address().port}`;
			return this.url;
		},
		async stop() {
			if (refusing) clearTimeout(refusing.timer);
			refusing = undefined;
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
		/** Forget what was received. */
		reset() {
			requests.length = 0;
			calls.length = 0;
			faultPlan = undefined;
			latencyMs = 0;
			maxInFlight = 0;
			connections = 0;
		},
		/**
		 * Decide per request how to misbehave: `plan({index, path, headers})` returns undefined (behave)
		 * or {status, body, raw, headers, delayMs, drop: 'before-read'|'after-read', placeCall}.
		 */
		setFaults(plan) {
			faultPlan = plan;
		},
		/** Misbehave the same way for the next `times` requests. */
		failNext(fault, times = 1) {
			let left = times;
			faultPlan = () => (left-- > 0 ? fault : undefined);
		},
		/**
		 * Stop accepting connections for `ms` (clients get ECONNREFUSED: nothing reaches the server),
		 * then listen again on the same port. Requests already in progress are answered as usual.
		 * Resolves once it listens again.
		 */
		refuseConnections(ms) {
			const port = server.address().port;
			server.close();
			return new Promise((resolve, reject) => {
				refusing = {
					timer: setTimeout(() => {
						refusing = undefined;
						server.once('error', reject);
						server.listen(port, '127.0.0.1', () => {
							server.off('error', reject);
							resolve();
						});
					}, ms),
				};
			});
		},
		/** Add latency to every answer. */
		setLatency(ms) {
			latencyMs = ms;
		},
		/** The most requests in progress at once since the last reset(): arrived, not yet answered. */
		get maxInFlight() {
			return maxInFlight;
		},
		/** Requests in progress now. */
		get inFlight() {
			return inFlight;
		},
		/** TCP connections accepted since the last reset(). */
		get connections() {
			return connections;
		},
		/** A placed call, by its request_id or its call id (cmiuuid; call_id for v3). */
		call(id) {
			return typeof id === 'object' ? id : calls.find((c) => c.request_id === id || c.cmiuuid === id || c.call_id === id);
		},
		/** Ends a live call as Piopiy would and files its call record: {status: 'answered'|'missed', duration}. */
		endCall(id, outcome) {
			return endCall(this.placedCall(id), outcome);
		},
		/** A placed call (see call()), or an error naming the id when there is none. */
		placedCall(id) {
			const call = this.call(id);
			if (!call) throw new Error(`No call ${id}`);
			return call;
		},

		// Piopiy calling you: what it posts to the URLs set in its dashboard and in the actions.

		/** POSTs JSON to a URL as Piopiy does; resolves to {status, headers, body (parsed JSON or undefined), raw, ms}. */
		postWebhook,
		/** An inbound call reaches the answer URL: {from, to, time, cmiuuid}. The answer should be a PCMO action list. */
		async answerInboundCall(url, { from, to, cmiuuid = crypto.randomUUID(), time = Date.now() }) {
			return { cmiuuid, ...(await postWebhook(url, { from, to, time, cmiuuid })) };
		},
		/**
		 * The person called presses keys during an input / play_get_input action of a placed call: Piopiy
		 * posts {from, to, dtmf, cmuuid} (sic) to that action's action_url (or to `url`).
		 */
		async pressKeys(id, dtmf, { url } = {}) {
			const call = this.placedCall(id);
			const input = (call.body.pcmo ?? []).find((a) => a.action === 'input' || a.action === 'play_get_input');
			const target = url ?? input?.action_url;
			if (!target) throw new Error('The call has no input action to press keys for');
			return postWebhook(target, { from: call.body.to, to: call.body.from, dtmf: String(dtmf), cmuuid: call.cmiuuid });
		},
		/** The call ends and Piopiy posts its record (type "cdr", extra_params as a JSON string) to `url`. */
		async sendCallRecord(url, id, outcome) {
			if (this.call(id)?.api === 'v3') throw new Error('What Piopiy posts about a v3 call is not documented');
			const [record] = this.endCall(id, outcome);
			return postWebhook(url, record);
		},
		/** A live event (type "event") of a placed call: out_started, ringing, out_answered, out_bridged, hangup... */
		async sendCallEvent(url, id, status, extra = {}) {
			const call = this.placedCall(id);
			return postWebhook(url, {
				type: 'event',
				appid: appId,
				callerid: call.body.from,
				conversation_uuid: call.request_id,
				direction: 'outbound',
				extra_params: JSON.stringify(call.body.extra_params ?? {}),
				from: call.body.from,
				leg: 'a',
				request_id: call.request_id,
				status,
				time: Date.now(),
				to: call.body.to,
				cmiuuid: call.cmiuuid,
				vn: call.body.from,
				...extra,
			});
		},
		/**
		 * Posts `body` to the on_result URL of a v3 call's first input or play_get_input action (or to
		 * `url`). What Piopiy really posts there is not documented, so the test chooses the body.
		 */
		async sendV3Result(id, body, { url } = {}) {
			const call = this.call(id);
			if (!call || call.api !== 'v3') throw new Error(`No v3 call ${id}`);
			const step = (call.body.pipeline ?? []).find((a) => (a.action === 'input' || a.action === 'play_get_input') && a.on_result?.type === 'url');
			const target = url ?? step?.on_result.url;
			if (!target) throw new Error('The call has no input action with an on_result URL');
			return postWebhook(target, body);
		},
		failure,
		FAILURES,
	};
}

async function postWebhook(url, body) {
	const started = Date.now();
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'user-agent': 'piopiy-simulator' },
		body: JSON.stringify(body),
	});
	const raw = await response.text();
	return { status: response.status, headers: Object.fromEntries(response.headers), body: parseJson(raw), raw, ms: Date.now() - started };
}

/** The JSON in `text`, or undefined when it is empty or not JSON. */
function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('body too large'));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

module.exports = { createPiopiySimulator, checkMakeCall, checkAction, checkV3Request, postWebhook };
