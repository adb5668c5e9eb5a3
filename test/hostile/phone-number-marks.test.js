'use strict';
/**
 * Issue 17, defect 8: inside a phone number only the readability marks the README names are taken
 * off (spaces, "-", "(", ")", and a leading "+" or "00"); anything else is refused, never removed.
 * "9198765<TAB>4321012" was dialled as 91987654321012. One rule (nodes/shared/phoneNumber.ts) for
 * every field that takes a number, one number or a list, under v2 (JSON numbers) and v3 (digits in
 * text), and for the Piopiy Trigger's Agent Numbers:
 * - a space is any Unicode space separator: the no-break space U+00A0 a CRM or spreadsheet pastes,
 *   U+202F, U+2000-U+200A, U+3000 show as a gap between digits, as a space does;
 * - spaces, tabs and line breaks before and after a number are taken off;
 * - a tab or line break inside a number (a list's entries are still separated by commas,
 *   semicolons and new lines), a zero-width character, a text-direction mark, a control character,
 *   a digit other than 0-9, a dash other than "-", ".", "/", a second "+": refused, the error
 *   naming the field, the item, the value (what does not show written as <TAB>, <U+200B>) and the
 *   character with its code point; no request is sent.
 */
const { HookContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const { runPiopiy } = require('../harness/piopiy');
const { useV3Simulator, runPiopiyV3 } = require('../harness/v3');
const { serveTrigger, triggerPackage } = require('../harness/trigger');
const { TRIGGER_TYPE } = require('../harness/constants');
const { createPiopiySimulator } = require('../../simulator/piopiy-simulator');

const RULE = 'only the digits 0-9, spaces, "-", "(", ")" and a leading "+" are allowed in a phone number';
const SEPARATES = 'which more likely separates two values than groups the digits of one';
const UNSEEN = 'which does not show on screen';
const DIRECTION = `${UNSEEN} and can change the order the digits are shown in`;
const TWO_NUMBERS = 'which more likely separates two numbers or an extension than groups the digits of one';
const AGENT_ID = 'bdd32bcb-767c-40a5-be4a-5f45eeb348a6';

/** A character put between "9198765" and "4321012", as the error shows it, and how the error names it. */
const INSIDE = [
	['\t', '<TAB>', `a tab (<TAB>), ${SEPARATES}`],
	['\r', '<CR>', `a line break (<CR>), ${SEPARATES}`],
	['\v', '<VT>', `a vertical tab (<VT>), ${SEPARATES}`],
	['\f', '<FF>', `a form feed (<FF>), ${SEPARATES}`],
	['\u0085', '<U+0085>', `a line break (<U+0085>), ${SEPARATES}`],
	['\u2028', '<U+2028>', `a line break (<U+2028>), ${SEPARATES}`],
	['\u2029', '<U+2029>', `a paragraph break (<U+2029>), ${SEPARATES}`],
	['\u200b', '<U+200B>', `a zero-width character (<U+200B>), ${UNSEEN}`],
	['\u200c', '<U+200C>', `a zero-width character (<U+200C>), ${UNSEEN}`],
	['\u200d', '<U+200D>', `a zero-width character (<U+200D>), ${UNSEEN}`],
	['\u2060', '<U+2060>', `a zero-width character (<U+2060>), ${UNSEEN}`],
	['\ufeff', '<U+FEFF>', `a zero-width character (<U+FEFF>), ${UNSEEN}`],
	['\u200e', '<U+200E>', `a text-direction mark (<U+200E>), ${DIRECTION}`],
	['\u200f', '<U+200F>', `a text-direction mark (<U+200F>), ${DIRECTION}`],
	['\u061c', '<U+061C>', `a text-direction mark (<U+061C>), ${DIRECTION}`],
	['\u202a', '<U+202A>', `a text-direction mark (<U+202A>), ${DIRECTION}`],
	['\u202c', '<U+202C>', `a text-direction mark (<U+202C>), ${DIRECTION}`],
	['\u202e', '<U+202E>', `a text-direction mark (<U+202E>), ${DIRECTION}`],
	['\u2066', '<U+2066>', `a text-direction mark (<U+2066>), ${DIRECTION}`],
	['\u2069', '<U+2069>', `a text-direction mark (<U+2069>), ${DIRECTION}`],
	['\u0000', '<U+0000>', 'a control character (<U+0000>)'],
	['\u001b', '<U+001B>', 'a control character (<U+001B>)'],
	['\u007f', '<U+007F>', 'a control character (<U+007F>)'],
	['\u00ad', '<U+00AD>', 'an invisible character (<U+00AD>)'],
	['\u180e', '<U+180E>', 'an invisible character (<U+180E>)'],
	['\u3164', '<U+3164>', 'an invisible character (<U+3164>)'],
	['\u0301', '<U+0301>', 'a combining mark (<U+0301>)'],
	['\ud800', '<U+D800>', 'an invisible character (<U+D800>)'],
	['.', '.', `"." (U+002E), ${TWO_NUMBERS}`],
	['/', '/', `"/" (U+002F), ${TWO_NUMBERS}`],
	['\u2013', '\u2013', '"\u2013" (U+2013)'],
	['\u2011', '\u2011', '"\u2011" (U+2011)'],
	['\u2212', '\u2212', '"\u2212" (U+2212)'],
	['\uff0d', '\uff0d', '"\uff0d" (U+FF0D)'],
	['\u2800', '\u2800', '"\u2800" (U+2800)'],
	['x', 'x', '"x" (U+0078)'],
	['+', '+', '"+" (U+002B) after the start of the number'],
];

/** Whole texts: [text, as the error quotes it (without the JSON quotes), how the error names the character]. */
const REFUSED = [
	...INSIDE.map(([character, shown, what]) => [`9198765${character}4321012`, `9198765${shown}4321012`, what]),
	['\u202e919876543210', '<U+202E>919876543210', `a text-direction mark (<U+202E>), ${DIRECTION}`],
	['\u202a+91 98765 43210\u202c', '<U+202A>+91 98765 43210<U+202C>', `a text-direction mark (<U+202A>), ${DIRECTION}`],
	['\ufeff919876543210', '<U+FEFF>919876543210', `a zero-width character (<U+FEFF>), ${UNSEEN}`],
	['919876543210\u200b', '919876543210<U+200B>', `a zero-width character (<U+200B>), ${UNSEEN}`],
	['\uff19\uff11\uff19\uff18\uff17\uff16\uff15\uff14\uff13\uff12\uff11\uff10', '\uff19\uff11\uff19\uff18\uff17\uff16\uff15\uff14\uff13\uff12\uff11\uff10', '"\uff19" (U+FF19), a digit other than 0-9'],
	['91 \u096f\u096e\u096d\u096c\u096b 43210', '91 \u096f\u096e\u096d\u096c\u096b 43210', '"\u096f" (U+096F), a digit other than 0-9'],
	['\u0669\u0661\u0669\u0668\u0667\u0666\u0665\u0664\u0663\u0662\u0661\u0660', '\u0669\u0661\u0669\u0668\u0667\u0666\u0665\u0664\u0663\u0662\u0661\u0660', '"\u0669" (U+0669), a digit other than 0-9'],
	['\uff0b91 98765 43210', '\uff0b91 98765 43210', '"\uff0b" (U+FF0B)'],
	['\ud83d\udcde 919876543210', '\ud83d\udcde 919876543210', '"\ud83d\udcde" (U+1F4DE)'],
	['++919876543210', '++919876543210', '"+" (U+002B) after the start of the number'],
	['0091+9876543210', '0091+9876543210', '"+" (U+002B) after the start of the number'],
];

/** A line break splits a list into two numbers (as the README says); in a one-number field it is refused, as are list separators. */
const ONE_NUMBER_ONLY = [
	['9198765\n4321012', '9198765<LF>4321012', `a line break (<LF>), ${SEPARATES}`],
	['9198765\r\n4321012', '9198765<CR><LF>4321012', `a line break (<CR>), ${SEPARATES}`],
	['919876543210, 918765432109', '919876543210, 918765432109', '"," (U+002C)'],
	['919876543210; 918765432109', '919876543210; 918765432109', '";" (U+003B)'],
];

/** Accepted: [what, text, the digits Piopiy receives]. */
const ACCEPTED = [
	['no-break spaces (U+00A0)', '+91\u00a098765\u00a043210', '919876543210'],
	['narrow no-break spaces (U+202F)', '+91\u202f98765\u202f43210', '919876543210'],
	['thin spaces (U+2009), brackets, a dash', '+91\u2009(98765)\u2009432-10', '919876543210'],
	['figure, en and em spaces (U+2007, U+2002, U+2003)', '+91\u2007 98765\u2002\u2003 43210', '919876543210'],
	['ideographic spaces (U+3000) around it', '\u3000919876543210\u3000', '919876543210'],
	['a tab before, CRLF after', '\t +91 98765-43210\r\n', '919876543210'],
	['no-break spaces around "(+91)"', '\u00a0(+91) 98765 43210\u00a0', '919876543210'],
	['"00" and a line break after', '0091 98765 43210\n', '919876543210'],
	['"+1 (415) 555-0100"', '+1 (415) 555-0100', '14155550100'],
];

const MASK = { operation: 'maskCall', agentNumber: '919000000009', callerId: '918044000000', customerNumbers: '919000000001' };
const DIALER = { operation: 'dialerCall', customerNumber: '919000000009', piopiyNumber: '918044000000', agentNumbers: '919000000001' };

/**
 * The fields, each filled from the items' `number`: [generation, field, parameters, the label the error
 * starts with, the rows]. A list field gets the number second, so the error names the entry.
 */
const V2 = { run: runPiopiy, name: 'v2' };
const V3 = { run: runPiopiyV3, name: 'v3' };
const ONE = [...REFUSED, ...ONE_NUMBER_ONLY];
const FIELDS = [];
for (const api of [V2, V3]) {
	FIELDS.push(
		[api, 'Mask Call > Agent Number', { ...MASK, agentNumber: '={{ $json.number }}' }, 'Agent Number', ONE],
		[api, 'Mask Call > Caller ID', { ...MASK, callerId: '={{ $json.number }}' }, 'Caller ID', ONE],
		[api, 'Dialer Call > Customer Number', { ...DIALER, customerNumber: '={{ $json.number }}' }, 'Customer Number', ONE],
		[api, 'Mask Call > Customer Numbers (text)', { ...MASK, customerNumbers: '={{ "919000000001, " + $json.number }}' }, 'Customer Numbers (number 2)', REFUSED, ' '],
		[api, 'Dialer Call > Agent Numbers (a list)', { ...DIALER, agentNumbers: '={{ ["919000000001", $json.number] }}' }, 'Agent Numbers (number 2)', REFUSED],
		[
			api,
			'Custom Call > Bridge > Numbers',
			{ operation: 'customCall', customerNumber: '919000000009', callerId: '918044000000', actions: { action: [{ type: 'bridge', connect: '={{ $json.number + ";919000000001" }}' }] } },
			'Actions > Action (number 1) > Numbers (number 1)',
			REFUSED,
		],
	);
}
FIELDS.push(
	[
		V2,
		'Custom Call JSON > bridge > connect',
		{ operation: 'customCall', customerNumber: '919000000009', callerId: '918044000000', actionsSource: 'json', actionsJson: '={{ JSON.stringify([{ action: "bridge", from: 918044000000, connect: [{ type: "pstn", number: $json.number }] }]) }}' },
		'Actions (JSON) (number 1) > connect (number 1) > number',
		ONE,
	],
	[
		V3,
		'Custom Call JSON > connect > endpoints',
		{ operation: 'customCall', customerNumber: '919000000009', callerId: '918044000000', actionsSource: 'json', actionsJson: '={{ JSON.stringify([{ action: "connect", params: { caller_id: "918044000000" }, endpoints: [{ type: "pstn", number: $json.number }] }]) }}' },
		'Actions (JSON) (number 1) > endpoints (number 1) > number',
		ONE,
	],
	[V3, 'AI Agent Call > Customer Number', { operation: 'aiAgentCall', customerNumber: '={{ $json.number }}', callerId: '918044000000', agentId: AGENT_ID }, 'Customer Number', ONE],
	[V3, 'Transfer Call > Numbers', { operation: 'transferCall', callId: AGENT_ID, callerId: '918044000000', transferTo: '={{ ["919000000001", $json.number] }}' }, 'Numbers (number 2)', REFUSED],
);

describe('refused inside a number, naming the field, the item, the value and the character; nothing sent', () => {
	const fixture = useV3Simulator();

	test.each(FIELDS.map(([api, name, ...rest]) => [api.name, name, api, ...rest]))('%s %s', async (_generation, _name, api, parameters, label, rows, prefix = '') => {
		const run = await api.run({ url: fixture.url, parameters, items: rows.map(([number]) => ({ number })), onError: 'continueRegularOutput' });
		expect(run.items.map((item) => item.json.error)).toEqual(
			rows.map(([, shown, what], index) => `Invalid ${label} in item ${index}: ${JSON.stringify(`${prefix}${shown}`)} has ${what}: ${RULE}`),
		);
		expect(run.items.map((item) => item.json.details.description)).toEqual(
			rows.map((_row, index) => expect.stringMatching(new RegExp(`^No request was sent to Piopiy for item ${index}\\. Check the "`))),
		);
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test.each([V2, V3].map((api) => [api.name, api]))('%s: typed into the field (no expression), the tab is refused as well', async (_generation, api) => {
		const run = await api.run({ url: fixture.url, parameters: { ...MASK, agentNumber: '9198765\t4321012' } });
		expect(run.nodeError.message).toBe(`Invalid Agent Number in item 0: "9198765<TAB>4321012" has a tab (<TAB>), ${SEPARATES}: ${RULE}`);
		expect(run.nodeError.description).toBe('No request was sent to Piopiy for item 0. Check the "Agent Number" field or the expression that fills it.');
		expect(fixture.sim.requests).toHaveLength(0);
	});

	test('one bad item among good ones: with Continue, the good ones are called, the bad one never', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: { ...MASK, customerNumbers: '={{ $json.number }}' },
			items: [{ number: '919000000001' }, { number: '9190000\u200b00002' }, { number: '919000000003' }],
			onError: 'continueRegularOutput',
		});
		expect(run.items[1].json.error).toBe(`Invalid Customer Numbers (number 1) in item 1: "9190000<U+200B>00002" has a zero-width character (<U+200B>), ${UNSEEN}: ${RULE}`);
		expect(fixture.sim.requests.map((request) => request.body.pcmo[0].connect[0].number).sort()).toEqual([919000000001, 919000000003]);
	});
});

