import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { fieldsOf, schemaOf, type Field, type SpecMap, type ValuesOf } from '../shared/fields';
import { describeUrl } from '../shared/urls';
import { readParameters } from './parameters';
import type { PiopiyRequest } from './transport';

/**
 * Piopiy's two API generations (docs/piopiy-api.md sections 1 and 7), chosen by the credential's
 * API field: v2 with the App ID and App Secret, v3 with an API token.
 */
export type ApiVersion = 'v2' | 'v3';

/** What the credential tells the operations, read once per run (runOperation.ts). */
export interface ApiTarget {
	api: ApiVersion;
	/** The credential's App ID: v3 pipeline and flow calls send it as `app_id`. */
	appId?: unknown;
}

/** What an operation's v3 form gets besides the checked values. */
export interface V3Context {
	/** The credential's App ID as it is stored; the v3 builders check it and send it as text. */
	appId: unknown;
	/**
	 * The parameters as read, before defaults: an option left out of the body when the user did
	 * not add it, as Piopiy's SDK leaves out what it is not given (Piopiy's own defaults apply).
	 */
	raw: Record<string, unknown>;
	/**
	 * For a problem with the credential rather than a field (a v3 pipeline or flow call needs the App
	 * ID): records it, and buildRequest reports it with the credential named instead of the request
	 * returned here, which is never sent.
	 */
	credentialProblem(message: string): PiopiyRequest;
}

/**
 * What an operation is: its entry in the Operation list, its fields, and how one item's values
 * become one request to Piopiy. An operation file (resources/<resource>/<name>.operation.ts) holds
 * exactly this, description and request side by side; the run engine (runOperation.ts) does the rest.
 */
export interface Operation {
	/** The parameter value saved in workflows: a public contract, never renamed. */
	value: string;
	/** The name in the Operation list, also the node's subtitle. */
	name: string;
	/** The entry in n8n's node panel ("Place masked call"). */
	action: string;
	description: string;
	/** The fields, each with its property and schema (test/field-specs.test.js walks them). */
	fields: Field[];
	/** The properties shown for this operation (the fields with their displayOptions). */
	properties: INodeProperties[];
	/** The API generations this operation has a form for. */
	apis: ApiVersion[];
	/**
	 * Reads and checks one item's parameters and builds its request for the credential's API
	 * generation; throws the field's error, or an error naming the fix when the operation has no
	 * form for that generation.
	 */
	buildRequest(context: IExecuteFunctions, itemIndex: number, target: ApiTarget): PiopiyRequest;
}

const V2_CREDENTIAL = 'an App ID and App Secret credential (v2 API)';
const V3_CREDENTIAL = 'an API Token credential (v3 API)';

