import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import { issuePath } from '../shared/issues';

/** An operation's properties by name, worked out once per list (the lists are built once, at load). */
const propertiesByName = new WeakMap<INodeProperties[], Map<string, INodeProperties>>();
function namesOf(properties: INodeProperties[]): Map<string, INodeProperties> {
	let byName = propertiesByName.get(properties);
	if (!byName) {
		byName = new Map(properties.map((property) => [property.name, property]));
		propertiesByName.set(properties, byName);
	}
	return byName;
}

/**
 * Reads an operation's parameters for one item and checks them against its zod schema. The first
 * problem becomes a NodeOperationError that names the field (by the label the user sees), the item
 * and the offending value, so a bad item is stopped before any request is made for it.
 *
 * Each field is evaluated at most once per item, and a field hidden by another field's choice
 * (Message when Play Audio File is chosen, say) not at all: a value left behind in it, or an
 * expression there that would fail, plays no part, just as the editor does not show it.
 */
export function readParameters<Schema extends z.ZodTypeAny>(
	context: IExecuteFunctions,
	itemIndex: number,
	properties: INodeProperties[],
	schema: Schema,
): z.output<Schema> {
	const raw: Record<string, unknown> = {};
	const byName = namesOf(properties);

	const read = (property: INodeProperties): unknown => {
		if (property.name in raw) return raw[property.name];
		try {
			raw[property.name] = context.getNodeParameter(property.name, itemIndex, property.default, {
				// Keep the value as the expression produced it; the schema decides what it may be.
				rawExpressions: false,
			});
		} catch (error) {
			// An expression that fails (bad syntax, a node that has not run) reads as "invalid syntax"
			// on its own: name the field and the item, as for a bad value.
			const { message, description } = error as { message?: string; description?: string };
			throw new NodeOperationError(
				context.getNode(),
				`Invalid ${property.displayName} in item ${itemIndex}: its expression failed: ${message ?? String(error)}`,
				{
					itemIndex,
					description: `No request was sent to Piopiy for item ${itemIndex}. Check the expression in the "${property.displayName}" field.${description ? ` ${description}` : ''}`,
				},
			);
		}
		return raw[property.name];
	};
	// Shown unless a condition on a field of the same operation excludes it (conditions on other
	// parameters, such as the operation itself, hold whenever this operation runs).
	const shown = (property: INodeProperties): boolean =>
		Object.entries(property.displayOptions?.show ?? {}).every(([name, values]) => {
			const condition = byName.get(name);
			return !condition || condition === property || (values ?? []).includes(read(condition) as never);
		});

	for (const property of properties) {
		if (!(property.name in raw) && shown(property)) read(property);
	}

	const result = schema.safeParse(raw);
	if (result.success) return result.data;

	const issue = result.error.issues[0];
	const field = issuePath(issue.path, properties) || 'parameters';
	const fieldName = issuePath(issue.path.filter((step) => typeof step === 'string'), properties) || 'parameters';
	throw new NodeOperationError(context.getNode(), `Invalid ${field} in item ${itemIndex}: ${issue.message}`, {
		itemIndex,
		description: `No request was sent to Piopiy for item ${itemIndex}. Check the "${fieldName}" field or the expression that fills it.`,
	});
}
