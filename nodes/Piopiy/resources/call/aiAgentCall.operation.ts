import { z } from 'zod';

import { collectionSpec, jsonObjectSpec, numberSpec, optionsSpec, textSpec } from '../../../shared/fields';
import { agentUuid, buildAiCall, buildAiFailoverCall, CONNECT_LIMITS, failover as failoverSchema } from '../../../shared/v3';
import { defineOperation } from '../../operation';
import { callerIdSpec } from './makeCall';
import { callOptionsV3, checkParts, flagSpec, setOptions, V3_CUSTOMER_NUMBER, v3CallOptions, v3Request } from './v3';

/**
 * AI Agent Call (v3 only, docs/piopiy-api.md section 7.2): Piopiy calls the customer and one of your
 * Piopiy AI voice agents talks with them. POST /voice/ai/call {caller_id, to_number, agent_id,
 * options, variables}. With a failover agent it is the SDK's failover form instead: a pipeline call
 * (/voice/pcmo/call, with the credential's App ID) whose one connect rings the primary agent, then
 * the failover agent; the Failover options are that connect's settings.
 */

/** The options that shape the failover leg: refused without a Failover Agent ID. */
const FAILOVER_OPTIONS = {
	failoverStrategy: optionsSpec({
		displayName: 'Failover Ring Strategy',
		default: 'sequential',
		options: [
			{ name: 'Sequential', value: 'sequential', description: 'The primary agent first, then the failover agent' },
			{ name: 'Simultaneous', value: 'simultaneous', description: 'Both agents at once' },
		],
		description: 'How the two agents are tried. Left out, Piopiy decides.',
	}),
	failoverMaxDuration: numberSpec({
		displayName: 'Failover Max Duration (Seconds)',
		min: CONNECT_LIMITS.maxDurationSec.min,
		max: CONNECT_LIMITS.maxDurationSec.max,
		default: 600,
		unit: 'seconds',
		description: 'The longest the conversation with an agent may last, in seconds',
	}),
	failoverRingTimeout: numberSpec({
		displayName: 'Failover Ring Timeout (Seconds)',
		min: CONNECT_LIMITS.ringTimeoutSec.min,
		max: CONNECT_LIMITS.ringTimeoutSec.max,
		default: 20,
		unit: 'seconds',
		description: 'How long an agent is given to pick up before the next is tried, in seconds',
	}),
	machineDetection: flagSpec({
		displayName: 'Failover Machine Detection',
		description: 'Whether Piopiy detects an answering machine before connecting an agent',
	}),
	recording: flagSpec({ displayName: 'Failover Recording', description: 'Whether Piopiy records the conversation with the agent' }),
	recordingChannels: optionsSpec({
		displayName: 'Failover Recording Channels',
		default: 'dual',
		options: [
			{ name: 'Dual', value: 'dual', description: 'Customer and agent on separate channels' },
			{ name: 'Single', value: 'single', description: 'Both on one channel' },
		],
		description: 'How the recording of the conversation with the agent is stored',
	}),
	recordingFormat: optionsSpec({
		displayName: 'Failover Recording Format',
		default: 'mp3',
		options: [
			{ name: 'MP3', value: 'mp3' },
			{ name: 'WAV', value: 'wav' },
		],
		description: 'The audio format of that recording',
	}),
	waitingMusic: textSpec(
		{
			displayName: 'Failover Waiting Music',
			placeholder: 'e.g. https://example.com/hold.wav',
			description: 'What the customer hears while the agents are tried: an audio URL, or a file uploaded to Piopiy',
		},
		z.unknown(),
	),
	failoverMetadata: jsonObjectSpec({
		displayName: 'Failover Metadata',
		description: 'A JSON object of named values (text, numbers, true/false) attached to the agents\' leg, such as {"reason": "agent_busy"}',
	}),
};

/** Each failover option, the key it fills in the SDK's failover object. */
const FAILOVER_KEYS: Record<keyof typeof FAILOVER_OPTIONS, string> = {
	failoverStrategy: 'strategy',
	failoverMaxDuration: 'max_duration_sec',
	failoverRingTimeout: 'ring_timeout_sec',
	machineDetection: 'machine_detection',
	recording: 'recording.enabled',
	recordingChannels: 'recording.channels',
	recordingFormat: 'recording.format',
	waitingMusic: 'waiting_music',
	failoverMetadata: 'metadata',
};

