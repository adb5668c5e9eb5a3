'use strict';
/**
 * The physical limit for `npm run benchmark:n8n`: a plain HTTP loop that POSTs the given JSON
 * bodies to one URL with at most `concurrency` requests in flight (the next sent as soon as one
 * answers), over keep-alive connections, nothing else. It runs as a child process on the same Node
 * that runs n8n (scripts/n8n/install.js), so the comparison is on the same runtime.
 *
 * Input on stdin: {"url": "...", "bodies": [...], "concurrency": 20}.
 * Output on stdout: {"ms": <first send to last answer>, "cpuMs": <CPU time used>, "statuses": {"200": 2000}}.
 * The benchmarks start it with rawLoop() below.
 */
const { spawn } = require('node:child_process');
const http = require('node:http');

/** Runs this loop as a child process on the Node binary `node`; resolves to its output. */
function rawLoop(node, url, bodies, concurrency) {
	return new Promise((resolve, reject) => {
		const child = spawn(node, [__filename], { stdio: ['pipe', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`raw loop exited with ${code}`))));
		child.stdin.end(JSON.stringify({ url, bodies, concurrency }));
	});
}

async function main() {
	let input = '';
	for await (const chunk of process.stdin) input += chunk;
	const { url, bodies, concurrency } = JSON.parse(input);
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const statuses = {};

	const post = (body) =>
		new Promise((resolve, reject) => {
			const payload = JSON.stringify(body);
			const request = http.request(
				url,
				{
					method: 'POST',
					agent,
					headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(payload) },
				},
				(response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => {
						JSON.parse(text);
						statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
						resolve();
					});
					response.on('error', reject);
				},
			);
			request.on('error', reject);
			request.end(payload);
		});

	let next = 0;
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	const worker = async () => {
		while (next < bodies.length) await post(bodies[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const used = process.cpuUsage(cpu);
	agent.destroy();
	process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, statuses }));
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exitCode = 1;
	});
}

module.exports = { rawLoop };
