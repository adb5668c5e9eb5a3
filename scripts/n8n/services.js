'use strict';
/**
 * The two servers n8n's queue mode needs besides n8n itself, from Debian's packages: PostgreSQL 15
 * (queue mode does not support SQLite) and Redis (the queue). Each runs in a folder of its own, on
 * 127.0.0.1 and a free port, under guard.js like n8n (scripts/n8n/launcher.js): stop() ends it, and
 * so does the death of the process that started it.
 *
 * PostgreSQL refuses to run as root: its folder is handed to the `postgres` user the Debian package
 * creates, and initdb and the server are started as that user with setpriv (which, unlike runuser,
 * replaces itself with the server, so the guard's signals reach PostgreSQL itself).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { startGuarded, freePort } = require('./launcher');

const PG_BIN = '/usr/lib/postgresql/15/bin';
const DEBIAN_PACKAGES = ['postgresql-15', 'redis-server'];
const APT_TIMEOUT_MS = 15 * 60 * 1000;

function findRedisServer() {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
		if (fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

function missingPackages() {
	const missing = [];
	if (!['postgres', 'initdb', 'pg_isready', 'createdb'].every((bin) => fs.existsSync(path.join(PG_BIN, bin)))) missing.push('postgresql-15');
	if (!findRedisServer()) missing.push('redis-server');
	return missing;
}

/**
 * Installs PostgreSQL 15 and Redis with apt-get when they are missing (as CI installs Chromium for
 * the browser test). Needs root; otherwise says what to install.
 */
function ensureDebianPackages(log = () => {}) {
	let missing = missingPackages();
	if (missing.length === 0) return;
	if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
		throw new Error(`Queue mode needs ${missing.join(' and ')} (Debian: apt-get install ${DEBIAN_PACKAGES.join(' ')}); this user cannot install them.`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const apt = (args) => execFileSync('apt-get', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: APT_TIMEOUT_MS, encoding: 'utf8' });
	const install = () => apt(['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES]);
	log(`installing ${missing.join(', ')} with apt-get`);
	try {
		install();
	} catch {
		// A fresh machine has no package lists yet.
		apt(['update']);
		install();
	}
	missing = missingPackages();
	if (missing.length > 0) throw new Error(`apt-get ran but ${missing.join(', ')} is still missing`);
}

/** The uid and gid of the `postgres` user (created by Debian's postgresql package). */
function postgresUser() {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error('there is no "postgres" user (it comes with Debian\'s postgresql package)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/** Runs `command` as the postgres user. */
function asPostgres(command, args) {
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

/**
 * A fresh PostgreSQL 15 cluster in `dir` (created, handed to the postgres user), listening on
 * 127.0.0.1 only (and a Unix socket in `dir`), with a superuser and a database both named `database`,
 * no password (trust: the port is reachable from this machine only). Not `durable` (the default):
 * commits are not flushed to disk, fine for a database deleted after the run.
 */
async function startPostgres({ dir, database = 'n8n', durable = false, log = () => {} }) {
	const { uid, gid } = postgresUser();
	fs.mkdirSync(dir, { recursive: true });
	fs.chownSync(dir, uid, gid);
	try {
		const [testCommand, testArgs] = asPostgres('test', ['-w', dir]);
		execFileSync(testCommand, testArgs, { stdio: 'ignore', timeout: 10_000 });
	} catch {
		throw new Error(`PostgreSQL runs as the postgres user, who cannot reach ${dir}: the folders above it must be traversable by others (chmod o+x)`);
	}
	const dataDir = path.join(dir, 'data');
	const started = Date.now();
	const [initCommand, initArgs] = asPostgres(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', database, '-E', 'UTF8', '--no-sync']);
	execFileSync(initCommand, initArgs, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

	const port = await freePort();
	// A throwaway database: it need not survive a power cut, so commits are not flushed to disk
	// (n8n's ~150 schema migrations on a fresh database take a fraction of the time).
	const settings = durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
	const [command, args] = asPostgres(path.join(PG_BIN, 'postgres'), ['-D', dataDir, '-k', dir, '-p', String(port), '-h', '127.0.0.1', ...settings]);
	const isReady = async () => {
		try {
			execFileSync(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', timeout: 5000 });
			return true;
		} catch {
			return false;
		}
	};
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	fs.chownSync(logFile, uid, gid);
	const server = await startGuarded({ name: 'PostgreSQL', command, args, cwd: dir, logFile, isReady, readyTimeoutMs: 60_000 });
	try {
		execFileSync(path.join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', database, database], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
	} catch (error) {
		await server.stop();
		throw error;
	}
	log(`PostgreSQL 15 ready on 127.0.0.1:${port} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
	return Object.assign(server, { host: '127.0.0.1', port, database, user: database, dir });
}

/** Sends PING to a Redis server; true when it answers +PONG. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (result) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** A Redis server on 127.0.0.1 with nothing persisted (no RDB snapshots, no AOF), working in `dir`. */
async function startRedis({ dir, log = () => {} }) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const started = Date.now();
	const server = await startGuarded({
		name: 'Redis',
		command: findRedisServer(),
		args: ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
		cwd: dir,
		logFile: path.join(dir, 'redis.log'),
		isReady: () => redisPing(port),
		readyTimeoutMs: 30_000,
	});
	log(`Redis ready on 127.0.0.1:${port} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
	return Object.assign(server, { host: '127.0.0.1', port, dir });
}

module.exports = { ensureDebianPackages, startPostgres, startRedis, redisPing, PG_BIN };
