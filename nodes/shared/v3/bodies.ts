import type { z } from 'zod';

import type { JsonObject } from './checks';
import type { Strategy } from './connect';
import { agentUuid } from './ids';
import { aiCallRequest, failover as failoverSchema, flowCallRequest, hangupRequest, pcmoCallRequest, transferRequest } from './requests';

/**
 * The request of each v3 endpoint, built from the node's values (docs/piopiy-api.md section 7,
 * "Endpoints"). Inputs are named in camelCase; objects nested in them (call options, connect
 * options, variables, pipeline, failover) are in the API's own form. Values may come in any form
 * the schemas accept ("+91 98765 43210", "30"); the body comes out in the key order of v3's SDK,
 * checked against every rule of its validators. A value v3 would refuse throws V3BodyError.
 */

export const DEFAULT_V3_BASE_URL = 'https://rest.piopiy.com/v3';

/** The endpoints, under the credential's V3 Base URL. */
export const V3_PATHS = {
	pcmoCall: '/voice/pcmo/call',
	aiCall: '/voice/ai/call',
	flowCall: '/voice/flow/call',
	transfer: '/voice/pcmo/transfer',
	hangup: '/voice/call/hangup',
} as const;

export type V3Path = (typeof V3_PATHS)[keyof typeof V3_PATHS];

export interface V3Request {
	path: V3Path;
	body: JsonObject;
}

