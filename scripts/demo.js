#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: runs the example workflows in examples/ through n8n's real engine against the
 * local Piopiy simulator (no Piopiy account needed), and prints, for each, what came in, what
 * Piopiy received and what the workflow put out.
 *
 * The examples built around the Piopiy Trigger (order confirmation, inbound call masking, inbound
 * call routing) follow: the trigger is served on a local URL through n8n-core's webhook context,
 * and the simulator plays Piopiy (it receives the calls, presses the customer's key, and rings the
 * answer URL of an inbound call). Their nodes from n8n-nodes-base (HTTP Request, Set) are not
 * installed here: each is replaced by a stand-in of test/harness/stand-in-nodes.js doing the same
 * thing, and said so in the output. In a real n8n, import the files of examples/ (see the README);
 * test/e2e/trigger.test.js runs them there.
 *
 *   npm run demo                 all examples
 *   npm run demo -- dialer       only examples whose file name contains "dialer"
 */
const fs = require('node:fs');
const path = require('node:path');

// A fresh clone has no dist/: build it (or rebuild it after a source changed) before loading it.
require('../test/harness/fresh-dist').buildIfStale();

const { loadPackage, exampleAsRun } = require('../test/harness/engine');
const { STAND_IN_NODE_TYPES } = require('../test/harness/stand-in-nodes');
const { APP_ID, APP_SECRET, API_TOKEN, WEBHOOK_TOKEN, simulatorCredential } = require('../test/harness/constants');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');

const root = path.resolve(__dirname, '..');
const example = (file) => JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'));
const nodeOf = (workflow, name) => workflow.nodes.find((node) => node.name === name);
// Examples whose credential id has "v3" use an API Token credential (Piopiy's v3 API).

async function main() {
	const filter = process.argv[2] ?? '';
	const files = fs
		.readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.json') && file.includes(filter))
		.sort();
	if (files.length === 0) throw new Error(`No example matches "${filter}"`);

	const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, apiToken: API_TOKEN });
	const url = await sim.start();
	const pkg = await loadPackage(undefined, { extraNodeTypes: STAND_IN_NODE_TYPES });
	const credential = simulatorCredential(url, { webhookToken: WEBHOOK_TOKEN });
	console.log(`Piopiy simulator listening on ${url} (app id ${APP_ID})`);

	let failures = 0;
	try {
		for (const file of files) {
			const workflow = example(file);
			const run = exampleAsRun(workflow);
			const unsupported = run.nodes.filter((node) => !node.type.startsWith(`${pkg.packageName}.`));
			heading(`${file}: ${workflow.name}`);
			if (unsupported.length > 0) {
				console.log('  (uses the Piopiy Trigger or nodes of n8n itself: shown further down)');
				continue;
			}
			sim.reset();
			const credentials = {};
			for (const node of run.nodes) {
				for (const { id } of Object.values(node.credentials ?? {})) {
					credentials[id] = id.includes('v3')
						? { apiVersion: 'v3', apiToken: API_TOKEN, appId: APP_ID, v3BaseUrl: `${url}/v3`, webhookToken: WEBHOOK_TOKEN }
						: credential;
				}
			}
			const result = await pkg.run({ ...run, credentials });

			console.log(`\n  ${run.items.length} item(s) from "${run.trigger}" (its pinned data)`);
			console.log(`\n  Piopiy received ${sim.requests.length} request(s):`);
			for (const request of sim.requests) {
				const bearer = request.headers.authorization ? '  (Authorization: Bearer ***)' : '';
				console.log(`    POST ${request.path}${bearer}  -> HTTP ${request.status}`);
				console.log(indent(JSON.stringify(request.body?.secret ? { ...request.body, secret: '***' } : request.body), 6));
			}
			for (const node of run.nodes) {
				const items = result.output(node.name);
				console.log(`\n  "${node.name}" put out ${items.length} item(s):`);
				for (const item of items) {
					console.log(indent(`item ${item.pairedItem?.item ?? '?'}: ${JSON.stringify(item.json)}`, 4));
				}
				const error = result.nodeError(node.name);
				if (error) {
					failures++;
					console.log(`    stopped with: ${error.message}\n    ${error.description ?? ''}`);
				}
			}
		}

		// The examples built around the Piopiy Trigger need the trigger served and Piopiy calling back.
		const demos = triggerDemos({ pkg, sim, credentials: { 'piopiy-local': credential } });
		for (const [file, demo] of Object.entries(demos)) {
			if (!file.includes(filter)) continue;
			const workflow = example(file);
			heading(`${file}: ${workflow.name}`);
			sim.reset();
			await demo(workflow);
		}
	} finally {
		await sim.stop();
	}
	heading('done');
	console.log('  The App Secret and the API Token were sent only to the simulator, never printed.');
	if (failures > 0) process.exitCode = 1;
}

/** The trigger examples, by file: each serves its trigger and lets the simulator play Piopiy. */
function triggerDemos({ pkg, sim, credentials }) {
	const show = (label, value) => console.log(indent(`${label} ${JSON.stringify(value, (k, v) => (k === 'secret' ? '***' : v))}`, 4));

	return {
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
				console.log(`\n  The shop posts ${orders.length} orders; "${call.name}" calls each customer (its Keypress URL is the trigger's, here ${server.url}?token=...):`);
				const run = await pkg.run({
					nodes: [{ ...call, parameters: { ...call.parameters, actionUrl: `${server.url}?token=${WEBHOOK_TOKEN}` } }],
					items: orders,
					credentials,
				});
				for (const request of sim.requests) show(`POST ${request.path} -> HTTP ${request.status}:`, request.body);
				for (const item of run.output(call.name)) show(`"${call.name}" put out:`, item.json);

				console.log('\n  The customers answer: Meena presses 1, Ravi presses 2. Piopiy posts each key to the Keypress URL:');
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
				console.log(`\n  Someone calls the Piopiy number; Piopiy asks the answer URL (${server.url}?token=...) what to do:`);
				const answer = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, { from: '919876543210', to: '918044000000' });
				show(`n8n answered Piopiy in ${answer.ms} ms, HTTP ${answer.status}:`, answer.body);
				const execution = await server.nextExecution();
				show(`"${trigger.name}" put out:`, execution.result.output(trigger.name)[0].json);
				const refused = await sim.answerInboundCall(server.url, { from: '919876543210', to: '918044000000' });
				console.log(`\n  The same request without the token: HTTP ${refused.status} ${refused.raw}; no workflow started.`);
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
					console.log(crmUp ? '\n  A customer calls; the workflow finds their account manager; its last node answers:' : '\n  The CRM is down, so the workflow fails; the caller still gets an answer:');
					const answer = await sim.answerInboundCall(`${server.url}?token=${WEBHOOK_TOKEN}`, { from: '919876543210', to: '918044000000' });
					show(`n8n answered Piopiy in ${answer.ms} ms, HTTP ${answer.status}:`, answer.body);
				} finally {
					await server.stop();
				}
			}
		},
	};
}

function heading(text) {
	console.log(`\n=== ${text} ${'='.repeat(Math.max(0, 96 - text.length))}`);
}

function indent(text, spaces) {
	return text
		.split('\n')
		.map((line) => ' '.repeat(spaces) + line)
		.join('\n');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
