'use strict';
/**
 * Issue 18: the node's description, read for each credential kind, lists only what works with it.
 *
 * The editor is read as n8n reads it, with n8n-workflow's own NodeHelpers: getNodeParameters (the
 * values with their defaults, as every workflow n8n loads gets them) and displayParameter (what is
 * shown). For version 2 under each Authentication, and for version 1, that gives the operations
 * listed, and for each operation every field, every option of its collections, every choice of
 * its dropdowns (the fields each choice then shows included), the rows of Custom Call's builder,
 * and the bounds of every number. Then:
 * - each of those, set as a user sets it (filled in the way test/fixtures/operation-values.js says,
 *   numbers at both bounds, each choice), goes through a real run against the simulator and is
 *   accepted by it; just past a number's bounds it is refused before anything is sent;
 * - each one listed under the other Authentication only is refused, before anything is sent, when
 *   set with the credential of this kind in version 1 (where both kinds see every field): what is
 *   not listed does not work;
 * - an operation not listed is refused under that Authentication (the backstop for imported JSON);
 * - version 1 lists everything once, and keeps every saved value.
 */
const { NodeHelpers } = require('n8n-workflow');
const { piopiyPackage, runPiopiy } = require('./harness/piopiy');
const { useV3Simulator, v3Credentials } = require('./harness/v3');
const { CREDENTIAL_TYPE, TOKEN_CREDENTIAL_TYPE } = require('./harness/constants');
const { FIELD_VALUES, OPTIONS_NEEDED, ROW_VALUES } = require('./fixtures/operation-values');

const APP = CREDENTIAL_TYPE;
const TOKEN = TOKEN_CREDENTIAL_TYPE;
/** The lists every operation shares, read apart from the operation's own fields. */
const NOT_FIELDS = new Set(['authentication', 'resource', 'operation', 'requestOptions']);
/** Look-ups of a call the simulator does not know: it answers 404 "not found", after checking the request. */
const LOOK_UPS = new Set(['hangUpCall', 'getCallRecord']);

let versions;
beforeAll(async () => {
	const { type } = (await piopiyPackage()).loader.nodeTypes.piopiy;
	versions = { 1: type.getNodeType(1).description, 2: type.getNodeType(2).description };
});

// ---- the editor, read with NodeHelpers ----------------------------------------------------------

/** What the editor shows for these parameters: the properties displayed, and a way to read nested levels. */
function view(version, parameters) {
	const description = versions[version];
	const node = { typeVersion: version, parameters };
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description);
	const shown = (list, level) => list.filter((property) => NodeHelpers.displayParameter(level, property, node, description, values));
	return { values, properties: shown(description.properties, values), shown };
}

/** The editor's starting parameters for a version and Authentication (version 1 has none). */
const start = (version, authentication) => (version === 2 ? { authentication } : {});

/** The operations listed, each with its resource. */
function operationsListed(version, authentication) {
	const listed = {};
	const resources = view(version, start(version, authentication)).properties.find((p) => p.name === 'resource').options;
	for (const { value: resource } of resources) {
		const list = view(version, { ...start(version, authentication), resource }).properties.find((p) => p.name === 'operation');
		for (const { value } of list.options) listed[value] = resource;
	}
	return listed;
}

/** A number's bounds as the editor enforces them. */
const boundsOf = (property) => ({ min: property.typeOptions.minValue, max: property.typeOptions.maxValue });

/** A value other than the default, within the bounds: what a user who changes the field sets. */
function changed(property, given) {
	if (given !== undefined && given !== property.default) return given;
	if (property.type === 'number') {
		const { min, max } = boundsOf(property);
		return property.default === max ? min : Math.min(max, property.default + (Number.isInteger(property.default) ? 1 : 0.5));
	}
	if (property.type === 'boolean') return !property.default;
	if (property.type === 'options') return property.options.find((option) => option.value !== property.default).value;
	// A text with a default that works (Actions (JSON)): as it is.
	return property.default;
}

/**
 * Every field, option, choice and builder row field the editor lists for an operation, as settings:
 * `key` names it ("message", "messageType=audio", "options.loop", "options.region=india",
 * "actions.action[bridge].loop"), `patch` sets it on parameters as a user would (the choice that
 * shows it included), `number` gives a number's bounds and sets a value (`at`).
 */
