#!/usr/bin/env node
'use strict';
/**
 * `npm run benchmark:helper`: how much of the gap between the Piopiy node and a raw HTTP loop is
 * n8n's own. A community node must send through n8n's request helpers (`this.helpers.httpRequest`
 * and friends: n8n's scanner refuses node:http), and those build a new HTTP client and TCP
 * connection for every request. So, at the same number of requests in flight, in one n8n engine
 * (n8n-core's WorkflowExecute in this process, the package loaded by n8n's PackageDirectoryLoader)
 * and against one simulator (a child process, so it does not share this thread):
 *
 *   - a raw HTTP loop (scripts/n8n/raw-loop.js, in a process of its own): node:http with keep-alive,
 *     the physical limit;
 *   - the smallest node that can place the calls: a sliding window over `this.helpers.httpRequest`,
 *     each item's body built in code, nothing read, checked or redacted: the ceiling for any node;
 *   - the Piopiy node (Dialer Call, the lead's phone mapped by an expression), Max Requests in Flight
 *     set to the same number.
 *
 * Prints the time from start to last answer, items/s and the share of the raw loop, best of
 * --rounds interleaved rounds; and checks that every item placed exactly one call. Asserts nothing
 * about speed.
 *
 *   npm run benchmark:helper -- --items 2000 --latency 50 --in-flight 20,50 --rounds 2
 */
const path = require('node:path');
const { fork } = require('node:child_process');

const { loadPackage } = require('../test/harness/engine');
const { NODE_TYPE, CREDENTIAL, CREDENTIAL_TYPE, simulatorCredential } = require('../test/harness/constants');
const { APP_ID, APP_SECRET, MAKE_CALL_PATH, leadsOf, makeCallBody, dialerCallParameters } = require('./n8n/leads');
const { rawLoop } = require('./n8n/raw-loop');

if (process.argv[2] === '--simulator') {
	simulatorChild();
} else {
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}

/** The simulator in a process of its own, driven over IPC; it ends when its parent does. */
function simulatorChild() {
	const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
	const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET });
	process.on('disconnect', () => sim.stop().then(() => process.exit(0)));
	process.on('message', ({ id, command, latency }) => {
		if (command === 'reset') {
			sim.reset();
			sim.setLatency(latency);
			process.send({ id });
		} else if (command === 'stats') {
			const perLead = new Map();
			for (const call of sim.calls) perLead.set(call.body.to, (perLead.get(call.body.to) ?? 0) + 1);
			process.send({ id, requests: sim.requests.length, leads: perLead.size, most: Math.max(0, ...perLead.values()), maxInFlight: sim.maxInFlight });
		}
	});
	sim.start().then((url) => process.send({ url }));
}

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