export function defineOperation<Specs extends SpecMap, Values = ValuesOf<Specs>>(definition: {
	value: string;
	name: string;
	action: string;
	description: string;
	fields: Specs;
	/** Extra display conditions per field, e.g. { message: { messageType: ['text'] } }. */
	showWhen?: Partial<Record<keyof Specs, Record<string, Array<string | number | boolean>>>>;
	/** Checks that span several fields; reports with ctx.addIssue on the field's path. */
	refine?: (values: ValuesOf<Specs>, ctx: z.RefinementCtx) => Values;
	/** The v2 request (App ID and App Secret). Left out: the operation exists only in v3. */
	build?: (values: Values) => PiopiyRequest;
	/**
	 * The v3 request (API Token), from the same fields: checks what v3 adds or allows in another
	 * range and builds the body; reports problems with ctx.addIssue on the field's path. `refine`
	 * does not run before it. Left out: the operation has no v3 form (see `withoutV3`).
	 */
	v3?: (values: ValuesOf<Specs>, ctx: z.RefinementCtx, v3: V3Context) => PiopiyRequest;
	/** Why there is no v3 form, and what to use instead (an error under an API Token credential). */
	withoutV3?: string;
	/**
	 * Fields and options only v3 has ("resultUrl", "options.record"), each with what v2 does instead.
	 * Under v2, one that is set (an option added, a field changed from its default) is refused
	 * rather than ignored.
	 */
	v3Only?: Record<string, string>;
}): Operation {
	const { value, name, fields: specs, showWhen = {}, refine, build, v3, withoutV3, v3Only = {} } = definition;
	const fields = fieldsOf(specs);
	const properties = fields.map((field) => ({
		...field.property,
		displayOptions: { show: { operation: [value], ...(showWhen as Record<string, object>)[field.name] } },
	}));
	const values = schemaOf(specs);
	const refined = refine ? values.transform((checked, ctx) => refine(checked, ctx)) : values;
	const raw = z.record(z.unknown());

	/** v2: what only v3 has is refused when set, then the fields are checked and refined. */
	const v2Schema = raw
		.superRefine((given, ctx) => {
			for (const [path, instead] of Object.entries(v3Only)) {
				const steps = path.split('.');
				const value = steps.reduce<unknown>((at, step) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[step] : undefined), given);
				const property = steps.length === 1 ? properties.find((candidate) => candidate.name === path) : undefined;
				if (value === undefined || (property && value === property.default)) continue;
				// Quoted as an address: one of these settings is one (Result URL).
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: steps,
					message: `${describeUrl(value)}: only ${V3_CREDENTIAL} has this setting; ${instead}. Remove it, or use ${V3_CREDENTIAL}`,
				});
			}
		})
		.pipe(refined);

	/** v3: the fields are checked, then the operation's v3 form checks the rest and builds the request. */
	const v3Schema = (appId: unknown, credentialProblem: V3Context['credentialProblem']) =>
		raw.transform((given, ctx): PiopiyRequest => {
			const checked = values.safeParse(given);
			if (!checked.success) {
				for (const issue of checked.error.issues) ctx.addIssue({ ...issue, code: z.ZodIssueCode.custom, message: issue.message });
				return z.NEVER;
			}
			return v3!(checked.data, ctx, { appId, raw: given, credentialProblem });
		});

	const apis: ApiVersion[] = [...(build ? (['v2'] as const) : []), ...(v3 ? (['v3'] as const) : [])];
	return {
		value,
		name,
		action: definition.action,
		description: definition.description,
		fields,
		properties,
		apis,
		buildRequest: (context, itemIndex, target) => {
			const refuse = (message: string, description: string) =>
				new NodeOperationError(context.getNode(), message, {
					itemIndex,
					description: `${description} No request was sent to Piopiy for item ${itemIndex}.`,
				});
			if (target.api === 'v3') {
				if (!v3) {
					throw refuse(
						`${name} is not available with an API Token credential (Piopiy's v3 API)`,
						withoutV3 ?? `Use ${V2_CREDENTIAL} for this node.`,
					);
				}
				let problem: string | undefined;
				const request = readParameters(
					context,
					itemIndex,
					properties,
					v3Schema(target.appId, (message) => {
						problem = message;
						return { api: 'v3', path: '', body: {}, what: '', placesCall: false };
					}),
				);
				if (problem !== undefined) {
					throw refuse(
						`The Piopiy API credential cannot be used for ${name} in item ${itemIndex}: ${problem}`,
						'Open the Piopiy API credential and fill in its App ID (Piopiy dashboard > Apps).',
					);
				}
				return request;
			}
			if (!build) {
				throw refuse(
					`${name} needs an API Token credential (Piopiy's v3 API)`,
					`The Piopiy API credential of this node uses App ID and App Secret (v2 API), which has no ${name}. Choose a Piopiy API credential whose API is "API Token", with a token from the Piopiy dashboard.`,
				);
			}
			return build(readParameters(context, itemIndex, properties, v2Schema) as Values);
		},
	};
}

export interface Resource {
	value: string;
	name: string;
	description: string;
	operations: Operation[];
	/** The operation a new node starts with. */
	defaultOperation: string;
}

/** The Resource and Operation lists and every operation's fields, from the resources. */
export function resourceProperties(resources: Resource[]): INodeProperties[] {
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
	const firstResource = resources[0].value;
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map(({ name, value, description }) => ({ name, value, description })),
			default: firstResource,
			description: 'What to work on: calls, or the records Piopiy keeps of them',
		},
		...resources.map(
			({ value: resource, operations, defaultOperation }): INodeProperties => ({
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: [resource] } },
				// Alphabetical, as n8n's lint wants.
				options: [...operations]
					.sort(byName)
					.map(({ name, value, action, description }) => ({ name, value, action, description })),
				default: defaultOperation,
			}),
		),
		...resources.flatMap((resource) => resource.operations.flatMap((operation) => operation.properties)),
	];
}

/** The node's subtitle: the chosen operation's name, from the same list. */
export function operationSubtitle(resources: Resource[]): string {
	const names: Record<string, string> = {};
	for (const operation of resources.flatMap((resource) => resource.operations)) names[operation.value] = operation.name;
	return `={{ ${JSON.stringify(names)}[$parameter["operation"]] }}`;
}
