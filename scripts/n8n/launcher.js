'use strict';
/**
 * Starts a real n8n (from the cache that install.js fills) with this package loaded the way n8n
 * loads community packages, for `npm run dev` and the e2e tests.
 *
 * - binds 127.0.0.1 only: the editor/API port and the task broker port, each a free port unless given;
 * - loads the package as an installed community package, from
 *   <user folder>/.n8n/nodes/node_modules/n8n-nodes-piopiy (node type `n8n-nodes-piopiy.piopiy`):
 *   linked to this repository, or unpacked from the `npm pack` tarball (see placePackage);
 * - imports the credentials it is given (fixed ids, so a restart updates them) before n8n starts;
 * - waits for /healthz/readiness within a deadline;
 * - runs n8n under guard.js in a process group of its own: stop() ends the whole tree (task runners
 *   too), and so does the death of the process that called startN8n;
 * - starts any of n8n's process kinds: `n8n start` (the main), `n8n worker` and `n8n webhook` (queue
 *   mode, see scripts/n8n/queue.js). startGuarded runs other servers (PostgreSQL, Redis) the same way.
 */
const { spawn, execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { PACKAGE_NAME, repoRoot } = require('./config');
const { ensureInstalled } = require('./install');
const { npmPack } = require('../check-pack');

const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 15_000;

/** A port nothing listens on at 127.0.0.1 now; `preferred` first when given and free. */
async function freePort(preferred, avoid = []) {
	const tryPort = (port) =>
		new Promise((resolve) => {
			const server = net.createServer();
			server.unref();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const { port: got } = server.address();
				server.close(() => resolve(got));
			});
		});
	if (preferred && !avoid.includes(preferred)) {
		const got = await tryPort(preferred);
		if (got) return got;
	}
	for (let attempt = 0; attempt < 20; attempt++) {
		const got = await tryPort(0);
		if (got && !avoid.includes(got)) return got;
	}
	throw new Error('no free port on 127.0.0.1');
}

/**
 * Puts the package where n8n looks for installed community packages,
 * <userFolder>/.n8n/nodes/node_modules/n8n-nodes-piopiy, in one of these ways:
 *
 * - `{ mode: 'link' }` (npm run dev): a folder whose `package.json` and `dist` are symlinks into this
 *   repository, so a rebuild is what n8n loads on its next start. n8n runs with --preserve-symlinks,
 *   so `require('n8n-workflow')` from the package resolves past the link to n8n's own copy (through
 *   the NODE_PATH n8n sets), as for an installed package, and not to the repository's
 *   node_modules: a second copy of n8n-workflow would break n8n's `instanceof` checks on errors.
 * - `{ mode: 'tarball', file }` (e2e): the `npm pack` tarball unpacked there, exactly the files a
 *   user's n8n installs.
 * - `{ mode: 'npm', file }` (queue mode): what an operator does on each worker and webhook processor,
 *   `npm install --legacy-peer-deps <package>` run in <userFolder>/.n8n/nodes (README, "Running in queue
 *   mode"), here with the tarball in place of the registry name.
 * - `{ mode: 'none' }`: no package (a worker someone forgot to install it on).
 */
