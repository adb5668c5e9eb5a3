#!/usr/bin/env node
'use strict';
/**
 * `npm run dev`: a real n8n (2.41.1, Node 24, both cached outside the repository by
 * scripts/n8n/install.js) on 127.0.0.1 with this package loaded as an installed community package,
 * the Piopiy simulator running, and a ready credential "Piopiy (local simulator)" pointing at it.
 * Open the printed URL, log in with the printed login, add the Piopiy node and execute it: the
 * simulator prints each request it receives.
 *
 *   npm run dev                      editor on http://127.0.0.1:5678 (or a free port when taken)
 *   npm run dev -- --port 5700       another editor port
 *   npm run dev -- --fresh           forget the dev instance's workflows, executions and login
 *   npm run dev -- --no-build        do not run `npm run build` first
 *   npm run dev -- --verbose         also show n8n's own log
 *
 * After `npm run build` (in another terminal) has written a new dist/, n8n is restarted with the new code.
 * Ctrl+C stops n8n (its whole process tree) and the simulator.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { startN8n } = require('./n8n/launcher');
const { N8nClient } = require('./n8n/client');
const { ensureInstalled } = require('./n8n/install');
const { N8N_VERSION, OWNER, CREDENTIAL_ID, CREDENTIAL_NAME, repoRoot, cacheRoot } = require('./n8n/config');
const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
const { APP_ID, CREDENTIAL_TYPE, simulatorCredential } = require('../test/harness/constants');
const { build, filesIn, staleReason } = require('../test/harness/fresh-dist');

const DEFAULT_PORT = 5678;
const DEFAULT_SIM_PORT = 5690;

function parseArgs(argv) {
	const args = { port: undefined, fresh: false, build: true, verbose: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--port') args.port = Number(argv[++i]);
		else if (arg.startsWith('--port=')) args.port = Number(arg.slice(7));
		else if (arg === '--fresh') args.fresh = true;
		else if (arg === '--no-build') args.build = false;
		else if (arg === '--verbose') args.verbose = true;
		else if (arg === '--help' || arg === '-h') args.help = true;
		else throw new Error(`unknown option ${arg} (see npm run dev -- --help)`);
	}
	if (args.port !== undefined && !(Number.isInteger(args.port) && args.port > 0 && args.port < 65536)) {
		throw new Error('--port needs a port number');
	}
	return args;
}

/** The dev instance's n8n folder: outside the repository (so the package resolves n8n's own modules), one per checkout. */
function devUserFolder() {
	if (process.env.PIOPIY_DEV_USER_FOLDER) return path.resolve(process.env.PIOPIY_DEV_USER_FOLDER);
	const id = crypto.createHash('sha256').update(repoRoot).digest('hex').slice(0, 10);
	return path.join(cacheRoot(), 'dev', `${path.basename(repoRoot)}-${id}`);
}

function printSimulatorRequest(record) {
	const body = record.body && typeof record.body === 'object' ? { ...record.body, secret: '***' } : record.rawBody;
	const placed = record.placed ? '  (call placed)' : '';
	process.stdout.write(`[piopiy-sim] ${record.method} ${record.path} -> ${record.status}${placed}\n`);
	process.stdout.write(`[piopiy-sim]   received ${JSON.stringify(body)}\n`);
	process.stdout.write(`[piopiy-sim]   answered ${JSON.stringify(record.answer)}\n`);
}

