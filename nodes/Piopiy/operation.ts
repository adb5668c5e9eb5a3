import type { IExecuteFunctions, INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { fieldsOf, schemaOf, type Field, type FieldSpec, type SpecMap, type ValuesOf } from '../shared/fields';
import { describeUrl } from '../shared/urls';
import { readParameters } from './parameters';
import type { PiopiyRequest } from './transport';

/**
 * Piopiy's two API generations (docs/piopiy-api.md sections 1 and 7): v2 with the App ID and App
 * Secret, v3 with an API token. Version 2 of the node chooses one with its Authentication, whose
 * values are the credential types below; version 1 lets the Piopiy API credential's API field decide.
 */
export type ApiVersion = 'v2' | 'v3';

/** The credential type of each generation, and the value that chooses it in the node's Authentication. */
export const CREDENTIAL_TYPES = { v2: 'piopiyApi', v3: 'piopiyTokenApi' } as const;

/** The name n8n shows for each credential type. */
export const CREDENTIAL_NAMES = { v2: 'Piopiy API', v3: 'Piopiy Token API' } as const;

/** The Authentication choices' names, which the errors that name a fix quote. */
export const AUTHENTICATION_NAMES = { v2: 'App ID and App Secret (v2 API)', v3: 'API Token (v3 API)' } as const;

/** What the credential tells the operations, read once per run (runOperation.ts). */
export interface ApiTarget {
	api: ApiVersion;
	/** The credential's App ID: v3 pipeline and flow calls send it as `app_id`. */
	appId?: unknown;
	/** True when the node's Authentication chose the API (version 2), false when the credential did (version 1). */
	byAuthentication?: boolean;
}

/** The name n8n shows for the credential a run uses (version 1 has only the Piopiy API one), for the fixes errors name. */
export function credentialName(target: Pick<ApiTarget, 'api' | 'byAuthentication'>): string {
	return CREDENTIAL_NAMES[target.byAuthentication ? target.api : 'v2'];
}

/**
 * How a field or an option differs between the generations, by its path ("resultUrl",
 * "options.region", "actions.action.loop"), when it does:
 * - `{ only: 'v2' }`: v3 has no such setting; the v3 form refuses a value that would mean something
 *   there (nodes/shared/v3/fromV2.ts).
 * - `{ only: 'v3', instead }`: v2 has no such setting; under v2 a value that is set is refused,
 *   saying what v2 does instead.
 * - `v2`, `v3`: the field as version 2 of the node shows it under that generation, when it takes
 *   other limits or words there. Only what is shown changes: the value is checked by the field's
 *   own spec and then by the generation's form, as in version 1.
 * Version 1 shows every field once, as the field itself is written, for either credential.
 */
export type ApiDifference =
	| { only: 'v2' }
	| { only: 'v3'; instead: string; v3?: FieldSpec }
	| { only?: undefined; v2?: FieldSpec; v3?: FieldSpec };

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
	/** The properties shown for this operation (the fields with their displayOptions), in version 1 of the node. */
	properties: INodeProperties[];
	/**
	 * The properties version 2 shows under one generation's Authentication: those it has, as it takes
	 * them (`apis` of defineOperation); none for a generation the operation has no form for. A
	 * property the same under both is the same object in both lists.
	 */
	propertiesFor(api: ApiVersion): INodeProperties[];
	/**
	 * What version 2 lists for this operation: each property the same under both generations once,
	 * and each one that differs once per generation that has it, shown under that Authentication.
	 */
	propertiesByAuthentication: INodeProperties[];
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
	 * The fields and options that differ between the generations (see ApiDifference). Under v2, a
	 * setting only v3 has that is set (an option added, a field changed from its default) is
	 * refused rather than ignored.
	 */
	apis?: Record<string, ApiDifference>;
}): Operation {
	const { value, name, fields: specs, showWhen = {}, refine, build, v3, withoutV3, apis: differences = {} } = definition;
	const fields = fieldsOf(specs);
	const properties = fields.map((field) => ({
		...field.property,
		displayOptions: { show: { operation: [value], ...(showWhen as Record<string, object>)[field.name] } },
	}));
	const v3Only = Object.entries(differences).flatMap(([path, difference]) =>
		difference.only === 'v3' ? [[path, difference.instead] as const] : [],
	);
	const values = schemaOf(specs);
	const refined = refine ? values.transform((checked, ctx) => refine(checked, ctx)) : values;
	const raw = z.record(z.unknown());

	/** v2: what only v3 has is refused when set, then the fields are checked and refined. */
	const v2Schema = raw
		.superRefine((given, ctx) => {
			for (const [path, instead] of v3Only) {
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
	// Each property as each generation shows it, side by side (undefined: not under that one).
	const seen = new Set<string>();
	const pairs = properties.map((property) => ({
		v2: apis.includes('v2') ? asShownFor(property, property.name, 'v2', differences, seen) : undefined,
		v3: apis.includes('v3') ? asShownFor(property, property.name, 'v3', differences, seen) : undefined,
	}));
	const unknown = Object.keys(differences).filter((path) => !seen.has(path));
	if (unknown.length) throw new Error(`${name}: "apis" names ${unknown.join(', ')}, which no field or option of it has`);
	return {
		value,
		name,
		action: definition.action,
		description: definition.description,
		fields,
		properties,
		propertiesFor: (api) => pairs.flatMap((pair) => pair[api] ?? []),
		propertiesByAuthentication: pairs.flatMap((pair) => byAuthentication((api) => pair[api])),
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
					const credential = credentialName(target);
					throw refuse(
						`The ${credential} credential cannot be used for ${name} in item ${itemIndex}: ${problem}`,
						`Open the ${credential} credential and fill in its App ID (Piopiy dashboard > Apps).`,
					);
				}
				return request;
			}
			if (!build) {
				throw refuse(
					`${name} needs an API Token credential (Piopiy's v3 API)`,
					target.byAuthentication
						? `This node's Authentication is "${AUTHENTICATION_NAMES.v2}", which has no ${name}. Set Authentication to "${AUTHENTICATION_NAMES.v3}" and choose a ${CREDENTIAL_NAMES.v3} credential.`
						: `The Piopiy API credential of this node uses App ID and App Secret (v2 API), which has no ${name}. Choose a Piopiy API credential whose API is "API Token", with a token from the Piopiy dashboard.`,
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

/** Version 1's Resource and Operation lists and every operation's fields, from the resources. */
export function resourceProperties(resources: Resource[]): INodeProperties[] {
	return [
		resourceList(resources),
		...resources.map(operationList),
		...resources.flatMap((resource) => resource.operations.flatMap((operation) => operation.properties)),
	];
}

function resourceList(resources: Resource[]): INodeProperties {
	const first = resources[0].value;
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map(({ name, value, description }) => ({ name, value, description })),
		default: first,
		description: 'What to work on: calls, or the records Piopiy keeps of them',
	};
}

function operationList({ value: resource, operations, defaultOperation }: Resource): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		// Alphabetical, as n8n's lint wants.
		options: [...operations]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map(({ name, value, action, description }) => ({ name, value, action, description })),
		default: defaultOperation,
	};
}

/**
 * Version 2's lists: the Authentication, then for each generation the resources and operations it
 * has a form for and their fields as it takes them. A list the same under both is given once.
 */
export function resourcePropertiesByAuthentication(resources: Resource[]): INodeProperties[] {
	const authentication: INodeProperties = {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: AUTHENTICATION_NAMES.v2,
				value: CREDENTIAL_TYPES.v2,
				description: `A ${CREDENTIAL_NAMES.v2} credential: the app's ID and secret, for Piopiy's v2 API (rest.telecmi.com)`,
			},
			{
				name: AUTHENTICATION_NAMES.v3,
				value: CREDENTIAL_TYPES.v3,
				description:
					`A ${CREDENTIAL_NAMES.v3} credential, for Piopiy's v3 API (rest.piopiy.com/v3), which also has AI agent calls, flow calls and call transfer`,
			},
		],
		default: 'piopiyApi',
		description: 'Which of your Piopiy keys the node uses, and with it which of Piopiy’s APIs. Each lists only what it can do.',
	};
	const forApi = (api: ApiVersion): Resource[] =>
		resources.flatMap((resource) => {
			const operations = resource.operations.filter((operation) => operation.apis.includes(api));
			if (operations.length === 0) return [];
			const defaultOperation = operations.some((operation) => operation.value === resource.defaultOperation)
				? resource.defaultOperation
				: operations[0].value;
			return [{ ...resource, operations, defaultOperation }];
		});
	return [
		authentication,
		...byAuthentication((api) => (forApi(api).length ? resourceList(forApi(api)) : undefined)),
		...resources.flatMap(({ value }) =>
			byAuthentication((api) => {
				const resource = forApi(api).find((candidate) => candidate.value === value);
				return resource && operationList(resource);
			}),
		),
		...resources.flatMap((resource) => resource.operations.flatMap((operation) => operation.propertiesByAuthentication)),
	];
}

