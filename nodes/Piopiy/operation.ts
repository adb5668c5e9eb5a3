import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { z } from 'zod';

import { fieldsOf, schemaOf, type Field, type SpecMap, type ValuesOf } from '../shared/fields';
import { readParameters } from './parameters';
import type { PiopiyRequest } from './transport';

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
	/** Reads and checks one item's parameters and builds its request; throws the field's error. */
	buildRequest(context: IExecuteFunctions, itemIndex: number): PiopiyRequest;
}

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
	build: (values: Values) => PiopiyRequest;
}): Operation {
	const { value, fields: specs, showWhen = {}, refine, build } = definition;
	const fields = fieldsOf(specs);
	const properties = fields.map((field) => ({
		...field.property,
		displayOptions: { show: { operation: [value], ...(showWhen as Record<string, object>)[field.name] } },
	}));
	const values = schemaOf(specs);
	const schema = refine ? values.transform((checked, ctx) => refine(checked, ctx)) : values;
	return {
		value,
		name: definition.name,
		action: definition.action,
		description: definition.description,
		fields,
		properties,
		buildRequest: (context, itemIndex) => build(readParameters(context, itemIndex, properties, schema) as Values),
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
