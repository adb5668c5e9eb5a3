#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e`: makes sure the cached n8n is installed (scripts/n8n/install.js), builds the
 * package, then runs the test files under test/e2e with jest, one file at a time, and prints how long each
 * phase took. Extra arguments go to jest (e.g. `npm run test:e2e -- -t "Dialer"`). A watchdog ends the run (and its whole process group) after
 * PIOPIY_E2E_TIMEOUT_MIN minutes (default 45), well inside CI's 90.
 *
 * `npm run test:e2e:queue` (`--suite=queue`): the same over test/e2e-queue, n8n in queue mode; first
 * installs PostgreSQL 15 and Redis with apt-get when they are missing (scripts/n8n/services.js).
 */
const { spawn } = require('node:child_process');

const { ensureInstalled } = require('../../scripts/n8n/install');
const { ensureDebianPackages } = require('../../scripts/n8n/services');
const { repoRoot, N8N_VERSION } = require('../../scripts/n8n/config');
const { build } = require('../harness/fresh-dist');

const started = Date.now();
const since = (t) => `${((Date.now() - t) / 1000).toFixed(1)}s`;
const say = (line) => process.stdout.write(`[e2e] ${line}\n`);

const SUITES = { default: 'test/e2e', queue: 'test/e2e-queue' };

async function main() {
	const timeoutMin = Number(process.env.PIOPIY_E2E_TIMEOUT_MIN || 45);
	const suiteArg = process.argv.find((arg) => arg.startsWith('--suite='));
	const suite = suiteArg ? suiteArg.slice('--suite='.length) : 'default';
	if (!SUITES[suite]) throw new Error(`unknown suite "${suite}" (known: ${Object.keys(SUITES).join(', ')})`);
	const jestArgs = process.argv.slice(2).filter((arg) => arg !== suiteArg);

	let t = Date.now();
	const runtime = await ensureInstalled();
	say(`n8n ${N8N_VERSION} ready (${runtime.n8nDir}) in ${since(t)}`);

	if (suite === 'queue') {
		t = Date.now();
		ensureDebianPackages(say);
		say(`PostgreSQL 15 and Redis installed (${since(t)})`);
	}

	t = Date.now();
	build();
	say(`build in ${since(t)}`);

	t = Date.now();
	// Jest, as for the unit tests, but over the suite's folder (which the unit run ignores), one file at
	// a time: each file starts its own n8n.
	const jest = require.resolve('jest/bin/jest', { paths: [repoRoot] });
	const args = [
		jest,
		'--runInBand',
		'--verbose',
		'--testPathIgnorePatterns=/node_modules/',
		`--testMatch=<rootDir>/${SUITES[suite]}/**/*.test.js`,
		...jestArgs,
	];
	const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit', detached: true, env: process.env });
	const killAll = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			// gone
		}
	};
	const watchdog = setTimeout(() => {
		say(`no result after ${timeoutMin} min: stopping the tests`);
		killAll('SIGTERM');
		setTimeout(() => killAll('SIGKILL'), 20_000).unref();
	}, timeoutMin * 60_000);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			killAll('SIGTERM');
			setTimeout(() => {
				killAll('SIGKILL');
				process.exit(130);
			}, 20_000).unref();
		});
	}
	const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
	clearTimeout(watchdog);
	killAll('SIGKILL');
	say(`tests in ${since(t)}; whole e2e in ${since(started)}; exit ${code}`);
	process.exitCode = code;
}

main().catch((error) => {
	say(error.stack || String(error));
	process.exitCode = 1;
});
