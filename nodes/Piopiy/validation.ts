import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

/**
 * Reads an operation's parameters for one item and checks them against its zod schema. The first
 * problem becomes a NodeOperationError that names the field (by the label the user sees), the item
 * and the offending value, so a bad item is stopped before any request is made for it.
 */
export function readParameters<Schema extends z.ZodTypeAny>(
	context: IExecuteFunctions,
	itemIndex: number,
	properties: INodeProperties[],
	schema: Schema,
): z.output<Schema> {
	const raw: Record<string, unknown> = {};
	for (const property of properties) {
		if (property.name === 'operation' || raw[property.name] !== undefined) continue;
		raw[property.name] = context.getNodeParameter(property.name, itemIndex, property.default, {
			// Keep the value as the expression produced it; the schema decides what it may be.
			rawExpressions: false,
		});
	}

	const result = schema.safeParse(raw);
	if (result.success) return result.data;

	const issue = result.error.issues[0];
	const field = fieldLabel(issue.path, properties);
	const fieldName = fieldLabel(issue.path.filter((step) => typeof step === 'string'), properties);
	throw new NodeOperationError(context.getNode(), `Invalid ${field} in item ${itemIndex}: ${issue.message}`, {
		itemIndex,
		description: `No request was sent to Piopiy for item ${itemIndex}. Check the "${fieldName}" field or the expression that fills it.`,
	});
}

/** "options.duration" -> "Options > Duration"; ["customerNumbers", 2] -> "Customer Numbers (number 3)". */
function fieldLabel(path: Array<string | number>, properties: INodeProperties[]): string {
	const labels: string[] = [];
	let level: INodeProperties[] | undefined = properties;
	for (const step of path) {
		if (typeof step === 'number') {
			labels[labels.length - 1] += ` (number ${step + 1})`;
			continue;
		}
		const property: INodeProperties | undefined = level?.find((p) => p.name === step);
		labels.push(property?.displayName ?? step);
		level = property?.options?.filter((option): option is INodeProperties => 'displayName' in option && 'type' in option);
	}
	return labels.join(' > ') || 'parameters';
}
