#!/usr/bin/env node
'use strict';
/**
 * The demo of issue 5's examples (order confirmation, inbound call masking, inbound call routing),
 * in-process: n8n's engine runs the Piopiy nodes of each example, the Piopiy Trigger is served on a
 * local URL through n8n-core's webhook context, and the simulator plays Piopiy (it receives the
 * calls, presses the customer's key, and rings the answer URL of an inbound call).
 *
 * The examples' nodes from n8n-nodes-base (HTTP Request, Set) are not installed here: each is
 * replaced by a stand-in of scripts/harness-nodes.js doing the same thing, and said so in the output.
 * In a real n8n, import the files of examples/ (see the README); test/e2e/trigger.test.js runs them there.
 *
 *   node scripts/demo-calls.js            all three
 *   node scripts/demo-calls.js order      only those whose name contains "order"
 *
 * `runCallsDemo({ filter, print })` is what `npm run demo` can call after its own examples.
 */
const fs = require('node:fs');
const path = require('node:path');

const { loadPackage } = require('../test/harness/engine');
const { HARNESS_NODE_TYPES } = require('../test/harness/stand-in-nodes');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');

const root = path.resolve(__dirname, '..');
const APP_ID = 2222226;
const APP_SECRET = 'demo-secret';
const WEBHOOK_TOKEN = 'demo-webhook-token';

const example = (file) => JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'));
const nodeOf = (workflow, name) => workflow.nodes.find((node) => node.name === name);

async function runCallsDemo({ filter = '', print = console.log } = {}) {
	const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET });
	const simUrl = await sim.start();
	const pkg = await loadPackage(undefined, { extraNodeTypes: HARNESS_NODE_TYPES });
	const credential = { appId: APP_ID, appSecret: APP_SECRET, baseUrl: simUrl, callControlBaseUrl: simUrl, webhookToken: WEBHOOK_TOKEN };
	const credentials = { 'piopiy-local': credential };
	const show = (label, value) => print(indent(`${label} ${JSON.stringify(value, (k, v) => (k === 'secret' ? '***' : v))}`, 4));

	const demos = {
		'order-confirmation.json': async (workflow) => {
			const keyTrigger = nodeOf(workflow, 'Customer pressed a key');
			const server = await pkg.serveWebhook({
				nodes: [
					keyTrigger,
					// Stand-in for "Mark the order" (HTTP Request): the same body the example posts to the shop.
					{
						name: 'Mark the order',
						type: 'harness.set',
						parameters: {
							json: "={{ { order_id: $json.extra_params.order_id, status: $json.dtmf === '1' ? 'confirmed' : ($json.dtmf === '2' ? 'cancelled' : 'unclear'), key: $json.dtmf } }}",
						},
					},
				],
				path: keyTrigger.parameters.path,
				credentials,
			});
			try {
				const call = nodeOf(workflow, 'Call customer to confirm');
				const orders = [
					workflow.pinData['New shop order'][0].json,
					{ body: { order_id: 'A-1043', items: 'a desk lamp', total: 899, customer: { name: 'Ravi', phone: '+91 97000 11111' } } },
				];
				print(`\n  The shop posts ${orders.length} orders; "${call.name}" calls each customer (its Keypress URL is the trigger's, here ${server.url}?token=...):`);
				const run = await pkg.run({
					nodes: [{ ...call, parameters: { ...call.parameters, actionUrl: `${server.url}?token=${WEBHOOK_TOKEN}` } }],
					items: orders,
					credentials,
				});
				for (const request of sim.requests) show(`POST ${request.path} -> HTTP ${request.status}:`, request.body);
				for (const item of run.output(call.name)) show(`"${call.name}" put out:`, item.json);

				print('\n  The customers answer: Meena presses 1, Ravi presses 2. Piopiy posts each key to the Keypress URL:');
				for (const [index, key] of [
					[0, '1'],
					[1, '2'],
				]) {
					const answer = await sim.pressKeys(sim.calls[index].request_id, key);
					show(`key ${key} -> n8n answered Piopiy HTTP ${answer.status}:`, answer.body);
					const execution = await server.nextExecution();
					show(`"${keyTrigger.name}" put out:`, execution.result.output(keyTrigger.name)[0].json);
					show('"Mark the order" (stand-in for the HTTP Request to the shop) would post:', execution.result.output('Mark the order')[0].json);
				}
			} finally {
				await server.stop();
			}
		},

		'inbound-call-masking.json': async (workflow) => {
			const trigger = nodeOf(workflow, 'Inbound call');
			const server = await pkg.serveWebhook({ nodes: [trigger], path: trigger.parameters.path, credentials });
			try {
				print(`\n  Someone calls the Piopiy number; Piopiy asks the answer URL (${server.url}?token=...) what to do:`);
				const answer = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, { from: '919876543210', to: '918044000000' });
				show(`n8n answered Piopiy in ${answer.ms} ms, HTTP ${answer.status}:`, answer.body);
				const execution = await server.nextExecution();
				show(`"${trigger.name}" put out:`, execution.result.output(trigger.name)[0].json);
				const refused = await sim.answerInboundCall(server.url, { from: '919876543210', to: '918044000000' });
				print(`\n  The same request without the token: HTTP ${refused.status} ${refused.raw}; no workflow started.`);
			} finally {
				await server.stop();
			}
		},

		'inbound-call-routing.json': async (workflow) => {
			const trigger = nodeOf(workflow, 'Inbound call');
			const answerNode = nodeOf(workflow, 'Answer: connect to the manager');
			for (const crmUp of [true, false]) {
				const server = await pkg.serveWebhook({
					nodes: [
						trigger,
						// Stand-in for "Find the account manager" (HTTP Request to the CRM).
						crmUp
							? { name: 'Find the account manager', type: 'harness.set', parameters: { json: "={{ { manager_name: 'Priya', manager_phone: '+91 90000 00042' } }}" } }
							: { name: 'Find the account manager', type: 'harness.fail', parameters: { message: 'The CRM did not answer' } },
						// Stand-in for the Set node: the example's own expression.
						{ name: answerNode.name, type: 'harness.set', parameters: { json: answerNode.parameters.jsonOutput } },
					],
					path: trigger.parameters.path,
					credentials,
				});
				try {
					print(crmUp ? '\n  A customer calls; the workflow finds their account manager; its last node answers:' : '\n  The CRM is down, so the workflow fails; the caller still gets an answer:');
					const answer = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, { from: '919876543210', to: '918044000000' });
					show(`n8n answered Piopiy in ${answer.ms} ms, HTTP ${answer.status}:`, answer.body);
				} finally {
					await server.stop();
				}
			}
		},
	};

	try {
		for (const [file, demo] of Object.entries(demos)) {
			if (!file.includes(filter)) continue;
			const workflow = example(file);
			print(`\n=== ${file}: ${workflow.name} ${'='.repeat(Math.max(0, 80 - file.length - workflow.name.length))}`);
			sim.reset();
			await demo(workflow);
		}
	} finally {
		await sim.stop();
	}
}

function indent(text, spaces) {
	return text
		.split('\n')
		.map((line) => ' '.repeat(spaces) + line)
		.join('\n');
}

module.exports = { runCallsDemo };

if (require.main === module) {
	runCallsDemo({ filter: process.argv[2] ?? '' }).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
