'use strict';
/**
 * Piopiy's v3 API ("Voice Orchestrator", docs/piopiy-api.md section 7) for the simulator: the five
 * endpoints under /v3, the Bearer token check, and the request rules of Piopiy's SDK 1.2.0 (its
 * validators, as listed in docs/piopiy-api.md section 7), written here independently of the node's
 * own schemas so that each checks the other. A refused request gets the SDK's own message for the
 * first problem found.
 *
 * What Piopiy's v3 server answers is not documented; this simulator assumes:
 * - a missing or malformed `Authorization: Bearer` header, or an unknown token: HTTP 401
 *   {"error": "unauthorized" | "invalid_token", "message": ...}; a token whose app is not active
 *   (option `inactiveTokens`) or an `app_id` that is not the simulator's: HTTP 403
 *   {"error": "app_not_active", ...} (the Python SDK's tests mock that body);
 * - the token is checked before the body, then the body against the SDK's rules: HTTP 400
 *   {"error": "invalid_request", "message": <the SDK's message>};
 * - a placed call: HTTP 200 {"message": "call_queued", "call_id": <uuid>} (`call_id` left out with
 *   the option `callIdInAnswer: false`, since whether Piopiy sends one is not documented);
 * - a hang-up or transfer: HTTP 200 {"message": "queued"}, whether or not the call exists (the work
 *   is queued; nothing says Piopiy looks the call up first). A live simulated call is ended, or
 *   given the new pipeline.
 * With the simulator's `errorStyle: 'body'`, every error comes inside an HTTP 200 answer instead.
 */
const crypto = require('node:crypto');

const PHONE = /^[1-9][0-9]{6,15}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ACTIONS = ['connect', 'hangup', 'input', 'param', 'play', 'play_get_input', 'record'];

/** A request the rules refuse; the message is the SDK's. */
class Refusal extends Error {}

function refuse(message) {
	throw new Refusal(message);
}

function isObject(value) {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function keys(value, required, optional = []) {
	const missing = required.filter((key) => !(key in value)).sort();
	if (missing.length) refuse(`Missing required field(s): ${missing.join(', ')}`);
	const allowed = [...required, ...optional];
	const unknown = Object.keys(value).filter((key) => !allowed.includes(key)).sort();
	if (unknown.length) refuse(`Unknown field(s): ${unknown.join(', ')}`);
}

function object(value, field) {
	if (!isObject(value)) refuse(`${field} must be an object.`);
}

function string(value, field, { min, max } = {}) {
	if (typeof value !== 'string') refuse(`${field} must be a string.`);
	if (min !== undefined && value.length < min) refuse(`${field} must be at least ${min} characters long.`);
	if (max !== undefined && value.length > max) refuse(`${field} must be at most ${max} characters long.`);
}

function phone(value, field) {
	string(value, field);
	if (!PHONE.test(value)) refuse(`${field} must match ^[1-9][0-9]{6,15}$.`);
}

function uuid(value, field) {
	string(value, field);
	if (!UUID.test(value)) refuse(`${field} must be a valid UUID string.`);
}

function integer(value, field, min, max) {
	if (!Number.isInteger(value)) refuse(`${field} must be an integer.`);
	if (min !== undefined && value < min) refuse(`${field} must be >= ${min}.`);
	if (max !== undefined && value > max) refuse(`${field} must be <= ${max}.`);
}

function boolean(value, field) {
	if (typeof value !== 'boolean') refuse(`${field} must be a boolean.`);
}

function choice(value, field, choices, words) {
	if (!choices.includes(value)) refuse(`${field} must be ${words}.`);
}

/** variables, metadata and param data: named scalars. */
function scalars(value, field, { maxEntries, maxText } = {}) {
	object(value, field);
	const entries = Object.entries(value);
	if (maxEntries !== undefined && entries.length > maxEntries) refuse(`${field} supports at most ${maxEntries} entries.`);
	for (const [key, item] of entries) {
		if (!NAME.test(key)) refuse(`${field} has invalid key '${key}'.`);
		const scalar = typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && !Number.isNaN(item));
		if (!scalar) refuse(`${field}.${key} must be string, number, or boolean.`);
		if (maxText !== undefined && typeof item === 'string' && item.length > maxText) {
			refuse(`${field}.${key} exceeds max string length ${maxText}.`);
		}
	}
}

