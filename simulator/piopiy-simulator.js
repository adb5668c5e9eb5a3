'use strict';
/**
 * A local stand-in for Piopiy's REST API (v2 make-call and get_channels), for tests, the demo and
 * development without a Piopiy account. It checks credentials and bodies the way the API is
 * documented to, answers with the documented bodies, records every request, and can be told to
 * misbehave (an HTTP status, an error inside a 200 body, a delay, a dropped connection, a non-JSON
 * body) so the node's handling of each can be tested against a real socket.
 *
 * It binds 127.0.0.1 only and has no dependencies.
 */
const http = require('node:http');
const crypto = require('node:crypto');

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

/** The checks Piopiy makes on a v2 PCMO make-call body; returns the first problem found. */
function checkMakeCall(body) {
	if (!isPhoneNumber(body.to)) return '"to" must be a phone number given as a JSON number';
	if (!isPhoneNumber(body.from)) return '"from" must be a phone number given as a JSON number';
	if (body.duration !== undefined && !isCount(body.duration, 86400)) return '"duration" must be a positive whole number';
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

function checkAction(action) {
	if (!action || typeof action !== 'object') return 'an action must be an object';
	switch (action.action) {
		case 'bridge': {
			if (!isPhoneNumber(action.from)) return '"from" must be a phone number given as a JSON number';
			if (!Array.isArray(action.connect) || action.connect.length === 0) return '"connect" must be a non-empty list';
			for (const leg of action.connect) {
				if (!leg || leg.type !== 'pstn' || !isPhoneNumber(leg.number)) {
					return '"connect" entries must be {"type":"pstn","number":<phone number>}';
				}
			}
			for (const key of ['duration', 'timeout', 'loop']) {
				if (action[key] !== undefined && !isCount(action[key], 86400)) return `"${key}" must be a positive whole number`;
			}
			if (action.ring_type !== undefined && !['single', 'group'].includes(action.ring_type)) {
				return '"ring_type" must be "single" or "group"';
			}
			return undefined;
		}
		default:
			return `unknown action ${JSON.stringify(action.action)}`;
	}
}

/**
 * @param {object} [options]
 * @param {number} [options.appId] the app id accepted (default 2222226)
 * @param {string} [options.appSecret] the secret accepted (default 'sim-secret')
 * @param {'http'|'body'} [options.errorStyle] errors as an HTTP status with the body (default), or inside an HTTP 200 body
 * @param {number} [options.port] default 0: a free port
 */
function createPiopiySimulator(options = {}) {
	const appId = options.appId ?? 2222226;
	const appSecret = options.appSecret ?? 'sim-secret';
	const errorStyle = options.errorStyle ?? 'http';
	const log = options.log ?? (() => {});

	/** Every request received, in order. */
	const requests = [];
	/** The calls Piopiy would have placed (accepted make-call requests). */
	const calls = [];
	let faultPlan;
	let latencyMs = 0;
	let inFlight = 0;
	let maxInFlight = 0;
	const sockets = new Set();

	const routes = {
		'/v2/ind_pcmo_make_call': makeCall('india'),
		'/v2/global_pcmo_make_call': makeCall('global'),
		'/v2/piopiy/get_channels': () => ({ status: 200, body: { ...SUCCESS, data: { channels: 10 }, cmi_code: 200 } }),
	};

	function makeCall(region) {
		return (record) => {
			const problem = checkMakeCall(record.body);
			if (problem) return failure(422, problem);
			const id = requestId();
			calls.push({ region, request_id: id, body: record.body });
			record.placed = true;
			return { status: 200, body: { ...SUCCESS, request_id: id, cmi_code: 200 } };
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
			time: Date.now(),
			placed: false,
		};
		requests.push(record);
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		res.on('close', () => inFlight--);

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
		try {
			record.body = raw === '' ? undefined : JSON.parse(raw);
		} catch {
			record.body = undefined;
		}

		const delay = latencyMs + (fault?.delayMs ?? 0);
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		if (res.destroyed) return;
		if (fault?.drop === 'after-read') {
			// Piopiy may have acted on it: the call is placed, but the answer never arrives.
			if (fault.placeCall !== false && routes[record.path] && authorised(record.body)) routes[record.path](record);
			req.socket.destroy();
			return;
		}

		let answer;
		if (fault && (fault.status !== undefined || fault.body !== undefined || fault.raw !== undefined)) {
			answer = { status: fault.status ?? 200, body: fault.body, raw: fault.raw, headers: fault.headers };
			if (fault.placeCall && routes[record.path] && authorised(record.body)) routes[record.path](record);
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
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	return {
		appId,
		appSecret,
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
		/** Add latency to every answer. */
		setLatency(ms) {
			latencyMs = ms;
		},
		get maxInFlight() {
			return maxInFlight;
		},
		failure,
		FAILURES,
	};
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

module.exports = { createPiopiySimulator, checkMakeCall };