/**
 * One property per generation, shown under its Authentication; or, when both give the same
 * property, that one with no condition. `make` gives none for a generation that lacks it.
 */
function byAuthentication(make: (api: ApiVersion) => INodeProperties | undefined): INodeProperties[] {
	const v2 = make('v2');
	const v3 = make('v3');
	if (v2 && v3 && JSON.stringify(v2) === JSON.stringify(v3)) return [v2];
	return (['v2', 'v3'] as const).flatMap((api) => {
		const property = api === 'v2' ? v2 : v3;
		if (!property) return [];
		// As the node's credentials: App ID and App Secret unless API Token is chosen.
		const displayOptions =
			api === 'v2'
				? { ...property.displayOptions, hide: { ...property.displayOptions?.hide, authentication: [CREDENTIAL_TYPES.v3] } }
				: { ...property.displayOptions, show: { ...property.displayOptions?.show, authentication: [CREDENTIAL_TYPES.v3] } };
		return [{ ...property, displayOptions }];
	});
}

/**
 * A property as version 2 shows it under `api`: none when only the other generation has it, the
 * generation's own spec when `apis` gives one, and the same for the options of a collection and
 * the fields of a fixed collection (paths "options.region", "actions.action.loop"). `seen` collects
 * the paths met, so that a path in `apis` that names nothing is found.
 */