function settingsOf(version, authentication, operation, resource) {
	const base = { ...start(version, authentication), resource, operation };
	const values = FIELD_VALUES[operation];
	const settings = [];
	const add = (setting) => settings.push(setting);
	const choiceViews = [{ context: {}, properties: view(version, base).properties }];
	for (const property of choiceViews[0].properties) {
		if (property.type !== 'options' || NOT_FIELDS.has(property.name)) continue;
		for (const { value } of property.options) {
			add({ key: `${property.name}=${value}`, patch: (p) => ({ ...p, [property.name]: value }) });
			if (value !== property.default) choiceViews.push({ context: { [property.name]: value }, properties: view(version, { ...base, [property.name]: value }).properties });
		}
	}
	const seen = new Set();
	for (const { context, properties } of choiceViews) {
		for (const property of properties) {
			if (NOT_FIELDS.has(property.name) || seen.has(property.name)) continue;
			seen.add(property.name);
			const inContext = (p) => ({ ...p, ...context });
			if (property.type === 'collection') {
				const collection = property.name;
				for (const option of view(version, inContext(base)).shown(property.options, {})) {
					const addOption = (p, value) => ({ ...inContext(p), [collection]: { ...OPTIONS_NEEDED[operation]?.[option.name], ...p[collection], [option.name]: value } });
					const given = values[collection]?.[option.name];
					add({ key: `${collection}.${option.name}`, patch: (p) => addOption(p, changed(option, given)) });
					if (option.type === 'options') {
						for (const { value } of option.options) add({ key: `${collection}.${option.name}=${value}`, patch: (p) => addOption(p, value) });
					}
					if (option.type === 'number') add({ key: `${collection}.${option.name}`, number: boundsOf(option), at: (p, value) => addOption(p, value) });
				}
			} else if (property.type === 'fixedCollection') {
				for (const row of rowSettings(version, base, property)) add({ ...row, patch: (p) => row.patch(inContext(p)), at: row.at && ((p, v) => row.at(inContext(p), v)) });
			} else {
				add({ key: property.name, patch: (p) => ({ ...inContext(p), [property.name]: changed(property, values[property.name]) }) });
				if (property.type === 'number') add({ key: property.name, number: boundsOf(property), at: (p, value) => ({ ...inContext(p), [property.name]: value }) });
			}
		}
	}
	return settings;
}

/** Custom Call's builder: one row per Action Type listed, each row field it then shows, each number's bounds. */
function rowSettings(version, base, property) {
	const [group] = property.options;
	const rows = (row) => (p) => ({ ...p, [property.name]: { [group.name]: [row] } });
	const editor = view(version, base);
	const typeField = editor.shown(group.values, {}).find((field) => field.name === 'type');
	const settings = [];
	for (const { value: type } of typeField.options) {
		const fields = editor.shown(group.values, { type }).filter((field) => field.name !== 'type');
		const row = { type, ...Object.fromEntries(fields.filter((f) => ROW_VALUES[f.name] !== undefined).map((f) => [f.name, ROW_VALUES[f.name]])) };
		const at = `${property.name}.${group.name}[${type}]`;
		settings.push({ key: `${property.name}.${group.name}.type=${type}`, patch: rows(row) });
		for (const field of fields) {
			settings.push({ key: `${at}.${field.name}`, patch: rows({ ...row, [field.name]: row[field.name] ?? changed(field) }) });
			if (field.type === 'number') settings.push({ key: `${at}.${field.name}`, number: boundsOf(field), at: (p, value) => rows({ ...row, [field.name]: value })(p) });
		}
	}
	return settings;
}

/** The parameters of a run: the editor's, every field shown filled in (test/fixtures/operation-values.js), then the setting. */
function parametersFor(version, authentication, operation, resource, patch = (p) => p) {
	let parameters = patch({ ...start(version, authentication), resource, operation });
	// Filling can show more (a builder row), so fill until nothing more is shown.
	for (let round = 0; round < 3; round++) {
		const shown = view(version, parameters).properties;
		for (const property of shown) {
			if (NOT_FIELDS.has(property.name) || property.name in parameters) continue;
			if (property.type === 'fixedCollection') {
				// One row of the Action Type a new row starts with, and a hang-up.
				const [group] = property.options;
				const type = view(version, parameters).shown(group.values, {}).find((field) => field.name === 'type').default;
				const fields = view(version, parameters).shown(group.values, { type });
				const row = { type, ...Object.fromEntries(fields.filter((f) => ROW_VALUES[f.name] !== undefined).map((f) => [f.name, ROW_VALUES[f.name]])) };
				parameters = { ...parameters, [property.name]: { [group.name]: [row, { type: 'hangup' }] } };
			} else if (FIELD_VALUES[operation][property.name] !== undefined && property.type !== 'collection') {
				parameters = { ...parameters, [property.name]: FIELD_VALUES[operation][property.name] };
			}
		}
	}
	return parameters;
}

