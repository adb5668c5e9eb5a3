import { wholeNumber } from '../values';
import { flag, strictObject, text } from './checks';
import { callOptions } from './callOptions';
import { CONNECT_LIMITS, recording, strategy, waitingMusic } from './connect';
import { agentUuid, callUuid, flowUuid, orgUuid, v3AppId } from './ids';
import { metadata, variables } from './maps';
import { v3PhoneNumber } from './numbers';
import { pipeline } from './actions';

/**
 * The bodies of v3's endpoints (docs/piopiy-api.md section 7, "Endpoints"), each an object with
 * exactly the keys that endpoint takes, returned in the key order of v3's SDK. Every body the node
 * sends goes through one of these last, so what is sent is what was checked.
 */

const toNumberHints = {
	to: 'v3 calls the number dialled "to_number"',
	from: 'v3 calls the caller ID "caller_id"',
	appid: 'v3 calls it "app_id" (text); the API token goes in a header, not in the body',
	secret: 'v3 authenticates with an API token in a header, never in the body',
	extra_params: 'v3 calls them "variables" (text, numbers and true/false only)',
	pcmo: 'v3 calls the list of actions "pipeline"',
};

/** POST /voice/pcmo/call: a call that runs a pipeline. */
export const pcmoCallRequest = strictObject('a v3 pipeline call', {
	fields: {
		caller_id: v3PhoneNumber,
		to_number: v3PhoneNumber,
		app_id: v3AppId,
		pipeline,
		options: callOptions,
		variables,
		agent_id: agentUuid,
	},
	required: ['caller_id', 'to_number', 'app_id', 'pipeline'],
	hints: { ...toNumberHints, ring_type: 'the ring strategy goes in the connect action: "params": {"strategy": ...}' },
});

/** POST /voice/ai/call: a call answered by an AI agent. */
export const aiCallRequest = strictObject('a v3 AI agent call', {
	fields: { caller_id: v3PhoneNumber, to_number: v3PhoneNumber, agent_id: agentUuid, options: callOptions, variables },
	required: ['caller_id', 'to_number', 'agent_id'],
	hints: {
		...toNumberHints,
		app_id: 'an AI agent call names no app; with a failover agent it is a pipeline call (/voice/pcmo/call)',
		failover: 'a call with a failover agent is a pipeline call (/voice/pcmo/call) that connects both agents',
	},
});

/** POST /voice/flow/call: a call that runs a flow built in Piopiy's dashboard. */
export const flowCallRequest = strictObject('a v3 flow call', {
	fields: {
		flow_id: flowUuid,
		org_id: orgUuid,
		caller_id: v3PhoneNumber,
		to_number: v3PhoneNumber,
		app_id: v3AppId,
		options: callOptions,
		variables,
	},
	required: ['flow_id', 'org_id', 'caller_id', 'to_number', 'app_id'],
	hints: { ...toNumberHints, pipeline: 'a flow call runs the flow; a pipeline goes with a pipeline call' },
});

/** POST /voice/pcmo/transfer: a live call goes on with a new pipeline. */
export const transferRequest = strictObject('a v3 transfer', {
	fields: { call_id: callUuid, pipeline },
	required: ['call_id', 'pipeline'],
});

export const HANGUP_LIMITS = { cause: 64, reason: 256 };
export const DEFAULT_HANGUP_CAUSE = 'NORMAL_CLEARING';

/** POST /voice/call/hangup: ends a live call; the cause is NORMAL_CLEARING unless given. */
export const hangupRequest = strictObject('a v3 hang-up', {
	fields: {
		call_id: callUuid,
		cause: text('a hang-up cause', HANGUP_LIMITS.cause),
		reason: text('a hang-up reason', HANGUP_LIMITS.reason),
	},
	required: ['call_id'],
	hints: { cmiuuid: 'v3 calls it "call_id"', cmiuid: 'v3 calls it "call_id"', action: 'hang-up is its own endpoint in v3' },
}).transform((body) => ({
	call_id: body.call_id,
	cause: body.cause ?? DEFAULT_HANGUP_CAUSE,
	...(body.reason === undefined ? {} : { reason: body.reason }),
}));

/**
 * The failover of an AI agent call, in the SDK's own form (docs/piopiy-api.md section 7, "AI call
 * with a failover agent"): the second agent and the settings of the connect that rings both.
 */
export const failover = strictObject('the failover', {
	fields: {
		agent_id: agentUuid,
		strategy,
		max_duration_sec: wholeNumber(CONNECT_LIMITS.maxDurationSec.min, CONNECT_LIMITS.maxDurationSec.max, 'seconds'),
		ring_timeout_sec: wholeNumber(CONNECT_LIMITS.ringTimeoutSec.min, CONNECT_LIMITS.ringTimeoutSec.max, 'seconds'),
		machine_detection: flag,
		recording,
		waiting_music: waitingMusic,
		metadata,
	},
	required: ['agent_id'],
	hints: { number: 'a failover rings an AI agent ("agent_id"), not a number' },
});
