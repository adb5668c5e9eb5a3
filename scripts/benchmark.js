#!/usr/bin/env node
'use strict';
/**
 * `npm run benchmark`: a long contact list dialled through n8n's real engine against the local
 * Piopiy simulator with added latency and a sprinkling of faults, to show that a large run is
 * bounded and that nothing is lost or leaked:
 *   - every input item comes out once, paired, as a success or an error; at most one call per item;
 *   - requests in flight never exceed Max Requests in Flight (and reach it);
 *   - memory after a run returns to where it was (the same run repeated, heap compared after GC).
 * Prints figures; asserts nothing about speed (the machine decides that). For throughput inside a
 * real n8n, see `npm run benchmark:n8n` (scripts/benchmark-n8n.js).
 *
 *   npm run benchmark -- --items 10000 --max-in-flight 20 --latency 25 --rounds 3 --faults 0.01
 *   (--calls-per-second N adds Max Calls per Second)
 */
const { loadPackage } = require('../test/harness/engine');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
const { APP_ID, APP_SECRET, NODE_TYPE, CREDENTIAL, CREDENTIAL_TYPE, simulatorCredential } = require('../test/harness/constants');

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && process.argv[index + 1] !== undefined ? Number(process.argv[index + 1]) : fallback;
}

const ITEMS = option('items', 10000);
const MAX_IN_FLIGHT = option('max-in-flight', 20);
const CALLS_PER_SECOND = option('calls-per-second', 0);
const LATENCY = option('latency', 25);
const ROUNDS = option('rounds', 3);
/** Share of requests that meet a fault (half 500s, half 429s that are retried). */
const FAULTS = option('faults', 0.01);
const FIRST_CUSTOMER = 917600000000;

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const signed = (bytes) => `${bytes >= 0 ? '+' : '-'}${mb(Math.abs(bytes))}`;

function memory() {
	global.gc?.();
	const { heapUsed, rss } = process.memoryUsage();
	return { heapUsed, rss };
}

async function main() {
	if (!global.gc) console.log('(run with node --expose-gc, as npm run benchmark does, for heap figures after GC)');
	const pkg = await loadPackage();
	const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET });
	const url = await sim.start();

	const items = Array.from({ length: ITEMS }, (_, i) => ({ phone: String(FIRST_CUSTOMER + i), crmId: `C-${i}` }));
	const workflow = () => ({
		nodes: [
			{
				id: 'piopiy',
				name: 'Piopiy',
				type: NODE_TYPE,
				typeVersion: 1,
				onError: 'continueRegularOutput',
				parameters: {
					operation: 'maskCall',
					agentNumber: '919999999999',
					callerId: '918000000000',
					customerNumbers: '={{ $json.phone }}',
					options: { extraParams: '={{ { crmId: $json.crmId } }}' },
					requestOptions: { maxInFlight: MAX_IN_FLIGHT, callsPerSecond: CALLS_PER_SECOND, retryWait: 50 },
				},
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
			},
		],
		items,
		credentials: { [CREDENTIAL.id]: simulatorCredential(url) },
	});

	// A small run first, so that loading and compiling are not counted as growth.
	sim.reset();
	await pkg.run({ ...workflow(), items: items.slice(0, 50) });
	const baseline = memory();
	console.log(
		`${ITEMS} items, Max Requests in Flight ${MAX_IN_FLIGHT}, Max Calls per Second ${CALLS_PER_SECOND || 'no limit'}, simulator latency ${LATENCY} ms, faults ${FAULTS * 100}% of requests`,
	);
	console.log(`baseline after warm-up: heap ${mb(baseline.heapUsed)}, RSS ${mb(baseline.rss)}`);

	let failed = false;
	for (let round = 1; round <= ROUNDS; round++) {
		failed = !(await runRound(round)) || failed;
		// The run's result and the simulator's log released: what is left is what the node kept.
		sim.reset();
		const released = memory();
		console.log(
			`          after GC, run released: heap ${mb(released.heapUsed)} (${signed(released.heapUsed - baseline.heapUsed)} vs baseline), RSS ${mb(released.rss)}`,
		);
	}

	async function runRound(round) {
		sim.reset();
		sim.setLatency(LATENCY);
		sim.setFaults(({ index }) => {
			// Deterministic sprinkling: the same requests meet the same faults in every round.
			const slot = (index * 7919) % 10000;
			if (slot < FAULTS * 5000) return { status: 500, body: { status: 'error', message: 'Internal server error', cmi_code: 500 } };
			if (slot < FAULTS * 10000) return { status: 429, body: { status: 'error', message: 'Too many requests', cmi_code: 429 } };
			return undefined;
		});

		let peakHeap = 0;
		let peakRss = 0;
		const sampler = setInterval(() => {
			const { heapUsed, rss } = process.memoryUsage();
			peakHeap = Math.max(peakHeap, heapUsed);
			peakRss = Math.max(peakRss, rss);
		}, 50);
		const started = process.hrtime.bigint();
		const cpuBefore = process.cpuUsage();
		const result = await pkg.run(workflow());
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		// CPU time (this process: n8n's engine, the node and the simulator) tells more than the
		// clock on a busy machine.
		const cpu = process.cpuUsage(cpuBefore);
		const cpuMsPerItem = (cpu.user + cpu.system) / 1000 / ITEMS;
		clearInterval(sampler);

		const output = result.output('Piopiy');
		const paired = output.every((item, i) => item.pairedItem?.item === i);
		const successes = output.filter((item) => typeof item.json.request_id === 'string').length;
		const errors = output.filter((item) => typeof item.json.error === 'string').length;
		const perItem = new Map();
		for (const call of sim.calls) {
			const item = call.body.pcmo[0].connect[0].number - FIRST_CUSTOMER;
			perItem.set(item, (perItem.get(item) ?? 0) + 1);
		}
		const maxCallsPerItem = Math.max(0, ...perItem.values());
		const rateLimited = sim.requests.filter((r) => r.status === 429).length;
		const leaked = JSON.stringify(result.run).includes(APP_SECRET);
		const ok =
			!result.error &&
			output.length === ITEMS &&
			paired &&
			successes + errors === ITEMS &&
			maxCallsPerItem <= 1 &&
			sim.maxInFlight <= MAX_IN_FLIGHT &&
			!leaked;
		const held = memory();
		console.log(
			[
				`round ${round}: ${seconds.toFixed(1)} s, ${(ITEMS / seconds).toFixed(0)} items/s, CPU ${cpuMsPerItem.toFixed(2)} ms per item (engine, node and simulator)`,
				`  accounted: ${output.length}/${ITEMS} items out, paired ${paired}, ${successes} placed + ${errors} errors, ${sim.requests.length} requests (${rateLimited} answered 429 and retried), at most ${maxCallsPerItem} call per item`,
				`  in flight: max ${sim.maxInFlight} (bound ${MAX_IN_FLIGHT})`,
				`  memory: peak heap ${mb(peakHeap)} (before GC), peak RSS ${mb(peakRss)}`,
				`          after GC, run result still held: heap ${mb(held.heapUsed)} (${signed(held.heapUsed - baseline.heapUsed)} vs baseline)`,
				`  secret in run data: ${leaked ? 'YES' : 'no'}${ok ? '' : '  <-- CHECK FAILED'}`,
			].join('\n'),
		);
		return ok;
	}

	await sim.stop();
	if (failed) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
