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
 *   too), and so does the death of the process that called startN8n.
 */
const { spawn, execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { PACKAGE_NAME, repoRoot } = require('./config');
const { ensureInstalled } = require('./install');

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
 * <userFolder>/.n8n/nodes/node_modules/n8n-nodes-piopiy, in one of two ways:
 *
 * - `{ mode: 'link' }` (npm run dev): a folder whose `package.json` and `dist` are symlinks into this
 *   repository, so a rebuild is what n8n loads on its next start. n8n runs with --preserve-symlinks,
 *   so `require('n8n-workflow')` from the package resolves past the link to n8n's own copy (through
 *   the NODE_PATH n8n sets), as for an installed package, and not to the repository's
 *   node_modules: a second copy of n8n-workflow would break n8n's `instanceof` checks on errors.
 * - `{ mode: 'tarball', file }` (e2e): the `npm pack` tarball unpacked there, exactly the files a
 *   user's n8n installs.
 */
function placePackage(userFolder, source = { mode: 'link' }) {
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const target = path.join(modules, PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
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
	// n8n's own nodes folder has a package.json; keep the layout it expects.
	const manifest = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	return target;
}

function n8nEnv({ userFolder, port, brokerPort, extraEnv, runtime, packageSource }) {
	const env = { ...process.env };
	// Nothing of the caller's npm/n8n settings leaks in (npm run sets npm_config_*, a developer may have
	// N8N_*); and not NODE_ENV=test (set by jest), with which n8n 2.41 refuses to load nodes and exits.
	for (const key of Object.keys(env)) {
		if (/^(N8N_|npm_|DB_|EXECUTIONS_|JEST_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$)/.test(key)) delete env[key];
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
 * @param {object} options
 * @param {string} options.userFolder  N8N_USER_FOLDER (n8n keeps its data in <userFolder>/.n8n)
 * @param {number} [options.port]      editor/API port; a free one when absent (preferredPort tried first)
 * @param {number} [options.preferredPort]
 * @param {{mode: 'link'}|{mode: 'tarball', file: string}} [options.packageSource]  see placePackage
 * @param {Array<object>} [options.credentials]  [{id, name, type, data}] imported before start
 * @param {string} [options.logFile]   n8n's output; default <userFolder>/n8n.log
 * @param {object} [options.extraEnv]
 * @param {string[]} [options.nodeArgs]  flags for n8n's Node itself, e.g. ['--cpu-prof'] (npm run benchmark:n8n)
 * @param {(line: string) => void} [options.log]
 */
async function startN8n(options) {
	const log = options.log ?? (() => {});
	const runtime = await ensureInstalled();
	const userFolder = path.resolve(options.userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	placePackage(userFolder, options.packageSource);

	const port = options.port ?? (await freePort(options.preferredPort));
	const brokerPort = await freePort(options.preferredPort ? options.preferredPort + 1 : undefined, [port]);
	const env = n8nEnv({ userFolder, port, brokerPort, extraEnv: options.extraEnv, runtime, packageSource: options.packageSource });

	if (options.credentials?.length) {
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
	}

	const logFile = options.logFile ?? path.join(userFolder, 'n8n.log');
	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	const nodeArgs = options.nodeArgs ?? [];
	const guard = spawn(process.execPath, [path.join(__dirname, 'guard.js'), String(process.pid), runtime.node, ...nodeArgs, runtime.n8nBin, 'start'], {
		env,
		cwd: userFolder,
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
				await within(exitPromise, STOP_GRACE_MS);
			}
			// Anything left in the group (a task runner that ignored SIGTERM) goes now.
			killGroup('SIGKILL');
			await within(exitPromise, 2000);
			process.removeListener('exit', onExit);
		})();
		return stopping;
	}

	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + (options.readyTimeoutMs ?? READY_TIMEOUT_MS);
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(`n8n exited before it was ready (${exited.signal ?? `exit ${exited.code}`}). Its log, ${logFile}:\n${tailOf(logFile)}`);
		}
		try {
			const response = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (response.status === 200) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n was not ready within ${(options.readyTimeoutMs ?? READY_TIMEOUT_MS) / 1000}s. Its log, ${logFile}:\n${tailOf(logFile)}`);
		}
		await sleep(500);
	}
	log(`n8n ready at ${url} in ${((Date.now() - started) / 1000).toFixed(1)}s`);

	return {
		url,
		port,
		brokerPort,
		userFolder,
		logFile,
		/** The process group id of the n8n tree (the guard's pid). */
		pgid: guard.pid,
		runtime,
		stop,
		get exited() {
			return exited;
		},
		/** Resolves with {code, signal} when the n8n tree has exited, for whatever reason. */
		whenExited: exitPromise,
		logTail: (lines) => tailOf(logFile, lines),
	};
}

module.exports = { startN8n, freePort, placePackage, sleep };