describe('accepted: the digits Piopiy receives', () => {
	const fixture = useV3Simulator();

	test.each(ACCEPTED)('%s: in Agent Number and in Customer Numbers, v2 and v3', async (_what, text, digits) => {
		await runPiopiy({ url: fixture.url, parameters: { ...MASK, agentNumber: text } });
		await runPiopiy({ url: fixture.url, parameters: { ...MASK, customerNumbers: `919000000001,${text}` } });
		await runPiopiyV3({ url: fixture.url, parameters: { ...MASK, agentNumber: text } });
		await runPiopiyV3({ url: fixture.url, parameters: { ...MASK, customerNumbers: `919000000001,${text}` } });
		const [v2Agent, v2List, v3Agent, v3List] = fixture.sim.requests.map((request) => request.body);
		expect(v2Agent.to).toBe(Number(digits));
		expect(v2List.pcmo[0].connect).toEqual([
			{ type: 'pstn', number: 919000000001 },
			{ type: 'pstn', number: Number(digits) },
		]);
		expect(v3Agent.to_number).toBe(digits);
		expect(v3List.pipeline[0].endpoints).toEqual([
			{ type: 'pstn', number: '919000000001' },
			{ type: 'pstn', number: digits },
		]);
		expect(fixture.sim.requests).toHaveLength(4);
	});

	test('a list\'s separators stay commas, semicolons and new lines (CRLF too), with no-break spaces in its numbers', async () => {
		const customerNumbers = '919000000001\r\n+91\u00a090000\u00a000002;\t919000000003\t,\n\n(+91) 90000-00004\r\n';
		await runPiopiy({ url: fixture.url, parameters: { ...MASK, customerNumbers } });
		await runPiopiyV3({ url: fixture.url, parameters: { ...MASK, customerNumbers } });
		const [v2, v3] = fixture.sim.requests.map((request) => request.body);
		expect(v2.pcmo[0].connect.map((leg) => leg.number)).toEqual([919000000001, 919000000002, 919000000003, 919000000004]);
		expect(v3.pipeline[0].endpoints.map((endpoint) => endpoint.number)).toEqual(['919000000001', '919000000002', '919000000003', '919000000004']);
	});

	test('an entry of nothing but a zero-width character is refused, not skipped as empty', async () => {
		const run = await runPiopiy({ url: fixture.url, parameters: { ...MASK, customerNumbers: '919000000001,\ufeff' } });
		expect(run.nodeError.message).toBe(`Invalid Customer Numbers (number 2) in item 0: "<U+FEFF>" has a zero-width character (<U+FEFF>), ${UNSEEN}: ${RULE}`);
		expect(fixture.sim.requests).toHaveLength(0);
	});
});

