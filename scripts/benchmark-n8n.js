#!/usr/bin/env node
'use strict';
/**
 * `npm run benchmark:n8n`: throughput inside one real n8n (the version `npm run dev` and the e2e use,
 * started by scripts/n8n/launcher.js with this package installed as a community package), against
 * the Piopiy simulator answering after a fixed latency. Each workflow is what a user builds:
 * Webhook (a CRM posts a list of leads) -> Split Out (one item per lead) -> the node under test,
 * which places one dialer call per lead. Side by side, for the same leads and the same bodies:
 *
 *   - a raw HTTP loop (scripts/n8n/raw-loop.js, on n8n's own Node) at the node's concurrency:
 *     the physical limit at that many requests in flight;
 *   - the Piopiy node at its defaults, and at each --max-in-flight given;
 *   - n8n's HTTP Request node posting the same JSON bodies, at its defaults (all items at once).
 *
 * Each node maps the lead's phone number with one expression, so the comparison is of the nodes'
 * own work (n8n evaluates every expression of every item, whichever node holds it). With
 * --extra-params the lead's id also goes into Extra Params: the Piopiy node then has a second
 * expression (in its Options), the HTTP Request node one key more in its single JSON expression.
 *
 * For each: n8n's executionTime of the node (from the saved execution), how long it worked before
 * its first request reached the simulator, per item, n8n's CPU time per item (on a shared machine
 * a steadier figure than the clock), items/s and the ratio to the raw loop at the same
 * concurrency; the calls placed per lead (must be exactly one) and whether every body equals the
 * Piopiy node's; the most requests the simulator saw in flight; the n8n process tree's RSS before
 * and after. Every configuration runs --rounds times, interleaved; the table shows the best and
 * the spread.
 *
 *   npm run benchmark:n8n -- --items 2000 --latency 50 --max-in-flight 20,50 --rounds 2
 *   (--cpu-prof DIR: n8n writes a V8 CPU profile of its whole run into DIR when it stops;
 *    --only raw,piopiy,http: run only some of the configurations)
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startN8n, sleep } = require('./n8n/launcher');
const { N8nClient } = require('./n8n/client');
const { N8N_VERSION, OWNER, repoRoot } = require('./n8n/config');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
const { groupCpuMs, groupRssMb } = require('../test/e2e/support/processes');

const { APP_ID, APP_SECRET, FIRST_LEAD, MAKE_CALL_PATH, leadsOf, makeCallBody, dialerCallParameters } = require('./n8n/leads');
const { rawLoop } = require('./n8n/raw-loop');

const CREDENTIAL = { id: 'piopiyBench01', name: 'Piopiy (benchmark simulator)' };

function parseArgs(argv) {
	const args = { items: 2000, latency: 0, maxInFlight: [20], rounds: 2, cpuProf: undefined, only: ['raw', 'piopiy', 'http'], extraParams: false };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--extra-params') {
			args.extraParams = true;
			continue;
		}
		const [flag, inline] = argv[i].split('=');
		const value = inline ?? argv[++i];
		if (flag === '--items') args.items = Number(value);
		else if (flag === '--latency') args.latency = Number(value);
		else if (flag === '--max-in-flight') args.maxInFlight = String(value).split(',').map(Number);
		else if (flag === '--rounds') args.rounds = Number(value);
		else if (flag === '--cpu-prof') args.cpuProf = path.resolve(value);
		else if (flag === '--only') args.only = String(value).split(',');
		else throw new Error(`unknown option ${flag}; see the comment at the top of scripts/benchmark-n8n.js`);
	}
	const whole = (n, min) => Number.isInteger(n) && n >= min;
	if (!whole(args.items, 1) || !whole(args.latency, 0) || !whole(args.rounds, 1) || !args.maxInFlight.every((n) => whole(n, 1))) {
		throw new Error('--items, --rounds and --max-in-flight take whole numbers of at least 1, --latency of at least 0');
	}
	return args;
}

/** The node's own default, from the built field spec (nodes/Piopiy/requestOptions.ts): never a second copy. */
function defaultMaxInFlight() {
	const { requestOptionsProperty } = require(path.join(repoRoot, 'dist', 'nodes', 'Piopiy', 'requestOptions.js'));
	return requestOptionsProperty.options.find((option) => option.name === 'maxInFlight').default;
}

