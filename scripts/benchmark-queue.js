#!/usr/bin/env node
'use strict';
/**
 * `npm run benchmark:queue`: n8n 2.41.1 in queue mode (scripts/n8n/queue.js, set up as the queue-mode
 * e2e sets it up: PostgreSQL, Redis, a main, a webhook processor, the package installed on each)
 * taking webhook events that each place one call (Webhook -> Piopiy Mask Call), the Piopiy simulator
 * answering every request after 50 ms. The events are posted to the webhook processor, at most
 * --concurrency at a time, first with one worker, then with two. n8n's queue settings are its
 * defaults (worker concurrency 10).
 *
 * Prints, per run: executions per second, the webhook's answer time (p50, p99), the calls Piopiy
 * received (must be exactly one per event), each process's largest resident memory during the run,
 * and the machine's load average meanwhile (on a shared machine, other work slows the run down).
 *
 *   npm run benchmark:queue -- --events 1000 --concurrency 100 --latency 50
 */
const os = require('node:os');

const { ensureInstalled } = require('./n8n/install');
const { N8N_VERSION, CREDENTIAL_ID, CREDENTIAL_NAME } = require('./n8n/config');
const { startStack } = require('../test/e2e/support/stack');
const { maskCallWorkflow } = require('../test/e2e/support/workflows');
const { DEAL_EVENT } = require('../test/e2e/support/fixtures');
const { groupMembers, rssMb, processesUnder } = require('../test/e2e/support/processes');
const { build } = require('../test/harness/fresh-dist');

const WARM_UP_EVENTS = 20;

function parseArgs(argv) {
	const args = { events: 1000, concurrency: 100, latency: 50 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=');
		const value = Number(inline ?? argv[++i]);
		if (!(flag.slice(2) in args) || !Number.isInteger(value) || value < 0) throw new Error(`unknown or bad option ${argv[i]}`);
		args[flag.slice(2)] = value;
	}
	return args;
}

const started = Date.now();
const say = (line) => process.stdout.write(`[benchmark:queue ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The processes whose memory is reported: each n8n (with its task runner, without our guard), PostgreSQL, Redis. */
function processTable(stack) {
	const { queue } = stack;
	const n8n = (handle) => () => groupMembers(handle.pgid).filter((pid) => pid !== handle.pgid);
	const table = [
		['main', n8n(queue.main)],
		['webhook processor', n8n(queue.webhook)],
		...queue.workers.map((worker) => [worker.label, n8n(worker)]),
		// PostgreSQL's server processes share its buffers: each counts them again.
		['PostgreSQL', () => processesUnder(queue.postgres.dir).map((p) => p.pid)],
		['Redis', () => processesUnder(queue.redis.dir).map((p) => p.pid)],
	];
	return table;
}

async function post(stack, body) {
	const sent = Date.now();
	const response = await fetch(`${stack.webhookUrl}/webhook/benchmark-deal`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(300_000),
	});
	const text = await response.text();
	return { status: response.status, text, ms: Date.now() - sent };
}

function event(label, n) {
	const body = structuredClone(DEAL_EVENT);
	body.deal.id = `${label}-${String(n).padStart(5, '0')}`;
	return body;
}

/** Posts `count` events, `concurrency` at a time; samples every process's memory meanwhile. */
async function run(stack, label, { events: count, concurrency }) {
	const processes = processTable(stack);
	const peak = Object.fromEntries(processes.map(([name]) => [name, 0]));
	// The machine's load (1-minute average) while the run lasts: other work on a shared machine shows here.
	const loads = [];
	const sample = () => {
		for (const [name, pids] of processes) peak[name] = Math.max(peak[name], rssMb(pids()));
		loads.push(os.loadavg()[0]);
	};
	const sampler = setInterval(sample, 500);
	const results = new Array(count);
	let next = 0;
	const t0 = Date.now();
	try {
		await Promise.all(
			Array.from({ length: Math.min(concurrency, count) }, async () => {
				while (next < count) {
					const n = next++;
					results[n] = await post(stack, event(label, n));
				}
			}),
		);
	} finally {
		clearInterval(sampler);
	}
	const seconds = (Date.now() - t0) / 1000;
	sample();
	return { seconds, results, peak, load: loads.reduce((sum, load) => sum + load, 0) / loads.length };
}

async function countSuccessfulExecutions(client, workflowId) {
	let count = 0;
	let cursor;
	do {
		const page = await client.api('GET', `/executions?workflowId=${workflowId}&status=success&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		count += page.data.length;
		cursor = page.nextCursor;
	} while (cursor);
	return count;
}