async function main() {
	const items = Number(option('items', 2000));
	const latency = Number(option('latency', 50));
	const rounds = Number(option('rounds', 2));
	const concurrencies = String(option('in-flight', '20,50')).split(',').map(Number);

	const child = fork(__filename, ['--simulator'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const simUrl = await new Promise((resolve, reject) => {
		child.once('message', ({ url }) => resolve(url));
		child.once('exit', () => reject(new Error('the simulator ended before it started')));
	});
	let asked = 0;
	const ask = (message) =>
		new Promise((resolve) => {
			const id = ++asked;
			const answer = (reply) => {
				if (reply.id !== id) return;
				child.off('message', answer);
				resolve(reply);
			};
			child.on('message', answer);
			child.send({ ...message, id });
		});

	try {
		const pkg = await loadPackage(path.resolve(__dirname, '..'), { extraNodeTypes: { 'harness.helperWindow': new HelperWindow() } });
		const leads = leadsOf(items);
		const credentials = { [CREDENTIAL.id]: simulatorCredential(simUrl, { appId: APP_ID, appSecret: APP_SECRET }) };
		const piopiy = (maxInFlight) => ({
			id: 'piopiy',
			name: 'Node',
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: dialerCallParameters({ maxInFlight }),
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
		});
		const helper = (inFlight) => ({
			id: 'helper',
			name: 'Node',
			type: 'harness.helperWindow',
			typeVersion: 1,
			parameters: { url: `${simUrl}${MAKE_CALL_PATH}`, inFlight },
		});

		const configs = [];
		for (const inFlight of concurrencies) {
			configs.push({
				label: `raw HTTP loop (keep-alive), ${inFlight} in flight`,
				inFlight,
				// scripts/n8n/raw-loop.js in a child process on this Node; it counts Piopiy's 200 answers.
				run: async (list) => (await rawLoop(process.execPath, `${simUrl}${MAKE_CALL_PATH}`, list.map((lead) => makeCallBody(lead)), inFlight)).statuses['200'] ?? 0,
			});
			configs.push({ label: `n8n's httpRequest helper, bare window of ${inFlight}`, inFlight, run: async (list) => await engineRun(pkg, helper(inFlight), list, credentials) });
			configs.push({ label: `Piopiy node, Max Requests in Flight ${inFlight}`, inFlight, run: async (list) => await engineRun(pkg, piopiy(inFlight), list, credentials) });
		}

		// Warm-up: module loading and the first compilations are not throughput.
		await ask({ command: 'reset', latency: 0 });
		for (const config of configs) await config.run(leads.slice(0, 50));

		console.log(`${items} items, simulator latency ${latency} ms (in its own process), ${rounds} round(s) of each, interleaved`);
		for (let round = 1; round <= rounds; round++) {
			for (const config of configs) {
				await ask({ command: 'reset', latency });
				const started = process.hrtime.bigint();
				const out = await config.run(leads);
				const ms = Number(process.hrtime.bigint() - started) / 1e6;
				const stats = await ask({ command: 'stats' });
				const ok = out === items && stats.requests === items && stats.leads === items && stats.most === 1;
				(config.times ??= []).push(ms);
				config.checked = (config.checked ?? true) && ok;
				config.maxInFlight = Math.max(config.maxInFlight ?? 0, stats.maxInFlight);
				console.log(`  round ${round}: ${config.label}: ${(ms / 1000).toFixed(2)} s, ${out} items out, ${stats.requests} calls, max in flight ${stats.maxInFlight}${ok ? '' : '  <-- CHECK FAILED'}`);
			}
		}

		console.log('');
		console.log('| what places the calls | time, best | items/s | vs raw loop at the same concurrency | one call per item |');
		console.log('| --- | --- | --- | --- | --- |');
		for (const config of configs) {
			const best = Math.min(...config.times);
			const raw = Math.min(...configs.find((c) => c.inFlight === config.inFlight).times);
			console.log(`| ${config.label} | ${(best / 1000).toFixed(2)} s | ${Math.round((items / best) * 1000)} | ${Math.round((raw / best) * 100)}% | ${config.checked ? 'yes' : 'NO'} |`);
		}
		if (configs.some((c) => !c.checked)) process.exitCode = 1;
	} finally {
		child.disconnect();
	}
}

/** Runs Input -> the node over the leads in n8n's engine; resolves to the number of items the node put out. */
async function engineRun(pkg, node, leads, credentials) {
	const result = await pkg.run({ nodes: [node], items: leads, credentials });
	if (result.error) throw result.error;
	return result.output('Node').filter((item) => !item.json.error).length;
}

/**
 * The smallest node that places the calls through n8n: no parameters read per item, no checks, no
 * redaction, the body built in code; a sliding window over `this.helpers.httpRequest`.
 */
class HelperWindow {
	constructor() {
		this.description = {
			displayName: 'Helper Window',
			name: 'helperWindow',
			group: ['transform'],
			version: 1,
			description: "n8n's httpRequest helper in a sliding window",
			defaults: { name: 'Helper Window' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				{ displayName: 'In Flight', name: 'inFlight', type: 'number', default: 20 },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const url = this.getNodeParameter('url', 0);
		const inFlight = this.getNodeParameter('inFlight', 0);
		const out = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const index = next++;
				const answer = await this.helpers.httpRequest({ method: 'POST', url, body: makeCallBody(items[index].json), json: true });
				out[index] = { json: answer, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, lane));
		return [out];
	}
}
