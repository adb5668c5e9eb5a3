#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: runs the example workflows in examples/ through n8n's real engine against the
 * local Piopiy simulator (no Piopiy account needed), and prints, for each, what came in, what
 * Piopiy received and what the workflow put out.
 *
 *   npm run demo                 all examples
 *   npm run demo -- dialer       only examples whose file name contains "dialer"
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
buildIfStale();

const { loadPackage, exampleAsRun } = require('./engine');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');

const APP_ID = 2222226;
const APP_SECRET = 'demo-secret';
// Examples whose credential id has "v3" use an API Token credential (Piopiy's v3 API).
const API_TOKEN = 'demo-token';

async function main() {
	const filter = process.argv[2] ?? '';
	const files = fs
		.readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.json') && file.includes(filter))
		.sort();
	if (files.length === 0) throw new Error(`No example matches "${filter}"`);

	const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, apiToken: API_TOKEN });
	const url = await sim.start();
	const pkg = await loadPackage();
	console.log(`Piopiy simulator listening on ${url} (app id ${APP_ID})`);

	let failures = 0;
	try {
		for (const file of files) {
			const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'));
			const run = exampleAsRun(example);
			const unsupported = run.nodes.filter((node) => !node.type.startsWith(`${pkg.packageName}.`));
			heading(`${file}: ${example.name}`);
			if (unsupported.length > 0) {
				console.log('  (uses the Piopiy Trigger or nodes of n8n itself: shown further down)');
				continue;
			}
			sim.reset();
			const credentials = {};
			for (const node of run.nodes) {
				for (const { id } of Object.values(node.credentials ?? {})) {
					credentials[id] = id.includes('v3')
						? { apiVersion: 'v3', apiToken: API_TOKEN, appId: APP_ID, v3BaseUrl: `${url}/v3` }
						: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: url };
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
	} finally {
		await sim.stop();
	}
	// The examples built around the Piopiy Trigger (order confirmation, inbound calls) need the
	// trigger served and Piopiy calling back: scripts/demo-calls.js plays that part.
	await require('./demo-calls').runCallsDemo({ filter });
	heading('done');
	console.log('  The App Secret and the API Token were sent only to the simulator, never printed.');
	if (failures > 0) process.exitCode = 1;
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

/** Builds dist/ when it is missing or older than a source file, so the demo runs on a fresh clone. */
function buildIfStale() {
	const newest = (dir) => {
		let time = 0;
		if (!fs.existsSync(dir)) return time;
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			time = Math.max(time, entry.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
		}
		return time;
	};
	const sources = Math.max(newest(path.join(root, 'nodes')), newest(path.join(root, 'credentials')));
	const built = fs.existsSync(path.join(root, 'dist/nodes/Piopiy/Piopiy.node.js'))
		? fs.statSync(path.join(root, 'dist/nodes/Piopiy/Piopiy.node.js')).mtimeMs
		: 0;
	if (built < sources) {
		console.log('Building the package first (npm run build)...');
		execFileSync(process.execPath, [path.join(__dirname, 'build.js')], { stdio: 'inherit' });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
