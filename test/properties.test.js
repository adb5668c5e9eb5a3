'use strict';
/**
 * Issue 3, property-based: whatever a workflow hands the node in any field (text, numbers, lists,
 * objects, null, very long or unicode values, expressions yielding odd types), each item either
 * becomes a correct request or fails with a NodeOperationError naming the field. Never a TypeError,
 * never a request with an invalid number, never a hang.
 *
 * Each generated value carries what the node must make of it: `ok` (the exact value it must send),
 * `bad` (it must refuse the item) or neither (anything goes, as long as the rules above hold). Items
 * whose every field is `ok` must produce exactly the expected body; items with a `bad` field must
 * fail. Many items go through one workflow run, so the engine's cost is shared.
 */
const fc = require('fast-check');
const { checkMakeCall } = require('../simulator/piopiy-simulator');
const { runPiopiy, useSimulator, makeCallBody } = require('./harness/piopiy');
const { APP_SECRET } = require('./harness/constants');
const { UNSENT_KEYS } = require('../dist/nodes/shared/values');

// ---- generators ---------------------------------------------------------------------------------

const digitsArb = fc.stringMatching(/^[1-9]\d{6,14}$/);
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const FULLWIDTH = '０１２３４５６７８９';

/** A valid phone number as CRMs write it, with the number the node must send. */
const validPhone = fc
	.tuple(digitsArb, fc.constantFrom('plain', 'plus', '00', 'spaces', 'dashes', 'parens', 'padded', 'number'))
	.map(([digits, style]) => {
		const value = {
			plain: digits,
			plus: `+${digits}`,
			'00': `00${digits}`,
			spaces: `+${digits.slice(0, 2)} ${digits.slice(2, 7)} ${digits.slice(7)}`,
			dashes: `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`,
			parens: `(${digits.slice(0, 2)}) ${digits.slice(2)}`,
			padded: `  \t${digits}\n `,
			number: Number(digits),
		}[style];
		return { value, ok: Number(digits) };
	});

/** Values that look like phone numbers, or are one character or digit away, and must be refused. */
const invalidPhone = fc.oneof(
	// Too short or too long, most often by exactly one digit, as text, with "+", or as a number.
	fc.oneof(fc.stringMatching(/^[1-9]\d{5}$/), fc.stringMatching(/^[1-9]\d{0,4}$/)).map((value) => ({ value, bad: true })),
	fc.oneof(fc.stringMatching(/^[1-9]\d{15}$/), fc.stringMatching(/^[1-9]\d{16,40}$/)).map((value) => ({ value, bad: true })),
	fc.stringMatching(/^[1-9]\d{15}$/).map((d) => ({ value: `+${d}`, bad: true })),
	fc.integer({ min: 1e15, max: Number.MAX_SAFE_INTEGER }).map((value) => ({ value, bad: true })),
	fc.integer({ min: 1, max: 999999 }).map((value) => ({ value, bad: true })),
	digitsArb.map((d) => ({ value: `0${d}`, bad: true })), // national format, no country code ("00" would be a valid prefix)
	// One stray character inside (never a separator: a list field would split on it).
	fc.tuple(digitsArb, fc.integer({ min: 1, max: 6 }), fc.constantFrom('x', 'O', 'l', '#', '*', '+', '٣', 'e', '_'))
		.map(([d, at, c]) => ({ value: `${d.slice(0, at)}${c}${d.slice(at)}`, bad: true })),
	digitsArb.map((d) => ({ value: [...d].map((c) => ARABIC_INDIC[c]).join(''), bad: true })),
	digitsArb.map((d) => ({ value: [...d].map((c) => FULLWIDTH[c]).join(''), bad: true })),
	digitsArb.map((d) => ({ value: `++${d}`, bad: true })),
	// "." and "/" are not readability marks (issue 9): "9198765/4321" is not one number to dial.
	digitsArb.map((d) => ({ value: `${d.slice(0, 4)}.${d.slice(4)}`, bad: true })),
	digitsArb.map((d) => ({ value: `${d.slice(0, 5)}/${d.slice(5)}`, bad: true })),
	digitsArb.map((d) => ({ value: -Number(d), bad: true })),
	digitsArb.map((d) => ({ value: Number(d) + 0.5, bad: true })),
	fc.constantFrom(
		{ value: null, bad: true },
		{ value: '', bad: true },
		{ value: '   ', bad: true },
		{ value: '+', bad: true },
		{ value: 0, bad: true },
		{ value: true, bad: true },
		{ value: false, bad: true },
		{ value: 1e21, bad: true },
		{ value: 9007199254740993, bad: true },
		{ value: {}, bad: true },
		{ value: { number: 919876543210 }, bad: true },
		{ value: '9'.repeat(100000), bad: true },
		{ value: `91987654321${'0'.repeat(50000)}`, bad: true },
	),
);