async function measure(stack, workflowId, label, args) {
	const { sim, client } = stack;
	// A few events first, so each worker has loaded the workflow's nodes before the clock runs.
	sim.setLatency(args.latency);
	for (let n = 0; n < WARM_UP_EVENTS; n++) await post(stack, event(`${label}-warm`, n));
	const before = await countSuccessfulExecutions(client, workflowId);
	sim.reset();
	sim.setLatency(args.latency);

	const { seconds, results, peak, load } = await run(stack, label, args);

	const failed = results.filter((result) => result.status !== 200);
	if (failed.length > 0) throw new Error(`${failed.length} webhooks did not answer 200, e.g. ${failed[0].status} ${failed[0].text.slice(0, 300)}`);
	const dealIds = new Set(sim.calls.map((call) => call.body.extra_params.deal_id));
	if (sim.calls.length !== args.events || dealIds.size !== args.events) {
		throw new Error(`Piopiy received ${sim.calls.length} calls for ${dealIds.size} distinct events; expected ${args.events} of each`);
	}
	// The main saves each execution after answering: give it a moment to catch up.
	let succeeded = 0;
	for (let attempt = 0; attempt < 60; attempt++) {
		succeeded = (await countSuccessfulExecutions(client, workflowId)) - before;
		if (succeeded >= args.events) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	if (succeeded !== args.events) throw new Error(`${succeeded} successful executions recorded; expected ${args.events}`);
	const ms = results.map((result) => result.ms).sort((a, b) => a - b);
	return {
		workers: stack.queue.workers.length,
		seconds,
		perSecond: args.events / seconds,
		p50: percentile(ms, 50),
		p99: percentile(ms, 99),
		calls: sim.calls.length,
		executions: succeeded,
		peak,
		load,
	};
}

function printTable(rows, args) {
	const names = [...new Set(rows.flatMap((row) => Object.keys(row.peak)))];
	const lines = [
		`n8n ${N8N_VERSION} in queue mode, ${args.events} webhook events (one Mask Call each), ${args.concurrency} in flight, simulator latency ${args.latency} ms, worker concurrency 10, ${os.cpus().length} CPU cores`,
		'',
		'| workers | executions/s | webhook answer p50 | p99 | calls placed | executions succeeded | machine load during the run |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...rows.map((row) => `| ${row.workers} | ${row.perSecond.toFixed(1)} | ${row.p50} ms | ${row.p99} ms | ${row.calls} | ${row.executions} | ${row.load.toFixed(1)} |`),
		'',
		`| largest resident memory (MB) | ${names.join(' | ')} |`,
		`| --- | ${names.map(() => '---').join(' | ')} |`,
		...rows.map((row) => `| ${row.workers} worker${row.workers === 1 ? '' : 's'} | ${names.map((name) => row.peak[name] ?? '–').join(' | ')} |`),
	];
	process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	let t = Date.now();
	await ensureInstalled();
	build();
	say(`n8n ${N8N_VERSION} installed, package built (${((Date.now() - t) / 1000).toFixed(0)} s)`);

	t = Date.now();
	const stack = await startStack({ log: say, queue: { workers: 1 } });
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await stack.stop();
	};
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop().finally(() => process.exit(130)));
	try {
		say(`queue-mode stack up in ${((Date.now() - t) / 1000).toFixed(0)} s`);
		const created = await stack.client.api('POST', '/workflows', maskCallWorkflow({ path: 'benchmark-deal', credential: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME }, name: 'Benchmark: deal event -> Mask Call' }));
		await stack.client.api('POST', `/workflows/${created.id}/activate`);
		await new Promise((resolve) => setTimeout(resolve, 2000));

		const rows = [];
		for (const workers of [1, 2]) {
			while (stack.queue.workers.length < workers) await stack.queue.startWorker();
			say(`${args.events} events with ${workers} worker(s)...`);
			const row = await measure(stack, created.id, `w${workers}`, args);
			say(`${workers} worker(s): ${row.perSecond.toFixed(1)} executions/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.calls} calls`);
			rows.push(row);
		}
		printTable(rows, args);
	} finally {
		await stop();
		say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
}

main().catch((error) => {
	say(error.stack || String(error));
	process.exitCode = 1;
});
