import { z } from 'zod';

import { hasOwn } from '../../../shared/actionSchema';
import { jsonObjectSpec, numberSpec, textSpec, type FieldSpec } from '../../../shared/fields';
import { phoneNumber } from '../../../shared/phoneNumber';
import {
	bridgeOptionsV3,
	buildPcmoCall,
	CALL_LIMITS,
	callOptions,
	pcmoCallOptionsV3,
	V3BodyError,
	variables,
	wirePath,
	type BridgeOptionsV3,
	type JsonObject,
	type PcmoCallOptionsV3,
	type V3Request,
} from '../../../shared/v3';
import { flag, forward } from '../../../shared/v3/checks';
import type { V3Context } from '../../operation';
import type { PiopiyRequest } from '../../transport';

/**
 * What the call operations share for their v3 form (docs/piopiy-api.md section 7): reading the
 * options the user set, checking a value against a v3 schema with the problem reported on the
 * field that gave it, and turning a builder of nodes/shared/v3 into the request the transport sends.
 */

type Path = Array<string | number>;

/** The options the user added (the keys of the raw collection), with their checked values. */
export function setOptions(checked: Record<string, unknown>, raw: unknown): Record<string, unknown> {
	const given = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : [];
	const result: Record<string, unknown> = {};
	// The raw keys are the workflow's: own keys only, so a "constructor" there finds nothing.
	for (const key of given) if (hasOwn(checked, key) && checked[key] !== undefined) result[key] = checked[key];
	return result;
}

/** Runs `schema` on `value`; each problem goes on `path` (the field), under the place it names in the value. */
export function check<S extends z.ZodTypeAny>(ctx: z.RefinementCtx, schema: S, value: unknown, path: Path): z.output<S> | undefined {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	for (const issue of result.error.issues) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, ...issue.path], message: issue.message });
	}
	return undefined;
}

/**
 * Like `check`, but a problem goes on the field that gave the part of the value it is in:
 * `fields` maps a place in the value ("prompt.say") to a field path (["message"]); the longest
 * matching place wins, and a problem elsewhere goes on `fallback` with its place named.
 */
export function checkParts<S extends z.ZodTypeAny>(
	ctx: z.RefinementCtx,
	schema: S,
	value: unknown,
	fields: Record<string, Path>,
	fallback: Path,
): z.output<S> | undefined {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const [issue] = result.error.issues;
	const place = wirePath(issue.path);
	const match = Object.keys(fields)
		.filter((key) => place === key || place.startsWith(`${key}.`) || place.startsWith(`${key}[`))
		.sort((a, b) => b.length - a.length)[0];
	ctx.addIssue({
		code: z.ZodIssueCode.custom,
		path: match ? fields[match] : fallback,
		message: match || place === '' ? issue.message : `${place}: ${issue.message}`,
	});
	return undefined;
}

/** Mask Call and Dialer Call options under v3 (nodes/shared/v3/fromV2.ts), reported under Options. */
export function bridgeOptions(ctx: z.RefinementCtx, checked: Record<string, unknown>, raw: unknown): BridgeOptionsV3 | undefined {
	return check(ctx, bridgeOptionsV3, setOptions(checked, raw), ['options']);
}

/** The options of calls that run their own actions under v3, reported under Options. */
export function pcmoOptions(ctx: z.RefinementCtx, checked: Record<string, unknown>, raw: unknown): PcmoCallOptionsV3 | undefined {
	const { duration, extraParams, region } = setOptions(checked, raw);
	return check(ctx, pcmoCallOptionsV3, { duration, extraParams, region }, ['options']);
}

/**
 * The request a v3 builder makes. The values were checked field by field before, so a problem
 * here is the credential's (its App ID, which v3 sends as `app_id`) or, should a builder refuse
 * what the fields let through, reported with its place in the body.
 */
export function v3Request(
	ctx: z.RefinementCtx,
	v3: V3Context,
	about: { what: string; placesCall: boolean },
	build: () => V3Request,
): PiopiyRequest {
	let built: V3Request | undefined;
	let refused: V3BodyError | undefined;
	try {
		built = build();
	} catch (error) {
		// The builders throw nothing else (nodes/shared/v3/bodies.ts).
		refused = error as V3BodyError;
	}
	if (built) return { api: 'v3', path: built.path, body: built.body, what: about.what, placesCall: about.placesCall };
	const [issue] = refused?.issues ?? [];
	if (issue?.path[0] === 'app_id') return v3.credentialProblem(issue.message);
	ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: refused?.message ?? String(refused) });
	return z.NEVER as never;
}