/** Anything at all: the node may accept it only if it is a valid number, which is checked on the wire. */
const anyValue = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null)), { maxLength: 30 }),
	fc.object({ maxDepth: 2, maxKeys: 4 }),
	fc.jsonValue({ maxDepth: 3 }),
	fc.string({ minLength: 2000, maxLength: 5000 }),
).map((value) => ({ value }));

const phoneField = fc.oneof({ weight: 4, arbitrary: validPhone }, { weight: 2, arbitrary: invalidPhone }, { weight: 1, arbitrary: anyValue });

/** A list field (Customer Numbers, Agent Numbers): a list, or text split by commas, semicolons, new lines. */
const validList = fc
	.tuple(fc.uniqueArray(validPhone, { minLength: 1, maxLength: 5, selector: (p) => p.ok }), fc.constantFrom('array', ', ', ';', '\n', ' , '))
	.map(([phones, joiner]) => {
		const value =
			joiner === 'array' ? phones.map((p) => p.value) : phones.map((p) => (typeof p.value === 'number' ? String(p.value) : p.value)).join(joiner);
		return { value, ok: phones.map((p) => p.ok) };
	});

const invalidList = fc.oneof(
	fc.constantFrom({ value: [], bad: true }, { value: '', bad: true }, { value: ' , ;\n', bad: true }, { value: {}, bad: true }, { value: true, bad: true }),
	// 21 numbers: more than one call may ring.
	fc.uniqueArray(digitsArb, { minLength: 21, maxLength: 40 }).map((d) => ({ value: d, bad: true })),
	// The same number twice, written differently.
	digitsArb.map((d) => ({ value: [d, `+${d}`], bad: true })),
	// One bad number among good ones.
	fc.tuple(validList, invalidPhone).map(([list, wrong]) => ({ value: [...(Array.isArray(list.value) ? list.value : [list.value]), wrong.value], bad: true })),
	// A list inside the list.
	validList.map((list) => ({ value: [[...(Array.isArray(list.value) ? list.value : [list.value])]], bad: true })),
);

const listField = fc.oneof({ weight: 4, arbitrary: validList }, { weight: 2, arbitrary: invalidList }, { weight: 1, arbitrary: anyValue });

/** A whole-number option: in range (as a number or its text) or not. */
function countField(min, max) {
	return fc.oneof(
		{ weight: 3, arbitrary: fc.integer({ min, max }).map((n) => ({ value: n, ok: n })) },
		{ weight: 1, arbitrary: fc.integer({ min, max }).map((n) => ({ value: String(n), ok: n })) },
		{
			weight: 2,
			arbitrary: fc.oneof(
				fc.integer({ min: max + 1 }),
				fc.integer({ max: min - 1 }),
				fc.double({ min, max, noInteger: true }),
				fc.constantFrom(NaN, Infinity, -Infinity, true, [], {}, 'ten', '5 seconds'),
			).map((value) => ({ value, bad: true })),
		},
		{ weight: 1, arbitrary: anyValue },
	);
}