// ---- runs ---------------------------------------------------------------------------------------

const fixture = useV3Simulator();

/**
 * Runs the node with the credential of `kind` ('app' or 'token'): in version 2 the one its
 * Authentication names, in version 1 a Piopiy API credential (with API "API Token" for a token, as
 * 0.2.0 saved them). "accepted": one request, which the simulator took; "refused": nothing sent.
 */
async function outcome(version, kind, parameters) {
	return (await sent(version, kind, parameters)).verdict;
}

/** The same, with the body of the request accepted. */
async function sent(version, kind, parameters) {
	const before = fixture.sim.requests.length;
	const spec = { url: fixture.url, parameters, typeVersion: version };
	if (version === 2) spec.credentialType = kind === 'token' ? TOKEN : APP;
	else if (kind === 'token') spec.credentials = v3Credentials(fixture.url);
	const run = await runPiopiy(spec);
	const requests = fixture.sim.requests.slice(before);
	if (requests.length === 0) {
		const refused = run.nodeError && /No request was sent to Piopiy/.test(run.nodeError.description);
		return { verdict: refused ? 'refused' : `nothing sent: ${run.nodeError?.message ?? run.error?.message}` };
	}
	const [request] = requests;
	const lookUp = LOOK_UPS.has(parameters.operation) && request.status === 404 && !request.path.startsWith('/v3');
	if (requests.length === 1 && (request.status === 200 || lookUp)) return { verdict: 'accepted', body: request.rawBody };
	return { verdict: `sent ${requests.length}, HTTP ${request.status}: ${run.nodeError?.message}` };
}

const AUTHENTICATIONS = [
	['App ID and App Secret (v2 API)', APP, 'app', 'token'],
	['API Token (v3 API)', TOKEN, 'token', 'app'],
];

describe('version 2: the operations each Authentication lists', () => {
	const ALL = ['aiAgentCall', 'customCall', 'dialerCall', 'flowCall', 'getCallRecord', 'hangUpCall', 'maskCall', 'orderConfirmationCall', 'transactionAlertCall', 'transferCall'];
	const EXPECTED = {
		[APP]: { resources: ['call', 'callRecord'], operations: ['customCall', 'dialerCall', 'getCallRecord', 'hangUpCall', 'maskCall', 'orderConfirmationCall', 'transactionAlertCall'] },
		[TOKEN]: {
			resources: ['call'],
			operations: ['aiAgentCall', 'customCall', 'dialerCall', 'flowCall', 'hangUpCall', 'maskCall', 'orderConfirmationCall', 'transactionAlertCall', 'transferCall'],
		},
	};

	test.each(AUTHENTICATIONS)('%s: exactly the operations with a form for it; each listed one runs, each other one is refused', async (_name, authentication, kind) => {
		const listed = operationsListed(2, authentication);
		expect([...new Set(Object.values(listed))].sort()).toEqual(EXPECTED[authentication].resources);
		expect(Object.keys(listed).sort()).toEqual(EXPECTED[authentication].operations);
		const outcomes = [];
		for (const operation of ALL) {
			const resource = listed[operation] ?? (operation === 'getCallRecord' ? 'callRecord' : 'call');
			// An operation not listed is reached by imported JSON: its fields filled as the other Authentication shows them.
			const other = AUTHENTICATIONS.find(([, a]) => a !== authentication)[1];
			const parameters = listed[operation]
				? parametersFor(2, authentication, operation, resource)
				: { ...parametersFor(2, other, operation, resource), authentication };
			outcomes.push([operation, await outcome(2, kind, parameters)]);
		}
		expect(outcomes).toEqual(ALL.map((operation) => [operation, listed[operation] ? 'accepted' : 'refused']));
	});

	test('the credential shown is the one the Authentication names; App ID and App Secret is the default', () => {
		const credentials = (parameters) =>
			versions[2].credentials.filter((c) => NodeHelpers.displayParameter(view(2, parameters).values, c, { typeVersion: 2, parameters }, versions[2])).map((c) => c.name);
		expect(credentials({})).toEqual([APP]);
		expect(credentials({ authentication: APP })).toEqual([APP]);
		expect(credentials({ authentication: TOKEN })).toEqual([TOKEN]);
		const [authentication] = view(2, {}).properties;
		expect(authentication).toMatchObject({ name: 'authentication', noDataExpression: true, default: APP });
		expect(authentication.options.map(({ name, value }) => [name, value])).toEqual([
			['App ID and App Secret (v2 API)', APP],
			['API Token (v3 API)', TOKEN],
		]);
	});
});