/** Call-level options: the message always says "options.", whatever the key was called. */
function callOptions(value) {
	object(value, 'options');
	const unknown = Object.keys(value).filter((key) => !['max_duration_sec', 'record', 'ring_timeout_sec'].includes(key)).sort();
	if (unknown.length) refuse(`Unknown option(s): ${unknown.join(', ')}`);
	if ('max_duration_sec' in value) integer(value.max_duration_sec, 'options.max_duration_sec', 30, 7200);
	if ('record' in value) boolean(value.record, 'options.record');
	if ('ring_timeout_sec' in value) integer(value.ring_timeout_sec, 'options.ring_timeout_sec', 5, 120);
}

function recording(value, field) {
	object(value, field);
	keys(value, [], ['enabled', 'channels', 'format']);
	if ('enabled' in value) boolean(value.enabled, `${field}.enabled`);
	if ('channels' in value) choice(value.channels, `${field}.channels`, ['dual', 'single'], 'dual or single');
	if ('format' in value) choice(value.format, `${field}.format`, ['mp3', 'wav'], 'mp3 or wav');
}

/** The settings of a connect (and of a failover, which becomes one): durations, detection, recording, music. */
function legSettings(value, field) {
	if ('max_duration_sec' in value) integer(value.max_duration_sec, `${field}.max_duration_sec`, 10, 7200);
	if ('ring_timeout_sec' in value) integer(value.ring_timeout_sec, `${field}.ring_timeout_sec`, 5, 120);
	if ('machine_detection' in value) boolean(value.machine_detection, `${field}.machine_detection`);
	if ('recording' in value) recording(value.recording, `${field}.recording`);
	if ('waiting_music' in value) string(value.waiting_music, `${field}.waiting_music`);
}

const LEG_SETTINGS = ['max_duration_sec', 'ring_timeout_sec', 'machine_detection', 'recording', 'waiting_music'];

function connect(action, at) {
	keys(action, ['action', 'params', 'endpoints']);
	const params = action.params;
	object(params, `${at}.params`);
	keys(params, ['caller_id'], ['strategy', 'options', 'metadata']);
	phone(params.caller_id, `${at}.params.caller_id`);
	if ('strategy' in params) choice(params.strategy, `${at}.params.strategy`, ['simultaneous', 'sequential'], 'simultaneous or sequential');
	if ('options' in params) {
		object(params.options, `${at}.params.options`);
		keys(params.options, [], LEG_SETTINGS);
		legSettings(params.options, `${at}.params.options`);
	}
	if ('metadata' in params) scalars(params.metadata, `${at}.params.metadata`);

	const list = action.endpoints;
	if (!Array.isArray(list)) refuse(`${at}.endpoints must be an array.`);
	if (list.length === 0) refuse(`${at}.endpoints must contain at least one endpoint.`);
	list.forEach((endpoint, index) => {
		const field = `${at}.endpoints[${index}]`;
		object(endpoint, field);
		keys(endpoint, ['type'], ['number', 'uri', 'id', 'headers']);
		choice(endpoint.type, `${field}.type`, ['pstn', 'sip', 'agent'], 'one of: pstn, sip, agent');
		const needs = { pstn: 'number', sip: 'uri', agent: 'id' }[endpoint.type];
		if (!(needs in endpoint)) refuse(`${field}.${needs} is required when type is ${endpoint.type}.`);
		if (endpoint.type === 'pstn') phone(endpoint.number, `${field}.number`);
		if (endpoint.type === 'sip') string(endpoint.uri, `${field}.uri`);
		if (endpoint.type === 'agent') uuid(endpoint.id, `${field}.id`);
		if ('headers' in endpoint) object(endpoint.headers, `${field}.headers`);
	});
	const agents = list.filter((endpoint) => endpoint.type === 'agent').length;
	if (agents > 2) refuse('A maximum of two agent endpoints is allowed.');
	const firstAgent = list.findIndex((endpoint) => endpoint.type === 'agent');
	if (firstAgent >= 0 && list.slice(firstAgent).some((endpoint) => endpoint.type !== 'agent')) {
		refuse('Agent endpoints must be at the end of connect.endpoints.');
	}
}