function choiceField(choices) {
	return fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...choices).map((c) => ({ value: c, ok: c })) },
		{ weight: 1, arbitrary: fc.constantFrom(...choices).map((c) => ({ value: c.toUpperCase(), bad: true })) },
		{ weight: 1, arbitrary: anyValue.filter(({ value }) => !choices.includes(value)).map(({ value }) => ({ value, bad: true })) },
	);
}

/**
 * Extra Params that reach Piopiy as given, unless they hold a key n8n's HTTP client drops
 * (nodes/shared/values.ts, UNSENT_KEYS), which fast-check's objects now and then have: the node
 * refuses those, so such a value expects nothing but an error that names its field, if any.
 */
const holdsUnsentKey = (value) =>
	value !== null && typeof value === 'object' && Object.entries(value).some(([key, entry]) => UNSENT_KEYS.includes(key) || holdsUnsentKey(entry));
const sendable = (o, value) => (holdsUnsentKey(o) ? { value } : { value, ok: JSON.parse(JSON.stringify(o)) });
const extraParamsField = fc.oneof(
	{ weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => sendable(o, o)) },
	{ weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => sendable(o, JSON.stringify(o))) },
	{
		weight: 1,
		arbitrary: fc.oneof(
			fc.array(fc.integer(), { maxLength: 3 }),
			fc.constantFrom('[1,2]', '42', '"text"', '{not json', '{"a":', 'true'),
		).map((value) => ({ value, bad: true })),
	},
	{ weight: 1, arbitrary: anyValue },
);

const OPTIONS = {
	duration: countField(1, 86400),
	timeout: countField(1, 300),
	loop: countField(1, 10),
	ringType: choiceField(['single', 'group']),
	region: choiceField(['auto', 'india', 'global']),
	extraParams: extraParamsField,
};

const OPERATIONS = {
	maskCall: { first: 'agentNumber', callerId: 'callerId', second: 'customerNumbers' },
	dialerCall: { first: 'customerNumber', callerId: 'piopiyNumber', second: 'agentNumbers' },
};

/** One item: each field a generated value, or absent (the default applies) for options. */
function itemArb(operation) {
	const names = OPERATIONS[operation];
	const optionArbs = Object.fromEntries(
		Object.entries(OPTIONS).map(([name, arb]) => [name, fc.option(arb, { nil: undefined, freq: 3 })]),
	);
	return fc.record({
		[names.first]: phoneField,
		[names.callerId]: phoneField,
		[names.second]: listField,
		...optionArbs,
	});
}

// ---- checks -------------------------------------------------------------------------------------

const FIELD_LABELS = [
	'Agent Number',
	'Caller ID',
	'Customer Numbers',
	'Customer Number',
	'Piopiy Number',
	'Agent Numbers',
	'Options',
	'Request Options',
];
// A field, perhaps its option, perhaps the key inside a JSON option (Options > Extra Params > crm_id).
const NAMES_A_FIELD = new RegExp(`^Invalid (${FIELD_LABELS.join('|')})( \\(number \\d+\\))?( > [A-Za-z ()]+( > .+)?)? in item (\\d+): \\S`);
const LOOKS_LIKE_A_CRASH = /TypeError|ReferenceError|is not a function|Cannot read propert|undefined is not|serialize a BigInt|circular structure|Maximum call stack/i;

/**
 * An item's error names a field and is not a crash of the node. After "its expression failed:"
 * comes n8n's own account of the user's expression (a circular object overflows n8n's expression
 * engine, for one): that part may say anything.
 */
function expectFieldError(message, itemIndex) {
	expect(message).toMatch(NAMES_A_FIELD);
	// Request Options are read once, from item 0, and their error is given to every item.
	const readFrom = message.startsWith('Invalid Request Options') ? 0 : itemIndex;
	expect(message).toContain(` in item ${readFrom}: `);
	const [ours] = message.split(': its expression failed: ');
	expect(ours).not.toMatch(LOOKS_LIKE_A_CRASH);
	if (!message.includes(': its expression failed: ')) expect(message).not.toMatch(LOOKS_LIKE_A_CRASH);
}