export const operation = defineOperation({
	value: 'aiAgentCall',
	name: 'AI Agent Call',
	action: 'Place AI agent call',
	description:
		'Call a phone number and let one of your Piopiy AI voice agents talk with the person. Needs an API Token credential (v3 API).',
	fields: {
		customerNumber: V3_CUSTOMER_NUMBER,
		callerId: callerIdSpec('Your Piopiy number, shown to the person called, with country code'),
		agentId: textSpec(
			{
				displayName: 'AI Agent ID',
				required: true,
				placeholder: 'e.g. bdd32bcb-767c-40a5-be4a-5f45eeb348a6',
				description: 'The ID of the Piopiy AI voice agent that talks with the person: a UUID, from the Piopiy dashboard',
			},
			agentUuid,
		),
		options: collectionSpec(
			{ displayName: 'Options', placeholder: 'Add Option' },
			{
				failoverAgentId: textSpec(
					{
						displayName: 'Failover Agent ID',
						placeholder: 'e.g. 2f2ae3ad-7ff6-4011-b10e-9ca1f8f8d1a2',
						description:
							"A second AI agent (its UUID) that takes the call when the first cannot. The call then names the credential's App ID.",
					},
					z.unknown(),
				),
				...v3CallOptions(
					'A JSON object of named values handed to the AI agent, such as {"customer_name": "Asha", "lead_id": "L-77"}. Names use letters, digits and _ (not starting with a digit); values are text, numbers or true/false.',
				),
				...FAILOVER_OPTIONS,
			},
		),
	},
	v3: ({ customerNumber, callerId, agentId, options }, ctx, v3) => {
		const set = setOptions(options, v3.raw.options);
		const call = callOptionsV3(ctx, set);
		const what = { what: `the AI agent call to ${customerNumber}`, placesCall: true };
		if (set.failoverAgentId === undefined) {
			const stray = Object.keys(FAILOVER_OPTIONS).find((key) => set[key] !== undefined);
			if (stray) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['options', stray],
					message: 'applies to the failover agent: add Options > Failover Agent ID, or remove this option',
				});
				return z.NEVER;
			}
			if (!call) return z.NEVER;
			return v3Request(ctx, v3, what, () =>
				buildAiCall({ callerId, toNumber: customerNumber, agentId, options: call.options, variables: call.variables }),
			);
		}

		const recording: Record<string, unknown> = {};
		if (set.recording !== undefined) recording.enabled = set.recording;
		if (set.recordingChannels !== undefined) recording.channels = set.recordingChannels;
		if (set.recordingFormat !== undefined) recording.format = set.recordingFormat;
		const given = {
			agent_id: set.failoverAgentId,
			strategy: set.failoverStrategy,
			max_duration_sec: set.failoverMaxDuration,
			ring_timeout_sec: set.failoverRingTimeout,
			machine_detection: set.machineDetection,
			recording: Object.keys(recording).length ? recording : undefined,
			waiting_music: set.waitingMusic,
			metadata: set.failoverMetadata,
		};
		const fields: Record<string, string[]> = { agent_id: ['options', 'failoverAgentId'] };
		for (const [option, key] of Object.entries(FAILOVER_KEYS)) fields[key] = ['options', option];
		const failover = checkParts(ctx, failoverSchema, given, fields, ['options']);
		if (!failover || !call) return z.NEVER;
		if (String(failover.agent_id).toLowerCase() === agentId.toLowerCase()) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['options', 'failoverAgentId'],
				message: `${JSON.stringify(failover.agent_id)} is the AI Agent ID too: the failover agent must be another one`,
			});
			return z.NEVER;
		}
		return v3Request(ctx, v3, what, () =>
			buildAiFailoverCall({
				callerId,
				toNumber: customerNumber,
				appId: v3.appId,
				agentId,
				failover,
				options: call.options,
				variables: call.variables,
			}),
		);
	},
});