/** An on/off option, off unless set; v3's `flag` check also takes "true" and "false" as text. */
export function flagSpec(text: { displayName: string; description: string }): FieldSpec<boolean> {
	const { displayName, ...rest } = text;
	return { property: { displayName, type: 'boolean', default: false, ...rest }, check: flag, fallback: false };
}

/** v3's call-level ring_timeout_sec (docs/piopiy-api.md section 7.4), in v3's range, 40 seconds unless set. */
export function ringTimeoutSpec(text: { description: string }): FieldSpec<number> {
	return numberSpec({
		displayName: 'Ring Timeout (Seconds)',
		min: CALL_LIMITS.ringTimeoutSec.min,
		max: CALL_LIMITS.ringTimeoutSec.max,
		default: 40,
		unit: 'seconds',
		...text,
	});
}

/** The number a v3-only call dials (AI Agent Call, Flow Call). */
export const V3_CUSTOMER_NUMBER = textSpec(
	{
		displayName: 'Customer Number',
		required: true,
		placeholder: 'e.g. +91 98765 43210',
		description: 'The phone number to call, with country code (such as +91 98765 43210 or 919876543210)',
	},
	phoneNumber,
);

/**
 * The call options of v3's AI agent and flow calls (docs/piopiy-api.md section 7.4): max_duration_sec,
 * record and ring_timeout_sec, and the variables handed to the agent or flow. Each is sent only when
 * added; the ranges are v3's.
 */
const V3_CALL_OPTIONS = {
	maxDuration: numberSpec({
		displayName: 'Max Duration (Seconds)',
		min: CALL_LIMITS.maxDurationSec.min,
		max: CALL_LIMITS.maxDurationSec.max,
		default: 600,
		unit: 'seconds',
		description: 'The longest the call may last, in seconds; Piopiy ends it then',
	}),
	record: flagSpec({ displayName: 'Record', description: 'Whether Piopiy records the call' }),
	ringTimeout: ringTimeoutSpec({ description: 'How long the number called rings before Piopiy gives up, in seconds' }),
	variables: jsonObjectSpec({
		displayName: 'Variables',
		description:
			'A JSON object of named values handed to the call, such as {"customer_name": "Asha", "order_id": "A-1001"}. Names use letters, digits and _ (not starting with a digit); values are text, numbers or true/false.',
	}),
};

/** V3_CALL_OPTIONS, with Variables described for whoever receives them (the AI agent, the flow). */
export function v3CallOptions(variablesDescription: string): typeof V3_CALL_OPTIONS {
	const { variables } = V3_CALL_OPTIONS;
	return { ...V3_CALL_OPTIONS, variables: { ...variables, property: { ...variables.property, description: variablesDescription } } };
}

/** The call-level options and variables the user added, in v3's form, reported under Options; undefined when refused. */
export function callOptionsV3(
	ctx: z.RefinementCtx,
	set: Record<string, unknown>,
): { options: JsonObject | undefined; variables: JsonObject | undefined } | undefined {
	const options = forward(
		callOptions,
		{ max_duration_sec: set.maxDuration, record: set.record, ring_timeout_sec: set.ringTimeout },
		ctx,
		['options'],
	);
	const given = forward(variables, set.variables, ctx, ['options', 'variables']);
	if (!options.ok || !given.ok) return undefined;
	return { options: options.data, variables: given.data };
}

/**
 * The call that runs `pipeline` once the Phone Number answers (docs/piopiy-api.md section 7.5,
 * the calls that run their own actions), from the Caller ID with the credential's App ID; `sent`
 * is what the operation's options became.
 */
export function pcmoCallV3(
	ctx: z.RefinementCtx,
	v3: V3Context,
	what: string,
	call: { customerNumber: number; callerId: number },
	pipeline: JsonObject[],
	sent: { options: unknown; variables: unknown; agentId?: unknown },
): PiopiyRequest {
	return v3Request(ctx, v3, { what, placesCall: true }, () =>
		buildPcmoCall({ callerId: call.callerId, toNumber: call.customerNumber, appId: v3.appId, pipeline, ...sent }),
	);
}