/** Every request Piopiy received is well formed, its numbers JSON numbers of 7 to 15 digits. */
function expectOnlyValidRequests(sim) {
	for (const request of sim.requests) {
		expect(checkMakeCall(request.body)).toBeUndefined();
		const numbers = [request.body.to, request.body.from, ...request.body.pcmo.flatMap((a) => [a.from, ...a.connect.map((c) => c.number)])];
		for (const number of numbers) {
			expect(typeof number).toBe('number');
			expect(String(number)).toMatch(/^[1-9]\d{6,14}$/);
		}
	}
}

function expectedBody(operation, fields) {
	const names = OPERATIONS[operation];
	const option = (name, fallback) => (fields[name] === undefined ? fallback : fields[name].ok);
	const ringType = option('ringType', 'single');
	return makeCallBody({
		to: fields[names.first].ok,
		from: fields[names.callerId].ok,
		connect: fields[names.second].ok,
		duration: option('duration', 5400),
		timeout: option('timeout', 40),
		loop: option('loop', 1),
		ringType: ringType === 'group' ? 'group' : undefined,
		extraParams: option('extraParams', {}),
	});
}

function expectedPath(operation, fields) {
	const region = fields.region === undefined ? 'auto' : fields.region.ok;
	const to = fields[OPERATIONS[operation].first].ok;
	const india = region === 'india' || (region === 'auto' && String(to).startsWith('91'));
	return india ? '/v2/ind_pcmo_make_call' : '/v2/global_pcmo_make_call';
}

// ---- properties ---------------------------------------------------------------------------------

describe('every field, fed from item data through expressions', () => {
	const fixture = useSimulator();

	test.each(Object.keys(OPERATIONS))('%s: each item is the exact request or an error naming its field', async (operation) => {
		const names = OPERATIONS[operation];
		const parameters = {
			operation,
			[names.first]: `={{ $json.${names.first} }}`,
			[names.callerId]: `={{ $json.${names.callerId} }}`,
			[names.second]: `={{ $json.${names.second} }}`,
			options: Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, `={{ $json.${name} }}`])),
		};

		await fc.assert(
			fc.asyncProperty(fc.array(itemArb(operation), { minLength: 1, maxLength: 12 }), async (generated) => {
				fixture.sim.reset();
				const items = generated.map((fields) =>
					Object.fromEntries(Object.entries(fields).filter(([, f]) => f !== undefined).map(([name, f]) => [name, f.value])),
				);
				const run = await runPiopiy({ url: fixture.url, parameters, items, onError: 'continueRegularOutput' });

				expect(run.error).toBeUndefined();
				expect(run.items).toHaveLength(items.length);
				expectOnlyValidRequests(fixture.sim);

				let sent = 0;
				run.items.forEach((item, i) => {
					expect(item.pairedItem).toEqual({ item: i });
					const fields = Object.values(generated[i]).filter((f) => f !== undefined);
					const allOk = fields.every((f) => 'ok' in f);
					const anyBad = fields.some((f) => f.bad);
					if (item.json.error !== undefined) {
						expectFieldError(item.json.error, i);
						expect(item.json.details.itemIndex).toBe(i);
						expect(allOk).toBe(false);
					} else {
						expect(anyBad).toBe(false);
						expect(item.json.request_id).toBe(fixture.sim.calls[sent].request_id);
						const request = fixture.sim.requests[sent];
						if (allOk) {
							expect(request.body).toEqual(expectedBody(operation, generated[i]));
							expect(request.path).toBe(expectedPath(operation, generated[i]));
						}
						sent++;
					}
				});
				// One request per accepted item, none for a refused one.
				expect(fixture.sim.requests).toHaveLength(sent);
			}),
			{ numRuns: 60, timeout: 15000 },
		);
	});
});

/**
 * Parameters set directly to odd values (a workflow imported or edited by hand), or to expressions
 * that yield odd types or fail. The same rules hold.
 */