function prompt(value, field) {
	object(value, field);
	keys(value, ['type'], ['file_name', 'say', 'voice_id', 'language', 'speed']);
	choice(value.type, `${field}.type`, ['file', 'say'], 'one of: file, say');
	const needed = value.type === 'file' ? ['file_name'] : ['say', 'language', 'voice_id', 'speed'];
	for (const key of needed) {
		if (!(key in value)) refuse(`${field}.${key} is required when type is ${value.type}.`);
	}
	for (const key of ['file_name', 'say', 'language', 'voice_id']) {
		if (key in value) string(value[key], `${field}.${key}`);
	}
	if ('speed' in value) {
		if (typeof value.speed !== 'number' || Number.isNaN(value.speed)) refuse(`${field}.speed must be a number.`);
		if (value.speed < 0.5) refuse(`${field}.speed must be >= 0.5.`);
		if (value.speed > 2) refuse(`${field}.speed must be <= 2.`);
	}
}

function onResult(value, field) {
	object(value, field);
	keys(value, ['type'], ['ref', 'url']);
	choice(value.type, `${field}.type`, ['pcmo', 'url'], 'one of: pcmo, url');
	if (value.type === 'url') {
		if (!('url' in value)) refuse(`${field}.url is required when type is url.`);
		string(value.url, `${field}.url`);
		if (!/^https?:\/\//.test(value.url)) refuse(`${field}.url must start with http:// or https://.`);
	} else {
		if (!('ref' in value)) refuse(`${field}.ref is required when type is pcmo.`);
		string(value.ref, `${field}.ref`);
	}
}

function dtmf(value, field) {
	object(value, field);
	const counts = ['min_digits', 'max_digits', 'first_digit_timeout', 'inter_digit_timeout'];
	keys(value, [], [...counts, 'finish_on_key', 'flush_buffer']);
	for (const key of counts) if (key in value) integer(value[key], `${field}.${key}`, 1);
	if ('finish_on_key' in value) string(value.finish_on_key, `${field}.finish_on_key`, { max: 1 });
	if ('flush_buffer' in value) boolean(value.flush_buffer, `${field}.flush_buffer`);
}

function retries(value, field) {
	object(value, field);
	keys(value, [], ['max', 'no_input_prompt', 'invalid_prompt']);
	if ('max' in value) integer(value.max, `${field}.max`, 0);
	if ('no_input_prompt' in value) prompt(value.no_input_prompt, `${field}.no_input_prompt`);
	if ('invalid_prompt' in value) prompt(value.invalid_prompt, `${field}.invalid_prompt`);
}

function inputKinds(value, at) {
	if (!Array.isArray(value)) refuse(`${at}.input must be an array.`);
	if (value.length === 0) refuse(`${at}.input must contain at least one item.`);
	const seen = new Set();
	value.forEach((kind, index) => {
		choice(kind, `${at}.input[${index}]`, ['dtmf', 'speech'], 'dtmf or speech');
		if (seen.has(kind)) refuse(`${at} contains duplicate value '${kind}'.`);
		seen.add(kind);
	});
}

const ACTION_RULES = {
	connect,
	play(action, at) {
		keys(action, ['action', 'file_name']);
		string(action.file_name, `${at}.file_name`);
	},
	play_get_input(action, at) {
		keys(action, ['action', 'prompt', 'input', 'on_result'], ['dtmf', 'retries']);
		prompt(action.prompt, `${at}.prompt`);
		inputKinds(action.input, at);
		onResult(action.on_result, `${at}.on_result`);
		if ('dtmf' in action) dtmf(action.dtmf, `${at}.dtmf`);
		if ('retries' in action) retries(action.retries, `${at}.retries`);
	},
	input(action, at) {
		keys(action, ['action', 'on_result'], ['dtmf']);
		onResult(action.on_result, `${at}.on_result`);
		if ('dtmf' in action) dtmf(action.dtmf, `${at}.dtmf`);
	},
	param(action, at) {
		keys(action, ['action', 'data']);
		scalars(action.data, `${at}.data`, { maxEntries: 10, maxText: 256 });
	},
	record(action, at) {
		keys(action, ['action'], ['format', 'channels']);
		if ('format' in action) choice(action.format, `${at}.format`, ['mp3', 'wav'], 'mp3 or wav');
		if ('channels' in action) choice(action.channels, `${at}.channels`, ['single', 'dual'], 'single or dual');
	},
	hangup(action) {
		keys(action, ['action']);
	},
};

function pipeline(value) {
	if (!Array.isArray(value)) refuse('pipeline must be an array.');
	if (value.length === 0) refuse('pipeline must contain at least one action.');
	value.forEach((action, index) => {
		const at = `pipeline[${index}]`;
		object(action, at);
		if (!('action' in action)) refuse(`${at}.action is required.`);
		choice(action.action, `${at}.action`, ACTIONS, `one of: ${ACTIONS.join(', ')}`);
		ACTION_RULES[action.action](action, at);
	});
}

function failover(value, primary) {
	object(value, 'failover');
	keys(value, ['agent_id'], ['strategy', ...LEG_SETTINGS, 'metadata']);
	uuid(value.agent_id, 'failover.agent_id');
	if (value.agent_id.toLowerCase() === String(primary).toLowerCase()) refuse('failover.agent_id cannot be same as primary agent_id.');
	if ('strategy' in value) choice(value.strategy, 'failover.strategy', ['simultaneous', 'sequential'], 'simultaneous or sequential');
	legSettings(value, 'failover');
	if ('metadata' in value) scalars(value.metadata, 'failover.metadata');
}

/** The rules of each endpoint's body; each throws a Refusal with the SDK's message for the first problem. */
const RULES = {
	'/voice/pcmo/call'(body) {
		keys(body, ['caller_id', 'to_number', 'pipeline', 'app_id'], ['agent_id', 'options', 'variables']);
		phone(body.caller_id, 'caller_id');
		phone(body.to_number, 'to_number');
		string(body.app_id, 'app_id');
		pipeline(body.pipeline);
		if ('agent_id' in body) uuid(body.agent_id, 'agent_id');
		if ('options' in body) callOptions(body.options);
		if ('variables' in body) scalars(body.variables, 'variables');
	},
	'/voice/ai/call'(body) {
		keys(body, ['caller_id', 'to_number', 'agent_id'], ['options', 'variables', 'app_id', 'failover']);
		phone(body.caller_id, 'caller_id');
		phone(body.to_number, 'to_number');
		uuid(body.agent_id, 'agent_id');
		if ('options' in body) callOptions(body.options);
		if ('variables' in body) scalars(body.variables, 'variables');
		if ('failover' in body && !('app_id' in body)) refuse('app_id is required when failover is provided.');
		if ('app_id' in body && !('failover' in body)) refuse('app_id is only supported when failover is provided.');
		if ('app_id' in body) string(body.app_id, 'app_id');
		if ('failover' in body) failover(body.failover, body.agent_id);
	},
	'/voice/flow/call'(body) {
		keys(body, ['flow_id', 'org_id', 'caller_id', 'to_number', 'app_id'], ['options', 'variables']);
		uuid(body.flow_id, 'flow_id');
		uuid(body.org_id, 'org_id');
		phone(body.caller_id, 'caller_id');
		phone(body.to_number, 'to_number');
		string(body.app_id, 'app_id');
		if ('options' in body) callOptions(body.options);
		if ('variables' in body) scalars(body.variables, 'variables');
	},
	'/voice/pcmo/transfer'(body) {
		keys(body, ['call_id', 'pipeline']);
		uuid(body.call_id, 'call_id');
		pipeline(body.pipeline);
	},
	'/voice/call/hangup'(body) {
		keys(body, ['call_id'], ['cause', 'reason']);
		uuid(body.call_id, 'call_id');
		if ('cause' in body) string(body.cause, 'cause', { min: 1, max: 64 });
		if ('reason' in body) string(body.reason, 'reason', { min: 1, max: 256 });
	},
};

/**
 * The first problem v3's rules find in a body sent to `path` (e.g. "/voice/pcmo/call"), as the SDK
 * words it, or undefined when the body passes.
 */
function checkV3Request(path, body) {
	const rules = RULES[path];
	if (!rules) return `No v3 endpoint ${path}`;
	try {
		if (!isObject(body)) refuse('The body must be a JSON object.');
		rules(body);
		return undefined;
	} catch (error) {
		if (error instanceof Refusal) return error.message;
		throw error;
	}
}

/**
 * The v3 part of a simulator. `calls` is the simulator's list of placed calls (v3 calls join it with
 * api: 'v3'); `failure(status, body)` shapes an error answer the way the simulator's errorStyle says.
 */
function createV3Api({ apiToken, inactiveTokens = [], appId, calls, failure, callIdInAnswer = true }) {
	const routes = {};
	for (const path of Object.keys(RULES)) routes[`/v3${path}`] = path;

	/** undefined when the request's Bearer token may use the API, else the answer refusing it. */
	function refusal(record) {
		const header = record.headers.authorization;
		const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
		if (!match) return failure(401, { error: 'unauthorized', message: 'Missing or malformed Authorization: Bearer header' });
		record.bearer = true;
		if (inactiveTokens.includes(match[1])) return failure(403, { error: 'app_not_active', message: 'The app of this token is not active' });
		if (match[1] !== apiToken) return failure(401, { error: 'invalid_token', message: 'Invalid API token' });
		return undefined;
	}

	function place(record, kind) {
		const call = {
			api: 'v3',
			kind,
			call_id: crypto.randomUUID(),
			body: record.body,
			status: 'live',
			transfers: [],
			records: [],
			time: Date.now(),
		};
		calls.push(call);
		record.placed = true;
		return { status: 200, body: callIdInAnswer ? { message: 'call_queued', call_id: call.call_id } : { message: 'call_queued' } };
	}

	function liveCall(callId) {
		return calls.find((call) => call.api === 'v3' && call.call_id === callId && call.status === 'live');
	}

	const ACTS = {
		'/voice/pcmo/call': (record) => place(record, 'pcmo'),
		'/voice/ai/call': (record) => place(record, 'ai'),
		'/voice/flow/call': (record) => place(record, 'flow'),
		'/voice/pcmo/transfer'(record) {
			liveCall(record.body.call_id)?.transfers.push(record.body.pipeline);
			return { status: 200, body: { message: 'queued' } };
		},
		'/voice/call/hangup'(record) {
			const call = liveCall(record.body.call_id);
			if (call) {
				call.status = 'ended';
				call.hangup = { cause: record.body.cause ?? 'NORMAL_CLEARING', reason: record.body.reason };
			}
			return { status: 200, body: { message: 'queued' } };
		},
	};

	/** Carries out an accepted request (a fault that still places the call uses this). */
	function act(record) {
		const path = routes[record.path];
		if (!path || refusal(record) || checkV3Request(path, record.body)) return undefined;
		if (record.body.app_id !== undefined && record.body.app_id !== String(appId)) return undefined;
		return ACTS[path](record);
	}

	/** The whole answer to a request for one of the v3 paths. */
	function handle(record, method) {
		record.api = 'v3';
		const path = routes[record.path];
		if (method !== 'POST') return failure(405, { error: 'method_not_allowed', message: 'Use POST' });
		const refused = refusal(record);
		if (refused) return refused;
		if (record.body === undefined || !isObject(record.body)) {
			return failure(400, { error: 'invalid_request', message: 'The body must be a JSON object.' });
		}
		const problem = checkV3Request(path, record.body);
		if (problem) {
			record.refusal = problem;
			return failure(400, { error: 'invalid_request', message: problem });
		}
		if (record.body.app_id !== undefined && record.body.app_id !== String(appId)) {
			return failure(403, { error: 'app_not_active', message: 'app_id is not an active app of this account' });
		}
		return ACTS[path](record);
	}

	return { routes, handle, act, liveCall };
}

module.exports = { createV3Api, checkV3Request };