function asShownFor(
	property: INodeProperties,
	path: string,
	api: ApiVersion,
	differences: Record<string, ApiDifference>,
	seen: Set<string>,
): INodeProperties | undefined {
	seen.add(path);
	const difference = differences[path];
	if (difference?.only !== undefined && difference.only !== api) return undefined;
	const spec = difference && api in difference ? (difference as Partial<Record<ApiVersion, FieldSpec>>)[api] : undefined;
	const shown = spec ? ({ ...spec.property, name: property.name, displayOptions: property.displayOptions } as INodeProperties) : property;
	const below = (child: INodeProperties, at: string) => asShownFor(child, `${at}.${child.name}`, api, differences, seen) ?? [];
	if (shown.type === 'collection') {
		return { ...shown, options: (shown.options as INodeProperties[]).flatMap((option) => below(option, path)) };
	}
	if (shown.type === 'fixedCollection') {
		const groups = shown.options as INodePropertyCollection[];
		return { ...shown, options: groups.map((group) => ({ ...group, values: group.values.flatMap((field) => below(field, `${path}.${group.name}`)) })) };
	}
	return shown;
}

/** The node's subtitle: the chosen operation's name, from the same list. */
export function operationSubtitle(resources: Resource[]): string {
	const names: Record<string, string> = {};
	for (const operation of resources.flatMap((resource) => resource.operations)) names[operation.value] = operation.name;
	return `={{ ${JSON.stringify(names)}[$parameter["operation"]] }}`;
}
