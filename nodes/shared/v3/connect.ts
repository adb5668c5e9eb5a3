import { z } from 'zod';

import { hasOwn } from '../actionSchema';
import { MAX_NUMBERS_PER_CALL } from '../phoneNumber';
import { describeUrl } from '../urls';
import { describeValue, jsonObject, kindOf, oneOf, wholeNumber } from '../values';
import { fail, flag, forward, isPlainObject, issue, optionalObject, strictObject, text, type JsonObject } from './checks';
import { agentUuid } from './ids';
import { metadata } from './maps';
import { v3PhoneNumber } from './numbers';

/**
 * v3's `connect` action, the successor of v2's bridge (docs/piopiy-api.md section 7, "Pipeline
 * actions"): `params` (caller ID, ring strategy, options, metadata) and the `endpoints` to ring,
 * phone numbers (pstn), SIP addresses (sip) or AI agents (agent).
 */
export const CONNECT_LIMITS = {
	maxDurationSec: { min: 10, max: 7200 },
	ringTimeoutSec: { min: 5, max: 120 },
	maxAgents: 2,
	maxEndpoints: MAX_NUMBERS_PER_CALL,
};

export const STRATEGIES = ['sequential', 'simultaneous'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const strategy = oneOf(STRATEGIES);

export const recording = optionalObject('the recording settings', {
	fields: {
		enabled: flag,
		channels: oneOf(['dual', 'single']),
		format: oneOf(['mp3', 'wav']),
	},
});

/** Music for the caller while the endpoints ring: a URL or the name of a file uploaded to Piopiy. */
export const waitingMusic = text('the waiting music (a URL or file name)', 2048, describeUrl);

/** The keys of a connect's params.options, in the wire order of every SDK capture. */
export const connectOptions = optionalObject('the connect options', {
	fields: {
		max_duration_sec: wholeNumber(CONNECT_LIMITS.maxDurationSec.min, CONNECT_LIMITS.maxDurationSec.max, 'seconds'),
		ring_timeout_sec: wholeNumber(CONNECT_LIMITS.ringTimeoutSec.min, CONNECT_LIMITS.ringTimeoutSec.max, 'seconds'),
		machine_detection: flag,
		recording,
		waiting_music: waitingMusic,
	},
	hints: {
		record: '"record" is a call option; a connect records with "recording": {"enabled": true}',
		duration: 'v3 calls it "max_duration_sec"',
		timeout: 'v3 calls it "ring_timeout_sec"',
		loop: 'v3 has no loop: a connect rings its endpoints once',
	},
});

export const connectParams = strictObject('a connect\'s "params"', {
	fields: { caller_id: v3PhoneNumber, strategy, options: connectOptions, metadata },
	required: ['caller_id'],
	hints: {
		from: 'v3 calls the caller ID "caller_id"',
		ring_type: 'v3 calls it "strategy": "sequential" or "simultaneous"',
		duration: 'durations go in "options": {"max_duration_sec": ...}',
		timeout: 'ring timeouts go in "options": {"ring_timeout_sec": ...}',
	},
});

const headers = jsonObject.transform((value) => (Object.keys(value).length ? (value as JsonObject) : undefined));

const ENDPOINTS = {
	pstn: strictObject('a "pstn" endpoint', {
		constant: { type: 'pstn' },
		fields: { number: v3PhoneNumber, headers },
		required: ['number'],
	}),
	sip: strictObject('a "sip" endpoint', {
		constant: { type: 'sip' },
		fields: { uri: text('a SIP address like "sip:agent@example.com"', 2048, describeUrl), headers },
		required: ['uri'],
	}),
	agent: strictObject('an "agent" endpoint', {
		constant: { type: 'agent' },
		fields: { id: agentUuid, headers },
		required: ['id'],
	}),
};
type EndpointType = keyof typeof ENDPOINTS;

/** One endpoint, chosen by its `type`. */
export const endpoint = z.unknown().transform((value, ctx): JsonObject => {
	if (!isPlainObject(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not an endpoint like {"type": "pstn", "number": "919876543210"}`);
	}
	const type = hasOwn(value, 'type') ? value.type : undefined;
	if (typeof type !== 'string' || !hasOwn(ENDPOINTS, type)) {
		return fail(ctx, `${describeValue(type)} is not an endpoint type; use "pstn" (a phone number), "sip" or "agent" (an AI agent)`, ['type']);
	}
	const parsed = forward(ENDPOINTS[type as EndpointType], value, ctx);
	return parsed.ok ? parsed.data : (z.NEVER as never);
});

/** Who a connect rings: at least one endpoint; at most two AI agents, and those last. */
export const endpoints = z.unknown().transform((value, ctx): JsonObject[] => {
	if (!Array.isArray(value)) {
		return fail(ctx, `${describeValue(value)} is ${kindOf(value)}, not a list of endpoints like [{"type": "pstn", "number": "919876543210"}]`);
	}
	if (value.length === 0) return fail(ctx, 'is an empty list: a connect needs at least one endpoint to ring');
	if (value.length > CONNECT_LIMITS.maxEndpoints) {
		return fail(ctx, `has ${value.length} endpoints; one connect rings at most ${CONNECT_LIMITS.maxEndpoints}`);
	}
	const parsed = forward(z.array(endpoint), value, ctx);
	if (!parsed.ok) return z.NEVER as never;
	const list = parsed.data;
	const agents = list.filter((e) => e.type === 'agent').length;
	if (agents > CONNECT_LIMITS.maxAgents) {
		return fail(ctx, `has ${agents} agent endpoints; a connect rings at most ${CONNECT_LIMITS.maxAgents} AI agents`);
	}
	const firstAgent = list.findIndex((e) => e.type === 'agent');
	const lateHuman = firstAgent < 0 ? -1 : list.findIndex((e, index) => index > firstAgent && e.type !== 'agent');
	if (lateHuman >= 0) {
		return fail(ctx, `this "${String(list[lateHuman].type)}" endpoint comes after an AI agent: agent endpoints must come last`, [lateHuman]);
	}
	const seen = new Set<string>();
	let ok = true;
	list.forEach((e, index) => {
		const key = `${String(e.type)}:${String(e.number ?? e.uri ?? e.id)}`;
		if (seen.has(key)) {
			ok = false;
			issue(ctx, `${describeValue(e.number ?? e.uri ?? e.id)} is listed twice`, [index]);
		}
		seen.add(key);
	});
	return ok ? list : (z.NEVER as never);
});

export const connectAction = strictObject('a "connect" action', {
	constant: { action: 'connect' },
	fields: { params: connectParams, endpoints },
	required: ['params', 'endpoints'],
	hints: {
		from: 'the caller ID goes in "params": {"caller_id": ...}',
		connect: 'v3 lists who to ring as "endpoints"',
		ring_type: 'the ring strategy goes in "params": {"strategy": ...}',
	},
});