function placePackage(userFolder, source = { mode: 'link' }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const modules = path.join(nodesDir, 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const target = path.join(modules, PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	// n8n's own nodes folder has a package.json; keep the layout it expects.
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	if (source.mode === 'none') return undefined;
	if (source.mode === 'npm') {
		installWithNpm(nodesDir, source.file);
		return target;
	}
	fs.mkdirSync(target);
	if (source.mode === 'tarball') {
		execFileSync('tar', ['-xzf', source.file, '-C', target, '--strip-components=1'], { stdio: 'pipe' });
	} else if (source.mode === 'link') {
		for (const entry of ['package.json', 'dist']) {
			fs.symlinkSync(path.join(repoRoot, entry), path.join(target, entry));
		}
	} else {
		throw new Error(`unknown package source ${JSON.stringify(source)}`);
	}
	return target;
}

/** The npm CLI as a command line: the one running us (npm run) when known, else npm on PATH. */
function npmCommand() {
	return process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];
}

/**
 * `npm install --legacy-peer-deps <spec>` in n8n's nodes folder. --legacy-peer-deps keeps npm from
 * installing the peer dependency n8n-workflow beside the package: a second copy there would be the
 * one the package loads instead of n8n's own, and n8n's `instanceof` checks on node errors would fail.
 * Scripts are off, as in n8n's own installer (--ignore-scripts).
 */
function installWithNpm(nodesDir, spec) {
	const npm = npmCommand();
	const env = { ...process.env };
	for (const key of Object.keys(env)) if (/^npm_/.test(key)) delete env[key];
	execFileSync(npm[0], [...npm.slice(1), 'install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', spec], {
		cwd: nodesDir,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 180_000,
	});
}

/** `npm pack` of the repository (dist must be built) into `dir`, as scripts/check-pack.js packs it; returns the tarball's path. */
function packPackage(dir) {
	return npmPack(repoRoot, dir).tarball;
}

function n8nEnv({ userFolder, port, brokerPort, extraEnv, runtime, packageSource }) {
	const env = { ...process.env };
	// Nothing of the caller's npm/n8n settings leaks in (npm run sets npm_config_*, a developer may have
	// N8N_*); and not NODE_ENV=test (set by jest), with which n8n 2.41 refuses to load nodes and exits.
	for (const key of Object.keys(env)) {
		if (/^(N8N_|npm_|DB_|EXECUTIONS_|QUEUE_|OFFLOAD_|JEST_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$)/.test(key)) delete env[key];
	}
	Object.assign(env, {
		PATH: `${path.dirname(runtime.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_OUTPUT: 'console',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	});
	if ((packageSource?.mode ?? 'link') === 'link') env.NODE_OPTIONS = '--preserve-symlinks';
	Object.assign(env, extraEnv ?? {});
	return env;
}

function runCli(runtime, args, env, timeoutMs = 180_000) {
	return new Promise((resolve, reject) => {
		execFile(runtime.node, [runtime.n8nBin, ...args], { env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`n8n ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`.trim()));
			else resolve({ stdout, stderr });
		});
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise` at most `ms`, leaving no timer behind either way. */
async function within(promise, ms) {
	let timer;
	try {
		return await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
	} finally {
		clearTimeout(timer);
	}
}

function tailOf(file, lines = 60) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Runs `command` under guard.js in a process group of its own, its output appended to `logFile`, and
 * waits until `isReady()` resolves true. The returned handle's stop() sends SIGTERM, waits up to
 * `stopGraceMs` for a clean exit, then SIGKILLs whatever is left of the group; the group is also
 * killed when this process exits, and by the guard within a second when this process dies.
 *
 * @param {object} options
 * @param {string} options.name          for messages ("PostgreSQL", "n8n worker 1")
 * @param {string} options.command
 * @param {string[]} [options.args]
 * @param {object} [options.env]
 * @param {string} [options.cwd]
 * @param {string} options.logFile
 * @param {() => Promise<boolean>} options.isReady
 * @param {number} [options.readyTimeoutMs]
 * @param {number} [options.stopGraceMs]
 */
async function startGuarded(options) {
	const { name, logFile } = options;
	const out = fs.openSync(logFile, 'a');
	const guard = spawn(process.execPath, [path.join(__dirname, 'guard.js'), String(process.pid), options.command, ...(options.args ?? [])], {
		env: options.env ?? process.env,
		cwd: options.cwd,
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);

	let exited;
	const exitPromise = new Promise((resolve) => {
		guard.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
	});

	const killGroup = (signal) => {
		try {
			process.kill(-guard.pid, signal);
		} catch {
			// the group is gone
		}
	};
	// Whatever happens to the caller, the tree goes with it.
	const onExit = () => killGroup('SIGKILL');
	process.on('exit', onExit);

	let stopping;
	async function stop() {
		stopping ??= (async () => {
			if (!exited) {
				killGroup('SIGTERM');
				await within(exitPromise, options.stopGraceMs ?? STOP_GRACE_MS);
			}
			// Anything left in the group (a task runner that ignored SIGTERM) goes now.
			killGroup('SIGKILL');
			await within(exitPromise, 2000);
			process.removeListener('exit', onExit);
		})();
		return stopping;
	}

	const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
	const started = Date.now();
	const deadline = started + readyTimeoutMs;
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(`${name} exited before it was ready (${exited.signal ?? `exit ${exited.code}`}). Its log, ${logFile}:\n${tailOf(logFile)}`);
		}
		let ready = false;
		try {
			ready = await options.isReady();
		} catch {
			// not listening yet
		}
		if (ready) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${name} was not ready within ${readyTimeoutMs / 1000}s. Its log, ${logFile}:\n${tailOf(logFile)}`);
		}
		await sleep(300);
	}

	return {
		name,
		logFile,
		/** The process group id of the tree (the guard's pid). */
		pgid: guard.pid,
		/** Seconds from spawn to ready. */
		readySeconds: (Date.now() - started) / 1000,
		stop,
		/** SIGKILLs the whole group at once, as a machine or container dying would. */
		kill: () => killGroup('SIGKILL'),
		get exited() {
			return exited;
		},
		/** Resolves with {code, signal} when the tree has exited, for whatever reason. */
		whenExited: exitPromise,
		logTail: (lines) => tailOf(logFile, lines),
	};
}

/** True when GET `url` answers 200. */
async function answers200(url) {
	const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
	await response.arrayBuffer();
	return response.status === 200;
}

/**
 * @param {object} options
 * @param {string} options.userFolder  N8N_USER_FOLDER (n8n keeps its data in <userFolder>/.n8n)
 * @param {'start'|'worker'|'webhook'} [options.command]  which n8n process: the main (default), a
 *   queue-mode worker (its health server, on `port`, tells when it is ready) or a webhook processor
 * @param {string[]} [options.args]    more arguments for the command (e.g. `--concurrency=5`)
 * @param {string} [options.name]      for messages; default "n8n <command>"
 * @param {number} [options.port]      editor/API port (a worker's health port); a free one when absent (preferredPort tried first)
 * @param {number} [options.preferredPort]
 * @param {{mode: 'link'}|{mode: 'tarball', file: string}|{mode: 'npm', file: string}|{mode: 'none'}} [options.packageSource]  see placePackage
 * @param {Array<object>} [options.credentials]  [{id, name, type, data}] imported before start
 * @param {boolean} [options.importAlongside]  import them while the server starts (PostgreSQL only)
 * @param {string} [options.logFile]   n8n's output; default <userFolder>/n8n.log
 * @param {object} [options.extraEnv]
 * @param {string[]} [options.nodeArgs]  flags for n8n's Node itself, e.g. ['--cpu-prof'] (npm run benchmark:n8n)
 * @param {(line: string) => void} [options.log]
 */
async function startN8n(options) {
	const log = options.log ?? (() => {});
	const command = options.command ?? 'start';
	const name = options.name ?? `n8n ${command}`;
	const runtime = await ensureInstalled();
	const userFolder = path.resolve(options.userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	placePackage(userFolder, options.packageSource);

	const port = options.port ?? (await freePort(options.preferredPort));
	const brokerPort = await freePort(options.preferredPort ? options.preferredPort + 1 : undefined, [port]);
	const env = n8nEnv({ userFolder, port, brokerPort, extraEnv: options.extraEnv, runtime, packageSource: options.packageSource });
	if (command === 'worker') {
		// A worker serves no editor; its health server (on `port`, 127.0.0.1) answers /healthz/readiness
		// once it is connected to the database and Redis.
		Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
	}

	const importCredentials = async () => {
		if (!options.credentials?.length) return;
		const file = path.join(userFolder, `credentials-import-${process.pid}.json`);
		fs.writeFileSync(file, JSON.stringify(options.credentials, null, 2), { mode: 0o600 });
		try {
			const started = Date.now();
			// The CLI starts its own task broker when it runs: a third port, so it never meets a running server's.
			const cliEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort(undefined, [port, brokerPort])) };
			await runCli(runtime, ['import:credentials', '--input', file], cliEnv);
			log(`imported ${options.credentials.length} credential(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
		} finally {
			fs.rmSync(file, { force: true });
		}
	};
	// With SQLite the import must finish first (one writer). With PostgreSQL it may run while the server
	// starts: n8n's migration lock lets one of them set up a fresh database while the other waits.
	const imported = options.importAlongside ? importCredentials() : await importCredentials();
	// Awaited below; until then a failure must not count as unhandled.
	if (imported) imported.catch(() => {});

	const url = `http://127.0.0.1:${port}`;
	let handle;
	try {
		handle = await startGuarded({
			name,
			command: runtime.node,
			args: [...(options.nodeArgs ?? []), runtime.n8nBin, command, ...(options.args ?? [])],
			env,
			cwd: userFolder,
			logFile: options.logFile ?? path.join(userFolder, 'n8n.log'),
			// /healthz answers too early on the main; /healthz/readiness once the database is migrated and connected.
			isReady: () => answers200(`${url}/healthz/readiness`),
			readyTimeoutMs: options.readyTimeoutMs,
		});
	} catch (error) {
		// Nothing of ours outlives the failure: the import (a child process) ends first.
		await Promise.resolve(imported).catch(() => {});
		throw error;
	}
	log(`${name} ready at ${url} in ${handle.readySeconds.toFixed(1)}s`);
	if (options.importAlongside) {
		try {
			await imported;
		} catch (error) {
			await handle.stop();
			throw error;
		}
	}

	return Object.assign(handle, { url, port, brokerPort, userFolder, runtime, command });
}

module.exports = { startN8n, startGuarded, freePort, placePackage, packPackage, sleep };