const ODD_EXPRESSIONS = [
	'={{ NaN }}',
	'={{ Infinity }}',
	'={{ -Infinity }}',
	'={{ -0 }}',
	'={{ 1e21 }}',
	'={{ 919876543210.5 }}',
	'={{ -919876543210 }}',
	'={{ 9007199254740993 }}',
	'={{ Number.MAX_SAFE_INTEGER }}',
	'={{ 0x1E }}',
	'={{ [] }}',
	'={{ {} }}',
	'={{ null }}',
	'={{ undefined }}',
	'={{ true }}',
	'={{ new Date(0) }}',
	'={{ () => 919876543210 }}',
	'={{ BigInt(919876543210) }}',
	'={{ [919876543210, [919876543211]] }}',
	'={{ [919876543210, 919876543210] }}',
	'={{ { toString() { return "919876543210" } } }}',
	'={{ { a: BigInt(1) } }}',
	'={{ (() => { const o = {}; o.o = o; return o })() }}',
	'={{ "9".repeat(200000) }}',
	'={{ "x".repeat(200000) }}',
	'={{ "91987654321\\u0000" }}',
	'={{ "９１９８７６５４３２１０" }}',
	'={{ "٩١٩٨٧٦٥٤٣٢١٠" }}',
	'={{ "+91 98765 43210" }}',
	'={{ $json.missing.deeper }}',
	'={{ $json }}',
	'={{ $json.value }}',
	'={{ JSON.stringify({crm: "A-17"}) }}',
	'={{ {crm: "A-17", at: new Date(0)} }}',
	'={{ "{\\"crm\\": \\"' + 'A'.repeat(100000) + '\\"}" }}',
	'={{ ',
	'={{ }}',
	'=919876543210',
	'={{ $("Nowhere").item.json.x }}',
];

const oddParameter = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...ODD_EXPRESSIONS) },
	{ weight: 2, arbitrary: anyValue.map((f) => f.value) },
	{ weight: 1, arbitrary: validPhone.map((p) => p.value) },
	{ weight: 1, arbitrary: fc.constant(undefined) },
);

const REQUEST_OPTIONS = ['timeout', 'rateLimitRetries', 'retryWait', 'maxRetryWait', 'maxInFlight', 'callsPerSecond'];

/**
 * A valid wait above 50 ms would only make the run slow, not test anything: the Request Options
 * get the odd values, not long valid ones (nor a valid Max Calls per Second under 20, a wait of
 * more than 50 ms between the two items), and not item data (which could be any number).
 */
function isLongValidWait(value) {
	// Read as the node reads it: text counts as a number only when it is plain decimal digits
	// (with a fraction for Max Calls per Second, the one field that takes one).
	const number = typeof value === 'string' && /^-?(\d+|\d*\.\d+)$/.test(value.trim()) ? Number(value.trim()) : value;
	return typeof number === 'number' && ((Number.isInteger(number) && number > 50) || (number > 0 && number < 20));
}
const oddRequestOption = oddParameter.filter(
	(value) => !isLongValidWait(value) && !(typeof value === 'string' && value.includes('$json')),
);

/** The parameters of a valid call, with some of them replaced. */
function parametersWith(operation, replaced) {
	const names = OPERATIONS[operation];
	const parameters = {
		operation,
		[names.first]: '+91 98765 43210',
		[names.callerId]: '918000000000',
		[names.second]: '919000000001, 919000000002',
		options: {},
		requestOptions: {},
	};
	for (const [path, value] of Object.entries(replaced)) {
		const [group, name] = path.includes('.') ? path.split('.') : [undefined, path];
		const target = group ? parameters[group] : parameters;
		if (value === undefined) delete target[name];
		else target[name] = value;
	}
	return parameters;
}

function fieldsOf(operation) {
	const names = OPERATIONS[operation];
	return [
		names.first,
		names.callerId,
		names.second,
		...Object.keys(OPTIONS).map((name) => `options.${name}`),
		...REQUEST_OPTIONS.map((name) => `requestOptions.${name}`),
	];
}

