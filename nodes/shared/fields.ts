import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { decimalNumber, jsonObject, oneOf, wholeNumber } from './values';

/**
 * One definition per field: the n8n property the user fills in and the zod schema its value is
 * checked against come from the same object, so a limit or a default is written once and the
 * editor and the validation cannot disagree (test/field-specs.test.js checks every operation).
 *
 * A spec has no parameter name of its own: it gets one where it is placed (`named`, `fieldsOf`),
 * so the same bridge limits serve Mask Call's "timeout" and the Custom Call builder's "ringTimeout".
 */
export interface FieldSpec<Value = unknown> {
	/** The n8n property, without name and displayOptions. */
	property: Omit<INodeProperties, 'name'>;
	/** The check alone, for a value that is present. */
	check: z.ZodType<Value, z.ZodTypeDef, unknown>;
	/** What an absent value becomes (n8n hands over the property's default the same way). */
	fallback?: Value;
}

/** A field spec placed under a parameter name: `schema` applies the default to an absent value. */
export interface Field<Value = unknown> {
	name: string;
	property: INodeProperties;
	schema: z.ZodType<Value, z.ZodTypeDef, unknown>;
	spec: FieldSpec<Value>;
}

type Text = { displayName: string; description?: string; hint?: string; placeholder?: string };

/**
 * A number of `unit`s between `min` and `max`: the editor's bounds and the check's. Whole unless
 * `decimals` allows decimal places (the editor then accepts as many).
 */
export function numberSpec(
	text: Text & { min: number; max: number; default: number; unit: string; decimals?: number },
): FieldSpec<number> {
	const { min, max, unit, decimals = 0, default: fallback, ...rest } = text;
	const typeOptions = { minValue: min, maxValue: max, ...(decimals > 0 ? { numberPrecision: decimals } : {}) };
	return {
		property: { ...rest, type: 'number', typeOptions, default: fallback },
		check: decimals > 0 ? decimalNumber(min, max, unit, decimals) : wholeNumber(min, max, unit),
		fallback,
	};
}

/**
 * The same number field within other bounds, as another API generation takes it: its words and its
 * default (which must lie within them) kept, its check made for the new bounds.
 */
export function bounded(spec: FieldSpec<number>, limits: { min: number; max: number }, unit: string): FieldSpec<number> {
	const { displayName, description } = spec.property;
	return numberSpec({ displayName, description, min: limits.min, max: limits.max, default: spec.fallback as number, unit });
}

/** One of fixed choices, shown as a dropdown. */
export function optionsSpec<const T extends string>(
	text: Text & { options: Array<INodePropertyOptions & { value: T }>; default: T },
): FieldSpec<T> {
	const { options, default: fallback, ...rest } = text;
	const values = options.map((option) => option.value) as [T, ...T[]];
	return { property: { ...rest, type: 'options', options, default: fallback }, check: oneOf(values), fallback };
}

/** A JSON object, typed as JSON text or produced by an expression. */
export function jsonObjectSpec(text: Text & { default?: string }): FieldSpec<Record<string, unknown>> {
	const { default: fallback = '{}', ...rest } = text;
	return { property: { ...rest, type: 'json', default: fallback }, check: jsonObject, fallback: {} };
}

/** A text field whose value a domain schema checks (a phone number, an ID, a URL). */
export function textSpec<Value>(
	text: Text & { required?: boolean; rows?: number; default?: string },
	check: z.ZodType<Value, z.ZodTypeDef, unknown>,
): FieldSpec<Value> {
	const { rows, required, default: fallback = '', ...rest } = text;
	return {
		property: { ...rest, type: 'string', default: fallback, ...(required ? { required } : {}), ...(rows ? { typeOptions: { rows } } : {}) },
		check,
	};
}

/** A field whose property is written by hand and whose value is checked later (a builder, a choice that switches other fields). */
export function plainSpec(property: Omit<INodeProperties, 'name'>): FieldSpec<unknown> {
	return { property, check: z.unknown() };
}

/** The same spec with other words (a label, a description) but the same limits and default. */
export function relabel<Value>(spec: FieldSpec<Value>, text: Partial<Text>): FieldSpec<Value> {
	return { ...spec, property: { ...spec.property, ...text } };
}

/** Places a spec under a parameter name; an absent value takes the spec's default. */
export function named<Value>(name: string, spec: FieldSpec<Value>): Field<Value> {
	const schema = spec.fallback === undefined ? spec.check : spec.check.default(spec.fallback as never);
	return { name, property: { ...spec.property, name } as INodeProperties, schema, spec };
}

export type SpecMap = Record<string, FieldSpec<unknown>>;
export type ValuesOf<Specs extends SpecMap> = { [K in keyof Specs]: Specs[K] extends FieldSpec<infer V> ? V : never };

/** Specs keyed by parameter name, in the order the editor shows them. */
export function fieldsOf(specs: SpecMap): Field[] {
	return Object.entries(specs).map(([name, spec]) => named(name, spec));
}

/** The zod object that checks the values of these fields. */
export function schemaOf<Specs extends SpecMap>(specs: Specs): z.ZodType<ValuesOf<Specs>, z.ZodTypeDef, unknown> {
	const shape: Record<string, z.ZodTypeAny> = {};
	for (const field of fieldsOf(specs)) shape[field.name] = field.schema;
	return z.object(shape) as unknown as z.ZodType<ValuesOf<Specs>, z.ZodTypeDef, unknown>;
}

/**
 * A collection ("Add Option") of specs: its property lists them (alphabetically, as n8n's lint
 * wants), its check reads each, and an absent collection is an empty one.
 */
export function collectionSpec<Specs extends SpecMap>(
	text: Text & { placeholder: string },
	specs: Specs,
): FieldSpec<ValuesOf<Specs>> & { specs: Specs } {
	const options = fieldsOf(specs)
		.map((field) => field.property)
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
	const check = z.unknown().transform((value) => value ?? {}).pipe(schemaOf(specs));
	return {
		property: { ...text, type: 'collection', default: {}, options },
		check: check as unknown as z.ZodType<ValuesOf<Specs>, z.ZodTypeDef, unknown>,
		fallback: undefined,
		specs,
	};
}