/** ["pipeline", 0, "endpoints", 1, "number"] -> "pipeline[0].endpoints[1].number" */
export function wirePath(path: Array<string | number>): string {
	return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${step}` : step), '');
}

/** A body v3 would refuse; `issues` has every problem, the message the first with its place in the body. */
export class V3BodyError extends Error {
	readonly issues: z.ZodIssue[];

	constructor(issues: z.ZodIssue[]) {
		const [first] = issues;
		const where = wirePath(first.path);
		super(where ? `${where}: ${first.message}` : first.message);
		this.name = 'V3BodyError';
		this.issues = issues;
	}
}

function build(schema: z.ZodTypeAny, path: V3Path, input: Record<string, unknown>): V3Request {
	const result = schema.safeParse(input);
	if (!result.success) throw new V3BodyError(result.error.issues);
	return { path, body: result.data as JsonObject };
}

interface CallBase {
	callerId: unknown;
	toNumber: unknown;
	/** Call-level options: max_duration_sec, record, ring_timeout_sec. */
	options?: unknown;
	/** Named values (text, numbers, true/false) handed to the call. */
	variables?: unknown;
}

interface AppCall extends CallBase {
	/** The credential's App ID (a number or text); sent as text. */
	appId: unknown;
}

export interface BridgeCallInput extends AppCall {
	/** The numbers a connect rings once `toNumber` has answered. */
	connectTo: unknown[];
	/** How several numbers ring; v3's SDK always sends one, "sequential" unless told. */
	strategy?: Strategy;
	/** The connect's options: max_duration_sec, ring_timeout_sec, machine_detection, recording, waiting_music. */
	connectOptions?: unknown;
	metadata?: unknown;
}

/**
 * A pipeline call that rings `toNumber` and connects it to `connectTo` (Mask Call, Dialer Call):
 * the body of the SDK's voice.call.
 */
export function buildBridgeCall(input: BridgeCallInput): V3Request {
	const params: Record<string, unknown> = { caller_id: input.callerId, strategy: input.strategy ?? 'sequential' };
	if (input.connectOptions !== undefined) params.options = input.connectOptions;
	if (input.metadata !== undefined) params.metadata = input.metadata;
	const connect = {
		action: 'connect',
		params,
		endpoints: input.connectTo.map((number) => ({ type: 'pstn', number })),
	};
	return buildPcmoCall({ ...input, pipeline: [connect] });
}

export interface PcmoCallInput extends AppCall {
	/** The actions, as a list or as JSON text. */
	pipeline: unknown;
	/** An AI agent the pipeline's call belongs to (optional). */
	agentId?: unknown;
}

/** A call that runs a pipeline (Transaction Alert, Order Confirmation, Custom Call). */
export function buildPcmoCall(input: PcmoCallInput): V3Request {
	return build(pcmoCallRequest, V3_PATHS.pcmoCall, {
		caller_id: input.callerId,
		to_number: input.toNumber,
		app_id: input.appId,
		pipeline: input.pipeline,
		options: input.options,
		variables: input.variables,
		agent_id: input.agentId,
	});
}

export interface AiCallInput extends CallBase {
	agentId: unknown;
}

/** A call answered by an AI agent. */
export function buildAiCall(input: AiCallInput): V3Request {
	return build(aiCallRequest, V3_PATHS.aiCall, {
		caller_id: input.callerId,
		to_number: input.toNumber,
		agent_id: input.agentId,
		options: input.options,
		variables: input.variables,
	});
}

export interface AiFailoverCallInput extends AppCall {
	agentId: unknown;
	/**
	 * In the SDK's form: {agent_id, strategy?, max_duration_sec?, ring_timeout_sec?,
	 * machine_detection?, recording?, waiting_music?, metadata?}.
	 */
	failover: unknown;
}

/**
 * An AI agent call with a failover agent, the SDK's failover form: a pipeline call whose one
 * connect rings the primary agent, then the failover agent. The connect's options keep the SDK's
 * fixed order; its strategy is sent only when given.
 */
export function buildAiFailoverCall(input: AiFailoverCallInput): V3Request {
	// The primary agent is checked here, under its own name: in the body it is only an endpoint.
	const primary = agentUuid.safeParse(input.agentId);
	if (!primary.success) {
		throw new V3BodyError(primary.error.issues.map((issue) => ({ ...issue, path: ['agent_id', ...issue.path] })));
	}
	const parsed = failoverSchema.safeParse(input.failover);
	if (!parsed.success) {
		throw new V3BodyError(parsed.error.issues.map((issue) => ({ ...issue, path: ['failover', ...issue.path] })));
	}
	const failover = parsed.data;
	if (String(failover.agent_id).toLowerCase() === primary.data.toLowerCase()) {
		throw new V3BodyError([
			{
				code: 'custom',
				path: ['failover', 'agent_id'],
				message: `${JSON.stringify(failover.agent_id)} is the primary agent too: the failover agent must be another one`,
			},
		]);
	}
	const params: Record<string, unknown> = { caller_id: input.callerId };
	if (failover.strategy !== undefined) params.strategy = failover.strategy;
	const options: Record<string, unknown> = {};
	for (const key of ['max_duration_sec', 'ring_timeout_sec', 'machine_detection', 'recording', 'waiting_music']) {
		if (failover[key] !== undefined) options[key] = failover[key];
	}
	if (Object.keys(options).length) params.options = options;
	if (failover.metadata !== undefined) params.metadata = failover.metadata;
	const connect = {
		action: 'connect',
		params,
		endpoints: [
			{ type: 'agent', id: primary.data },
			{ type: 'agent', id: failover.agent_id },
		],
	};
	return buildPcmoCall({ ...input, agentId: undefined, pipeline: [connect] });
}

export interface FlowCallInput extends AppCall {
	flowId: unknown;
	orgId: unknown;
}

/** A call that runs a flow built in Piopiy's dashboard. */
export function buildFlowCall(input: FlowCallInput): V3Request {
	return build(flowCallRequest, V3_PATHS.flowCall, {
		flow_id: input.flowId,
		org_id: input.orgId,
		caller_id: input.callerId,
		to_number: input.toNumber,
		app_id: input.appId,
		options: input.options,
		variables: input.variables,
	});
}

/** A live call goes on with a new pipeline. */
export function buildTransfer(input: { callId: unknown; pipeline: unknown }): V3Request {
	return build(transferRequest, V3_PATHS.transfer, { call_id: input.callId, pipeline: input.pipeline });
}

export interface TransferToInput {
	callId: unknown;
	callerId: unknown;
	/** The numbers the live call is connected to. */
	numbers: unknown[];
	strategy?: Strategy;
	connectOptions?: unknown;
}

/** A live call connected to other numbers: a transfer whose pipeline is one connect. */
export function buildTransferTo(input: TransferToInput): V3Request {
	const params: Record<string, unknown> = { caller_id: input.callerId, strategy: input.strategy ?? 'sequential' };
	if (input.connectOptions !== undefined) params.options = input.connectOptions;
	const connect = { action: 'connect', params, endpoints: input.numbers.map((number) => ({ type: 'pstn', number })) };
	return buildTransfer({ callId: input.callId, pipeline: [connect] });
}

/** Ends a live call; the cause is NORMAL_CLEARING unless given. */
export function buildHangup(input: { callId: unknown; cause?: unknown; reason?: unknown }): V3Request {
	return build(hangupRequest, V3_PATHS.hangup, { call_id: input.callId, cause: input.cause, reason: input.reason });
}
