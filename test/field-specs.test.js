'use strict';
/**
 * The editor and the validation cannot disagree: every number field's min, max and default, and
 * every options field's default and choices, as n8n shows them, are what the value is checked
 * against. Walks every operation of the Piopiy node (and its collections), the Request Options,
 * the Custom Call builder's rows and the Piopiy Trigger's bridge options, in the built package.
 */
const path = require('node:path');

const dist = (file) => require(path.join(__dirname, '..', 'dist', file));
const { RESOURCES } = dist('nodes/Piopiy/resources/index.js');
const { requestOptionsField } = dist('nodes/Piopiy/requestOptions.js');
const { PCMO_ACTIONS } = dist('nodes/shared/pcmo.js');
const { PiopiyTrigger } = dist('nodes/PiopiyTrigger/PiopiyTrigger.node.js');

const operations = RESOURCES.flatMap((resource) => resource.operations);

/** Each field, and each option of a collection field, with the schema that checks its value. */
function leaves(field, label = field.property.displayName) {
	const nested = field.spec.specs;
	if (!nested) return [{ label, property: field.property, schema: field.schema }];
	return Object.entries(nested).flatMap(([name, spec]) => {
		const property = field.property.options.find((option) => option.name === name);
		return [{ label: `${label} > ${property.displayName}`, property, schema: spec.fallback === undefined ? spec.check : spec.check.default(spec.fallback) }];
	});
}

const allLeaves = [
	...operations.flatMap((operation) => operation.fields.flatMap((field) => leaves(field, `${operation.name}: ${field.property.displayName}`))),
	...leaves(requestOptionsField, 'Request Options'),
];

const numberLeaves = allLeaves.filter((leaf) => leaf.property.type === 'number');
const optionLeaves = allLeaves.filter((leaf) => leaf.property.type === 'options');

test('every operation shows exactly the fields it checks', () => {
	expect(operations.map((operation) => operation.value).sort()).toEqual(
		[
			'aiAgentCall',
			'customCall',
			'dialerCall',
			'flowCall',
			'getCallRecord',
			'hangUpCall',
			'maskCall',
			'orderConfirmationCall',
			'transactionAlertCall',
			'transferCall',
		],
	);
	for (const operation of operations) {
		expect(operation.properties.map((property) => property.name)).toEqual(operation.fields.map((field) => field.name));
		for (const property of operation.properties) {
			expect(property.displayOptions.show.operation).toEqual([operation.value]);
		}
	}
	// Not vacuous: the walk reaches the numbers and choices that matter.
	expect(numberLeaves.map((leaf) => leaf.label)).toEqual(
		expect.arrayContaining([
			'Mask Call: Options > Duration (Seconds)',
			'Mask Call: Options > Timeout (Seconds)',
			'Dialer Call: Options > Loop',
			'Order Confirmation Call: Max Attempts',
			'Transaction Alert Call: Repeat',
			'Request Options > Timeout (Seconds)',
		]),
	);
	expect(numberLeaves.length).toBeGreaterThanOrEqual(15);
});

test.each(numberLeaves.map((leaf) => [leaf.label, leaf]))('%s: bounds and default are the check’s', (_, { property, schema }) => {
	const { minValue, maxValue } = property.typeOptions;
	expect(schema.parse(undefined)).toBe(property.default);
	expect(schema.parse(minValue)).toBe(minValue);
	expect(schema.parse(maxValue)).toBe(maxValue);
	expect(schema.safeParse(minValue - 1).success).toBe(false);
	expect(schema.safeParse(maxValue + 1).success).toBe(false);
	expect(property.default).toBeGreaterThanOrEqual(minValue);
	expect(property.default).toBeLessThanOrEqual(maxValue);
});

test.each(optionLeaves.map((leaf) => [leaf.label, leaf]))('%s: choices and default are the check’s', (_, { property, schema }) => {
	expect(schema.parse(undefined)).toBe(property.default);
	for (const option of property.options) expect(schema.parse(option.value)).toBe(option.value);
	expect(schema.safeParse('not-a-choice').success).toBe(false);
});

/**
 * Fields whose value reaches Piopiy through an action schema rather than their own (the Custom
 * Call builder's rows, the trigger's bridge options): the action schema writes out the field's
 * default when the field is empty and refuses what the field's bounds refuse.
 */
describe('fields checked by an action schema', () => {
	const customCall = operations.find((operation) => operation.value === 'customCall');
	const rows = customCall.properties.find((property) => property.name === 'actions').options[0].values;
	const trigger = new PiopiyTrigger().description.properties.find((property) => property.name === 'options').options;

	const bridge = (key, value) => ({ action: 'bridge', from: 919000000000, connect: [{ type: 'pstn', number: 919000000001 }], [key]: value });
	const input = (key, value) => ({ action: 'input', action_url: 'https://example.com/k', [key]: value });
	const menu = (key, value) => ({ action: 'play_get_input', file_name: 'menu.mp3', action_url: 'https://example.com/k', [key]: value });
	const cases = [
		['Custom Call builder', 'duration', rows, PCMO_ACTIONS.bridge, bridge, 'duration'],
		['Custom Call builder', 'ringTimeout', rows, PCMO_ACTIONS.bridge, bridge, 'timeout'],
		['Custom Call builder', 'loop', rows, PCMO_ACTIONS.bridge, bridge, 'loop'],
		['Custom Call builder', 'maxDigits', rows, PCMO_ACTIONS.input, input, 'max_digit'],
		['Custom Call builder', 'inputTimeout', rows, PCMO_ACTIONS.input, input, 'timeout'],
		['Custom Call builder', 'maxRetry', rows, PCMO_ACTIONS.play_get_input, menu, 'max_retry'],
		['Piopiy Trigger options', 'duration', trigger, PCMO_ACTIONS.bridge, bridge, 'duration'],
		['Piopiy Trigger options', 'ringTimeout', trigger, PCMO_ACTIONS.bridge, bridge, 'timeout'],
		['Piopiy Trigger options', 'loop', trigger, PCMO_ACTIONS.bridge, bridge, 'loop'],
	];
	test.each(cases)('%s > %s', (_, name, properties, schema, action, key) => {
		const property = properties.find((candidate) => candidate.name === name);
		const { minValue, maxValue } = property.typeOptions;
		expect(schema.parse(action(key, undefined))[key]).toBe(property.default);
		expect(schema.parse(action(key, maxValue))[key]).toBe(maxValue);
		expect(schema.safeParse(action(key, minValue - 1)).success).toBe(false);
		expect(schema.safeParse(action(key, maxValue + 1)).success).toBe(false);
	});
});