describe('version 2: every field, option and choice each Authentication lists works with it', () => {
	const cases = [];
	for (const [name, authentication, kind] of AUTHENTICATIONS) {
		for (const operation of Object.keys(FIELD_VALUES)) cases.push([name, operation, authentication, kind]);
	}

	test.each(cases)('%s, %s', async (_name, operation, authentication, kind) => {
		const resource = operationsListed(2, authentication)[operation];
		if (!resource) return; // not listed: the test above
		const results = [];
		const expected = [];
		const check = async (label, parameters, wanted) => {
			results.push([label, await outcome(2, kind, parameters)]);
			expected.push([label, wanted]);
		};
		await check('as filled in', parametersFor(2, authentication, operation, resource), 'accepted');
		for (const setting of settingsOf(2, authentication, operation, resource)) {
			if (!setting.number) {
				await check(setting.key, parametersFor(2, authentication, operation, resource, setting.patch), 'accepted');
				continue;
			}
			const { min, max } = setting.number;
			for (const [value, wanted] of [[min, 'accepted'], [max, 'accepted'], [min - 1, 'refused'], [max + 1, 'refused']]) {
				await check(`${setting.key} = ${value}`, parametersFor(2, authentication, operation, resource, (p) => setting.at(p, value)), wanted);
			}
		}
		expect(results.length).toBeGreaterThan(1);
		expect(results).toEqual(expected);
	});
});

/** What one generation has and the other has not: the fields, options and choices of issue 18's count. */
const REGION = ['options.region', 'options.region=auto', 'options.region=india', 'options.region=global'];
const DIFFERENCES = {
	[APP]: {
		maskCall: ['options.loop', ...REGION],
		dialerCall: ['options.loop', ...REGION],
		transactionAlertCall: REGION,
		orderConfirmationCall: REGION,
		customCall: ['actions.action[bridge].loop', 'actions.action.type=speak', 'actions.action[speak].text', ...REGION],
		hangUpCall: ['options.region', 'options.region=global', 'options.region=india'],
	},
	[TOKEN]: {
		transactionAlertCall: ['language', 'voice', 'speed', 'resultUrl'],
		orderConfirmationCall: ['language', 'voice', 'speed'],
		customCall: ['options.agentId', 'options.record', 'options.ringTimeout'],
		hangUpCall: ['options.cause', 'options.reason'],
	},
};

describe('what one Authentication lists and the other does not, does not work with the other', () => {
	const cases = [];
	for (const [name, authentication, kind, otherKind] of AUTHENTICATIONS) {
		for (const operation of Object.keys(FIELD_VALUES)) cases.push([name, operation, authentication, kind, otherKind]);
	}

	test.each(cases)('listed under %s only, %s: refused with the other credential in version 1, nothing sent', async (_name, operation, authentication, kind, otherKind) => {
		const other = AUTHENTICATIONS.find(([, , k]) => k === otherKind)[1];
		const resource = operationsListed(2, authentication)[operation];
		if (!resource || !operationsListed(2, other)[operation]) return; // one Authentication has no such operation
		const otherKeys = new Set(settingsOf(2, other, operation, resource).map((setting) => setting.key));
		const only = settingsOf(2, authentication, operation, resource).filter((setting) => !setting.number && !otherKeys.has(setting.key));
		const inVersion1 = (patch) => {
			// The other Authentication's fields filled in, then this one setting, in a version 1 node.
			const { authentication: _, ...parameters } = parametersFor(2, other, operation, resource, patch);
			return parameters;
		};
		const without = await sent(1, otherKind, inVersion1());
		expect(without.verdict).toBe('accepted');
		const results = [];
		for (const setting of only) {
			// Refused, or (a choice that means nothing there, such as Region: Auto under v3) the same request as without it.
			const { verdict, body } = await sent(1, otherKind, inVersion1(setting.patch));
			results.push([setting.key, verdict === 'accepted' && body === without.body ? 'no effect' : verdict]);
		}
		// Whatever is set is refused; only a choice can mean nothing there and change nothing.
		expect(results.filter(([key, result]) => !(result === 'refused' || (result === 'no effect' && key.includes('='))))).toEqual([]);
	});

	test('what each Authentication alone lists, where both have the operation', () => {
		const alone = {};
		for (const [, authentication] of AUTHENTICATIONS) {
			const other = AUTHENTICATIONS.find(([, a]) => a !== authentication)[1];
			for (const [operation, resource] of Object.entries(operationsListed(2, authentication))) {
				if (!operationsListed(2, other)[operation]) continue;
				const keys = (a) => settingsOf(2, a, operation, resource).filter((setting) => !setting.number).map((setting) => setting.key);
				const otherKeys = new Set(keys(other));
				const only = [...new Set(keys(authentication))].filter((key) => !otherKeys.has(key));
				if (only.length) (alone[authentication] ??= {})[operation] = only;
			}
		}
		expect(alone).toEqual(DIFFERENCES);
	});
});

