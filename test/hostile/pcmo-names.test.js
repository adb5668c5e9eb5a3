'use strict';
/**
 * Issue 9, item 5: names that every JavaScript object has (toString, constructor, __proto__,
 * hasOwnProperty, valueOf) are not PCMO actions, and not properties of one. Wherever a PCMO list
 * is checked (Custom Call, the trigger's activation, its immediate answer, and a workflow's answer
 * through the answer guard), each is refused with the same clear error, never a TypeError, never
 * silently dropped.
 */
const { HookContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const { createPiopiySimulator } = require('../../simulator/piopiy-simulator');
const { runPiopiy } = require('../harness/piopiy');
const { serveTrigger, triggerPackage } = require('../harness/trigger');
const { TRIGGER_TYPE } = require('../harness/constants');
const { useServers, placed, sendJson } = require('./support');

const NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
const ACTIONS = '"speak", "play", "input", "play_get_input", "bridge", "record", "hangup", "param", "stream"';
const notAnAction = (name) => `${JSON.stringify(name)} is not a PCMO action; use one of ${ACTIONS}`;
const INBOUND = { from: '919876543210', to: '918044000000' };
const FALLBACK = [{ action: 'speak', text: 'Sorry, we cannot take your call right now. Please try again later.' }, { action: 'hangup' }];
const sim = createPiopiySimulator();

/** The JSON text of an action list whose only action is named `name` (written out, so "__proto__" stays a key). */
const listNamed = (name) => `[{"action": ${JSON.stringify(name)}, "text": "Hello"}]`;

describe('Custom Call', () => {
	const server = useServers();

	test.each(NAMES)('"%s" as an action: refused, nothing sent', async (name) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const run = await runPiopiy({
			url: piopiy.url,
			parameters: { operation: 'customCall', customerNumber: '+1 415 555 0100', callerId: '19170000000', actionsSource: 'json', actionsJson: listNamed(name) },
			onError: 'continueRegularOutput',
		});
		expect(run.items[0].json.error).toBe(`Invalid Actions (JSON) (number 1) > action in item 0: ${notAnAction(name)}`);
		expect(piopiy.requests).toHaveLength(0);
	});

	test.each(NAMES)('"%s" as a key inside an action: refused, not dropped', async (name) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const run = await runPiopiy({
			url: piopiy.url,
			parameters: {
				operation: 'customCall',
				customerNumber: '+1 415 555 0100',
				callerId: '19170000000',
				actionsSource: 'json',
				actionsJson: `[{"action": "speak", "text": "Hello", ${JSON.stringify(name)}: "x"}]`,
			},
			onError: 'continueRegularOutput',
		});
		expect(run.items[0].json.error).toBe(
			`Invalid Actions (JSON) (number 1) > ${name} in item 0: ${JSON.stringify(name)} is not a property of the "speak" action, which has "text"`,
		);
		expect(piopiy.requests).toHaveLength(0);
	});
});

describe('Piopiy Trigger', () => {
	let served;
	afterEach(async () => {
		await served?.stop();
		served = undefined;
	});

	async function activate(parameters) {
		const pkg = await triggerPackage();
		const node = { id: 't', name: 'Piopiy Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters };
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes: pkg.nodeTypes, settings: {} });
		const context = new HookContext(workflow, workflow.getNode('Piopiy Trigger'), {}, 'trigger', 'activate');
		return pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).webhookMethods.default.create.call(context);
	}

	test.each(NAMES)('"%s" in Custom Actions stops the activation with the reason', async (name) => {
		await expect(activate({ events: ['inboundCall'], answerWith: 'actions', answerActions: listNamed(name) })).rejects.toThrow(
			`The answer to inbound calls is not valid: Actions (JSON) (number 1) > action: ${notAnAction(name)}`,
		);
	});

	test.each(NAMES)('"%s" in Custom Actions, answered immediately: the caller gets the fallback with HTTP 200, not a 500', async (name) => {
		served = await serveTrigger({ parameters: { events: ['inboundCall'], answerWith: 'actions', answerActions: listNamed(name) } });
		const answer = await sim.answerInboundCall(served.url, INBOUND);
		expect([answer.status, answer.body]).toEqual([200, FALLBACK]);
	});

	test.each(NAMES)('"%s" in the workflow\'s answer (Respond to Webhook): the fallback at once, not after the Answer Timeout', async (name) => {
		served = await serveTrigger({
			parameters: { events: ['inboundCall'], respond: 'responseNode', options: { answerTimeout: 5 } },
			downstream: [{ name: 'Respond to Webhook', type: 'harness.respond', parameters: { body: listNamed(name) } }],
		});
		const answer = await sim.answerInboundCall(served.url, INBOUND);
		expect([answer.status, answer.body]).toEqual([200, FALLBACK]);
		expect(answer.ms).toBeLessThan(4000);
	});

	test.each([
		['{"pcmo": [{"action": "constructor"}]}'],
		['{"action": "toString", "text": "Hello"}'],
	])('the last node answers %s: the fallback at once', async (json) => {
		served = await serveTrigger({
			parameters: { events: ['inboundCall'], respond: 'lastNode', options: { answerTimeout: 5 } },
			downstream: [{ name: 'Answer', type: 'harness.set', parameters: { json } }],
		});
		const answer = await sim.answerInboundCall(served.url, INBOUND);
		expect([answer.status, answer.body]).toEqual([200, FALLBACK]);
		expect(answer.ms).toBeLessThan(4000);
	});
});