describe('the Piopiy Trigger\'s Agent Numbers and Caller ID Shown to Agents', () => {
	const sim = createPiopiySimulator();
	let server;
	afterEach(async () => {
		await server?.stop();
		server = undefined;
	});

	async function activate(parameters) {
		const pkg = await triggerPackage();
		const node = { id: 't', name: 'Piopiy Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: { events: ['inboundCall'], ...parameters } };
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes: pkg.nodeTypes, settings: {} });
		const context = new HookContext(workflow, workflow.getNode('Piopiy Trigger'), {}, 'trigger', 'activate');
		return pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).webhookMethods.default.create.call(context);
	}

	test.each(REFUSED.map(([number, shown, what]) => [shown, number, what]))('Agent Numbers with "%s" stop the activation', async (shown, number, what) => {
		await expect(activate({ agentNumbers: `919000000001, ${number}` })).rejects.toThrow(
			`The answer to inbound calls is not valid: Agent Numbers (number 2): ${JSON.stringify(` ${shown}`)} has ${what}: ${RULE}`,
		);
	});

	test.each(ONE.map(([number, shown, what]) => [shown, number, what]))('Caller ID Shown to Agents "%s" stops the activation', async (shown, number, what) => {
		await expect(activate({ agentNumbers: '919000000001', options: { callerId: number } })).rejects.toThrow(
			`The answer to inbound calls is not valid: Options > Caller ID Shown to Agents: ${JSON.stringify(shown)} has ${what}: ${RULE}`,
		);
	});

	test('no-break spaces, CRLF and surrounding tabs: the bridge rings the numbers meant', async () => {
		server = await serveTrigger({
			parameters: { events: ['inboundCall'], agentNumbers: '+91\u00a090000\u00a000001\r\n\t+91 90000-00002\t', options: { callerId: '\u00a0+91\u202f80\u202f4400\u202f0000' } },
		});
		const answer = await sim.answerInboundCall(server.url, { from: '919876543210', to: '918044000000' });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{
				action: 'bridge',
				from: 918044000000,
				connect: [
					{ type: 'pstn', number: 919000000001 },
					{ type: 'pstn', number: 919000000002 },
				],
				duration: 5400,
				timeout: 40,
				loop: 1,
			},
		]);
		await server.nextExecution();
	});
});