/** Runs one set of parameters over two items and checks the rules; returns what happened. */
async function checkOddRun(fixture, parameters, firstValue) {
	fixture.sim.reset();
	const items = [{ value: firstValue }, { value: '919876543210' }];
	const run = await runPiopiy({ url: fixture.url, parameters, items, onError: 'continueRegularOutput' });

	expectOnlyValidRequests(fixture.sim);
	if (run.items.length === 0) {
		// n8n itself refused to start: a required parameter is empty or not text (the editor shows it).
		expect(run.error?.message).toMatch(/issues|parameter/i);
		expect(fixture.sim.requests).toHaveLength(0);
		return { started: false, accepted: 0, errors: [] };
	}
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(items.length);
	const errors = [];
	run.items.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		if (item.json.error !== undefined) {
			expectFieldError(item.json.error, i);
			errors.push(item.json.error);
		} else {
			expect(typeof item.json.request_id).toBe('string');
		}
	});
	const accepted = items.length - errors.length;
	expect(fixture.sim.requests).toHaveLength(accepted);
	expect(JSON.stringify(run.run)).not.toContain(APP_SECRET);
	return { started: true, accepted, errors };
}

describe('odd parameter values and expressions, any field', () => {
	const fixture = useSimulator();

	test.each(Object.keys(OPERATIONS))('%s: one or two odd fields, the rest valid', async (operation) => {
		const fields = fieldsOf(operation);
		const seen = { runs: 0, notStarted: 0, accepted: 0, refused: 0, expressionFailed: 0, fields: new Set() };
		const replacement = (field) => (field.startsWith('requestOptions.') ? oddRequestOption : oddParameter);
		const replacedArb = fc
			.uniqueArray(fc.constantFrom(...fields), { minLength: 1, maxLength: 2 })
			.chain((chosen) => fc.tuple(...chosen.map((field) => replacement(field).map((value) => [field, value]))))
			.map((pairs) => Object.fromEntries(pairs));

		await fc.assert(
			fc.asyncProperty(replacedArb, anyValue, async (replaced, first) => {
				const outcome = await checkOddRun(fixture, parametersWith(operation, replaced), first.value);
				seen.runs++;
				if (!outcome.started) seen.notStarted++;
				seen.accepted += outcome.accepted;
				seen.refused += outcome.errors.length;
				for (const error of outcome.errors) {
					if (error.includes(': its expression failed: ')) seen.expressionFailed++;
					seen.fields.add(error.match(NAMES_A_FIELD)[1]);
				}
			}),
			{ numRuns: 250, timeout: 15000 },
		);
		// Not vacuous: most runs started, and items were both sent and refused, over many fields.
		expect(seen.notStarted).toBeLessThan(seen.runs / 4);
		expect(seen.accepted).toBeGreaterThan(seen.runs / 10);
		expect(seen.refused).toBeGreaterThan(seen.runs / 10);
		expect(seen.expressionFailed).toBeGreaterThan(0);
		expect(seen.fields.size).toBeGreaterThanOrEqual(5);
	});

	test.each(Object.keys(OPERATIONS))('%s: every odd expression in every field', async (operation) => {
		let refused = 0;
		let accepted = 0;
		for (const field of fieldsOf(operation)) {
			for (const expression of ODD_EXPRESSIONS) {
				if (field.startsWith('requestOptions.') && !oddRequestOptionAllowed(expression)) continue;
				const outcome = await checkOddRun(fixture, parametersWith(operation, { [field]: expression }), { nested: [1n === 1n] });
				refused += outcome.errors.length;
				accepted += outcome.accepted;
			}
		}
		expect(refused).toBeGreaterThan(0);
		expect(accepted).toBeGreaterThan(0);
	});
});

function oddRequestOptionAllowed(expression) {
	return !expression.includes('$json');
}