const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
	id: crypto.randomUUID(),
	name,
	type,
	typeVersion,
	position: [position, 0],
	parameters,
	...extra,
});

/** Webhook -> Split Out -> `last`; the webhook answers once the last node is done. */
function workflow(name, webhookPath, last) {
	const hook = node(
		'CRM webhook',
		'n8n-nodes-base.webhook',
		2,
		0,
		{ httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
		{ webhookId: crypto.randomUUID() },
	);
	const split = node('One item per lead', 'n8n-nodes-base.splitOut', 1, 220, { fieldToSplitOut: 'body.leads', options: {} });
	const link = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		name,
		nodes: [hook, split, last],
		connections: { [hook.name]: link(split.name), [split.name]: link(last.name) },
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
}

function piopiyNode(requestOptions, extraParams) {
	return node('Dial the lead', 'n8n-nodes-piopiy.piopiy', 1, 440, dialerCallParameters(requestOptions, extraParams), {
		credentials: { piopiyApi: CREDENTIAL },
	});
}

/** The same body, written the way a user of the HTTP Request node would: one JSON expression. */
function httpRequestNode(simUrl, extraParams) {
	const body = makeCallBody({ id: '__ID__', phone: '0' }, extraParams);
	const expression = JSON.stringify(body)
		.replace('"__ID__"', '$json.id')
		.replace('"to":0', '"to":Number($json.phone)');
	return node('Dial the lead', 'n8n-nodes-base.httpRequest', 4.2, 440, {
		method: 'POST',
		url: `${simUrl}${MAKE_CALL_PATH}`,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: `={{ JSON.stringify(${expression}) }}`,
		options: {},
	});
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const say = (line) => process.stdout.write(`${line}\n`);
	const defaultInFlight = defaultMaxInFlight();
	const leads = leadsOf(args.items);
	const bodies = leads.map((lead) => makeCallBody(lead, args.extraParams));

	const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET });
	const simUrl = await sim.start();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'piopiy-bench-n8n-'));
	let n8n;
	try {
		say(`starting n8n ${N8N_VERSION} (scripts/n8n/launcher.js) ...`);
		n8n = await startN8n({
			userFolder,
			packageSource: { mode: 'link' },
			nodeArgs: args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${args.cpuProf}`] : [],
			credentials: [
				{ ...CREDENTIAL, type: 'piopiyApi', data: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: simUrl, callControlBaseUrl: simUrl } },
			],
		});
		const client = new N8nClient(n8n.url);
		await client.ensureOwner(OWNER);
		await client.createApiKey();

		/** The configurations, each a workflow of its own (or the raw loop). */
		let configs = [];
		const concurrencies = [...new Set([defaultInFlight, ...args.maxInFlight])];
		for (const concurrency of concurrencies) {
			configs.push({ label: `raw HTTP loop, ${concurrency} in flight`, raw: concurrency, bound: concurrency });
		}
		configs.push({ label: `Piopiy node, defaults (Max Requests in Flight ${defaultInFlight})`, node: piopiyNode({}, args.extraParams), bound: defaultInFlight });
		for (const maxInFlight of args.maxInFlight.filter((n) => n !== defaultInFlight)) {
			configs.push({ label: `Piopiy node, Max Requests in Flight ${maxInFlight}`, node: piopiyNode({ maxInFlight }, args.extraParams), bound: maxInFlight });
		}
		configs.push({ label: 'HTTP Request node, defaults (all items at once)', node: httpRequestNode(simUrl, args.extraParams), bound: args.items, http: true });
		configs = configs.filter((c) => args.only.includes(c.raw ? 'raw' : c.http ? 'http' : 'piopiy'));

		for (const config of configs.filter((c) => c.node)) {
			config.path = `bench-${crypto.randomUUID()}`;
			const created = await client.api('POST', '/workflows', workflow(config.label, config.path, config.node));
			await client.api('POST', `/workflows/${created.id}/activate`);
			config.workflowId = created.id;
			config.runs = [];
		}
		for (const config of configs) config.runs ??= [];

		const runWorkflow = async (config, runLeads) => {
			const deadline = Date.now() + 30_000;
			let response;
			for (;;) {
				response = await client.request('POST', `/webhook/${config.path}`, { body: { leads: runLeads }, expect: null, timeoutMs: 30 * 60_000 });
				if (response.status !== 404 || Date.now() > deadline) break;
				await sleep(250);
			}
			if (response.status !== 200) throw new Error(`${config.label}: the webhook answered ${response.status}: ${response.text.slice(0, 500)}`);
			return await savedRun(client, config, runLeads.length);
		};

		// Warm-up: n8n loads node types and compiles on first use; that is not the node's throughput.
		say(`n8n ready at ${n8n.url}; warming up`);
		sim.setLatency(0);
		for (const config of configs.filter((c) => c.node)) await runWorkflow(config, leads.slice(0, 20));
		await rawLoop(n8n.runtime.node, `${simUrl}${MAKE_CALL_PATH}`, bodies.slice(0, 20), 5);
		sim.reset();
		const rssBefore = groupRssMb(n8n.pgid);

		say(`${args.items} items, simulator latency ${args.latency} ms, ${args.rounds} round(s) of each configuration, interleaved`);
		for (let round = 1; round <= args.rounds; round++) {
			for (const config of configs) {
				sim.reset();
				sim.setLatency(args.latency);
				let ms;
				let items;
				let startedAt;
				let cpuMs;
				if (config.raw) {
					const result = await rawLoop(n8n.runtime.node, `${simUrl}${MAKE_CALL_PATH}`, bodies, config.raw);
					({ ms, cpuMs } = result);
					items = result.statuses['200'] ?? 0;
				} else {
					// n8n's CPU over the whole execution (webhook, Split Out, the node, saving): the same
					// around every node, so the differences between rows are the nodes'.
					const cpuBefore = groupCpuMs(n8n.pgid);
					({ ms, items, startedAt } = await runWorkflow(config, leads));
					cpuMs = groupCpuMs(n8n.pgid) - cpuBefore;
				}
				const perLead = new Map();
				for (const call of sim.calls) perLead.set(call.body.to, (perLead.get(call.body.to) ?? 0) + 1);
				const counts = leads.map((lead) => perLead.get(Number(lead.phone)) ?? 0);
				const run = {
					ms,
					items,
					cpuMs,
					minCalls: Math.min(...counts),
					maxCalls: Math.max(...counts),
					maxInFlight: sim.maxInFlight,
					connections: sim.connections,
					// How long the node worked before its first request reached the simulator (the
					// Piopiy node checks every item first); the rest of executionTime is sending.
					firstCallMs: startedAt === undefined ? 0 : Math.max(0, Math.min(...sim.requests.map((r) => r.time)) - startedAt),
					sameBodies: sim.calls.every((call) => sameJson(call.body, bodies[Number(call.body.to) - FIRST_LEAD])),
				};
				config.runs.push(run);
				say(
					`  round ${round}: ${config.label}: ${(ms / 1000).toFixed(2)} s (first call after ${(run.firstCallMs / 1000).toFixed(2)} s), CPU ${(cpuMs / args.items).toFixed(2)} ms per item, ${items} items out, max in flight ${run.maxInFlight}, ${run.connections} connections`,
				);
			}
		}
		const rssAfter = groupRssMb(n8n.pgid);
		printTable(say, args, configs, { rssBefore, rssAfter, defaultInFlight });
	} finally {
		await n8n?.stop();
		await sim.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

/** Deep equality of two JSON values, key order aside. */
function sameJson(a, b) {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every((key) => sameJson(a[key], b[key]));
}

/** The node's executionTime and output from the saved execution (polled: n8n saves it after answering). */
async function savedRun(client, config, expected) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const list = await client.api('GET', `/executions?workflowId=${config.workflowId}&limit=1`);
		const newest = list.data?.[0];
		if (newest && newest.stoppedAt && newest.id !== config.lastExecutionId) {
			config.lastExecutionId = newest.id;
			const execution = await client.api('GET', `/executions/${newest.id}?includeData=true`, undefined, { timeoutMs: 120_000 });
			const task = execution.data.resultData.runData['Dial the lead']?.[0];
			if (!task) throw new Error(`${config.label}: the node did not run: ${JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500)}`);
			const out = task.data?.main?.[0] ?? [];
			const failed = out.filter((item) => item.json.error !== undefined).length;
			if (task.error || out.length !== expected || failed > 0) {
				throw new Error(`${config.label}: ${out.length} of ${expected} items out, ${failed} failed ${task.error ? `(${task.error.message})` : ''}`);
			}
			return { ms: task.executionTime, items: out.length, startedAt: task.startTime };
		}
		if (Date.now() > deadline) throw new Error(`${config.label}: no saved execution within 60 s`);
		await sleep(250);
	}
}

function printTable(say, args, configs, { rssBefore, rssAfter, defaultInFlight }) {
	const rawMs = new Map(configs.filter((c) => c.raw).map((c) => [c.raw, Math.min(...c.runs.map((r) => r.ms))]));
	const maxGiven = Math.max(...args.maxInFlight);
	const rows = configs.map((config) => {
		const times = config.runs.map((r) => r.ms);
		const best = Math.min(...times);
		const worst = Math.max(...times);
		const versus = config.http ? maxGiven : config.bound;
		const calls = config.runs.map((r) => (r.minCalls === r.maxCalls ? `${r.minCalls}` : `${r.minCalls}-${r.maxCalls}`));
		const bestRun = config.runs.find((r) => r.ms === best);
		return [
			config.label,
			`${Math.max(...config.runs.map((r) => r.maxInFlight))}`,
			`${(best / 1000).toFixed(2)} s (${(best / 1000).toFixed(2)}-${(worst / 1000).toFixed(2)})`,
			config.raw ? '-' : `${(bestRun.firstCallMs / 1000).toFixed(2)} s`,
			`${(best / args.items).toFixed(2)} ms`,
			`${(Math.min(...config.runs.map((r) => r.cpuMs)) / args.items).toFixed(2)} ms`,
			`${Math.round((args.items * 1000) / best)}`,
			config.raw
				? '100%'
				: rawMs.has(versus)
					? `${Math.round((100 * rawMs.get(versus)) / best)}%${config.http ? ` (vs ${versus})` : ''}`
					: '-',
			[...new Set(calls)].join(', '),
			config.runs.every((r) => r.sameBodies) ? 'yes' : 'NO',
		];
	});
	const header = ['what places the calls', 'max in flight seen', 'executionTime, best (spread)', 'first call after', 'per item', 'CPU per item', 'items/s', 'vs raw loop', 'calls per lead', 'same bodies'];
	say('');
	say(
		`n8n ${N8N_VERSION}, ${args.items} items, simulator latency ${args.latency} ms, best of ${args.rounds} round(s); the Piopiy node's default Max Requests in Flight is ${defaultInFlight}; mapped per item: ${args.extraParams ? 'phone and lead id (Extra Params)' : 'phone'}`,
	);
	say(`| ${header.join(' | ')} |`);
	say(`| ${header.map(() => '---').join(' | ')} |`);
	for (const row of rows) say(`| ${row.join(' | ')} |`);
	say('');
	say('executionTime is n8n\'s own figure for the node (the raw loop: its wall time from first send to last answer);');
	say('"first call after": from the node\'s start to the first request at the simulator, in the best run (the Piopiy node checks every item before it sends any);');
	say('"CPU per item": n8n\'s CPU time (all its processes) over the whole execution, least of the rounds; for the raw loop, its own process\'s.');
	say(`n8n process tree RSS: ${rssBefore} MB after warm-up, ${rssAfter} MB after the runs (${rssAfter - rssBefore >= 0 ? '+' : ''}${rssAfter - rssBefore} MB).`);
	const bad = configs.filter((c) => c.runs.some((r) => r.minCalls !== 1 || r.maxCalls !== 1 || !r.sameBodies));
	if (bad.length) {
		say(`CHECK FAILED: not exactly one call per lead, or other bodies, for: ${bad.map((c) => c.label).join('; ')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