function followLog(file) {
	let position = 0;
	try {
		position = fs.statSync(file).size;
	} catch {
		// not there yet
	}
	const timer = setInterval(() => {
		let size;
		try {
			size = fs.statSync(file).size;
		} catch {
			return;
		}
		if (size < position) position = 0;
		if (size === position) return;
		const fd = fs.openSync(file, 'r');
		const buffer = Buffer.alloc(size - position);
		fs.readSync(fd, buffer, 0, buffer.length, position);
		fs.closeSync(fd);
		position = size;
		for (const line of buffer.toString('utf8').split('\n')) if (line.trim()) process.stdout.write(`[n8n] ${line}\n`);
	}, 500);
	return () => clearInterval(timer);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^[\s\S]*?\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
		return;
	}
	const say = (line) => process.stdout.write(`[dev] ${line}\n`);

	if (args.build) {
		say('building the package (n8n-node build)');
		build();
	}
	say(`checking the cached n8n ${N8N_VERSION} (a first run installs it: about 5 minutes, 3 GB)`);
	await ensureInstalled();

	const userFolder = devUserFolder();
	if (args.fresh) {
		say(`--fresh: removing ${userFolder}`);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}

	// The simulator keeps one port where it is free, so the credential's Base URL rarely changes.
	let sim = createPiopiySimulator({ port: DEFAULT_SIM_PORT, log: printSimulatorRequest });
	let simUrl;
	try {
		simUrl = await sim.start();
	} catch {
		sim = createPiopiySimulator({ port: 0, log: printSimulatorRequest });
		simUrl = await sim.start();
	}
	say(`Piopiy simulator on ${simUrl}`);

	const credential = {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: CREDENTIAL_TYPE,
		data: simulatorCredential(simUrl),
	};
	const start = async (importCredential) =>
		await startN8n({
			userFolder,
			port: args.port,
			preferredPort: args.port ? undefined : DEFAULT_PORT,
			packageSource: { mode: 'link' },
			credentials: importCredential ? [credential] : [],
			log: say,
		});

	say('starting n8n');
	let n8n = await start(true);
	let stopping = false;
	let restarting = false;
	let stopFollowing = args.verbose ? followLog(n8n.logFile) : () => {};

	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n and the simulator');
		stopFollowing();
		await n8n.stop();
		await sim.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));
	process.on('SIGHUP', () => shutdown(0));

	const watchCrash = (instance) => {
		instance.whenExited.then((how) => {
			if (stopping || restarting || instance !== n8n) return;
			process.stderr.write(`[dev] n8n stopped by itself (${how.signal ?? `exit ${how.code}`}). Its log, ${instance.logFile}:\n${instance.logTail(40)}\n`);
			shutdown(1);
		});
	};
	watchCrash(n8n);

	const client = new N8nClient(n8n.url);
	const owner = await client.ensureOwner(OWNER).catch((error) => {
		say(`could not log in as ${OWNER.email} (${error.message}); if you changed the password, use yours, or start over with --fresh`);
		return 'unknown';
	});

	process.stdout.write(
		[
			'',
			`  n8n ${N8N_VERSION} is running with n8n-nodes-piopiy loaded as a community package`,
			'',
			`  Editor      ${n8n.url}`,
			`  Login       ${OWNER.email} / ${OWNER.password}${owner === 'created' ? '   (owner account just created)' : ''}`,
			`  Credential  "${CREDENTIAL_NAME}": App ID ${APP_ID}, Base URL ${simUrl}`,
			'',
			'  Try it: open the editor, create a workflow, press + and search "Piopiy", pick "Place a masked call",',
			'  fill the numbers (e.g. +91 98765 43210, +91 80 4000 0000, +91 90000 00001) and press "Execute step".',
			'  Each request the simulator receives is printed below.',
			'',
			`  Rebuild with \`npm run build\` in another terminal: n8n restarts with the new code.`,
			`  n8n's data and log: ${userFolder} (start over: npm run dev -- --fresh)`,
			'  Ctrl+C stops n8n and the simulator.',
			'',
		].join('\n') + '\n',
	);

	// `npm run build` (n8n-node build) empties dist/ and writes it again in place, which shows here only as
	// dist/ going and coming: once it holds a whole build (staleReason) and nothing in it has changed for a
	// second, n8n is restarted so it loads the new code. A failed build leaves no dist/ (noEmitOnError).
	let debounce;
	const restartWhenBuilt = () => {
		clearTimeout(debounce);
		debounce = setTimeout(async () => {
			const files = [...filesIn(path.join(repoRoot, 'dist'))];
			if (!files.length || stopping) return;
			if (Date.now() - Math.max(...files.map((file) => file.mtimeMs)) < 1000) return restartWhenBuilt();
			if (staleReason()) return;
			restarting = true;
			say('dist/ changed: restarting n8n');
			stopFollowing();
			await n8n.stop();
			try {
				n8n = await start(false);
				stopFollowing = args.verbose ? followLog(n8n.logFile) : () => {};
				watchCrash(n8n);
				say(`n8n is back on ${n8n.url} with the new build (reload the editor page)`);
			} catch (error) {
				process.stderr.write(`[dev] n8n did not come back: ${error.message}\n`);
				await shutdown(1);
			} finally {
				restarting = false;
			}
		}, 1500);
	};
	const watcher = fs.watch(repoRoot, (event, filename) => {
		if (filename === 'dist' && !stopping) restartWhenBuilt();
	});
	watcher.unref();
}

module.exports = { parseArgs, devUserFolder };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`[dev] ${error.stack || error}\n`);
		process.exit(1);
	});
}