describe('version 1, every workflow saved with 0.2.0', () => {
	test('lists every operation, and for each every field and option of both generations, each once', () => {
		const listed = operationsListed(1);
		expect(Object.keys(listed).sort()).toEqual(Object.keys(FIELD_VALUES).sort());
		for (const [operation, resource] of Object.entries(listed)) {
			const keys = (version, authentication) =>
				settingsOf(version, authentication, operation, resource)
					.filter((setting) => !setting.number)
					.map((setting) => setting.key);
			const inVersion1 = keys(1);
			const union = [...new Set([...(operationsListed(2, APP)[operation] ? keys(2, APP) : []), ...(operationsListed(2, TOKEN)[operation] ? keys(2, TOKEN) : [])])];
			expect([operation, [...inVersion1].sort()]).toEqual([operation, union.sort()]);
			// Once: no field shown twice, no option offered twice.
			const shown = view(1, { resource, operation }).properties;
			expect([operation, shown.map((p) => p.name)]).toEqual([operation, [...new Set(shown.map((p) => p.name))]]);
			for (const collection of shown.filter((p) => p.type === 'collection')) {
				const names = collection.options.map((o) => o.name);
				expect([operation, names]).toEqual([operation, [...new Set(names)]]);
			}
		}
	});

	test('has no Authentication, one Piopiy API credential, and keeps every value a saved workflow holds', () => {
		expect(versions[1].properties.map((p) => p.name)).not.toContain('authentication');
		expect(versions[1].credentials).toEqual([{ name: APP, required: true }]);
		// Every field an API Token credential has, set, survives n8n's reading of the workflow (and its saving).
		const saved = {
			operation: 'transactionAlertCall',
			customerNumber: '918888888888',
			callerId: '919999999999',
			message: 'Hello',
			language: 'hi-IN',
			voice: 'male',
			speed: 1.5,
			resultUrl: 'https://n8n.example.com/webhook/keys',
			options: { duration: 600, region: 'india', extraParams: '{"a": 1}' },
		};
		const node = { typeVersion: 1, parameters: saved };
		expect(NodeHelpers.getNodeParameters(versions[1].properties, saved, false, false, node, versions[1])).toEqual(saved);
		expect(NodeHelpers.getNodeParameters(versions[1].properties, saved, true, false, node, versions[1])).toMatchObject(saved);
		const custom = { operation: 'customCall', customerNumber: '918888888888', callerId: '919999999999', options: { agentId: 'x', record: true, ringTimeout: 30, region: 'global' } };
		expect(NodeHelpers.getNodeParameters(versions[1].properties, custom, false, false, { typeVersion: 1, parameters: custom }, versions[1])).toEqual(custom);
	});
});

describe('hints', () => {
	/** Every hint in a description, with where it is. */
	function hints(properties, at = '') {
		return properties.flatMap((property) => {
			const here = `${at}${property.name ?? property.displayName}`;
			const own = property.hint ? [[here, property.hint]] : [];
			const nested = (property.options ?? []).flatMap((option) =>
				option.values ? hints(option.values, `${here}.${option.name}.`) : option.type ? hints([option], `${here}.`) : [],
			);
			return [...own, ...nested];
		});
	}

	test('no hint says a field is for one API "only", in either version', () => {
		const all = [...hints(versions[1].properties), ...hints(versions[2].properties)];
		expect(all.length).toBeGreaterThan(0);
		expect(all.filter(([, hint]) => /\bonly\b/i.test(hint))).toEqual([]);
	});

	test.each(AUTHENTICATIONS)('under %s no hint speaks of the other API', (_name, authentication, kind) => {
		const otherWords = kind === 'app' ? /API Token|v3/ : /App ID|App Secret|v2/;
		const found = [];
		for (const [operation, resource] of Object.entries(operationsListed(2, authentication))) {
			const { properties } = view(2, { authentication, resource, operation });
			// A collection or a builder shown under one Authentication offers only what that one has (operation.ts).
			for (const [where, hint] of hints(properties)) if (otherWords.test(hint)) found.push([operation, where, hint]);
		}
		expect(found).toEqual([]);
	});
});
