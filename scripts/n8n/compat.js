'use strict';
/**
 * The oldest n8n this package is tested on, and the installer of its engine for `npm run test:compat`.
 *
 * Why this version: the node imports `NodeConnectionTypes` from n8n-workflow (nodes/Piopiy/Piopiy.node.ts),
 * which first shipped in n8n-workflow 1.83.0 (1.82.0 has only the older `NodeConnectionType` enum).
 * n8n 1.85.x is the first n8n release built on it (n8n 1.85.4 depends on n8n-core 1.84.0, which depends on
 * n8n-workflow 1.83.0, which brings zod 3.24.1); n8n 1.83/1.84 are not in the registry this project installs
 * from. The engine suite (every jest test in test/) passes against that pair: see test/compat/jest.config.js.
 *
 * The pair is installed with npm into <cache>/engine-n8n-core-<version>/ (the same cache folder as the
 * n8n of `npm run test:e2e`, see config.js), built in a staging folder and renamed into place when
 * complete, so an interrupted install is simply redone.
 *
 * Usage: node scripts/n8n/compat.js     (prints the install's folder)
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { cacheRoot } = require('./config');

/**
 * n8n releases and the engine packages each is made of (`npm view n8n@X dependencies`), with the zod that
 * n8n hands to community packages. Only these can be selected.
 */
const TARGETS = Object.freeze({
	'2.36.0': { n8n: '2.36.0', 'n8n-core': '2.36.0', 'n8n-workflow': '2.36.0', zod: '3.25.76' },
	// Fails 3 engine tests (see OLDEST); kept so that it can be re-run: PIOPIY_COMPAT_N8N=1.85.4.
	'1.85.4': { n8n: '1.85.4', 'n8n-core': '1.84.0', 'n8n-workflow': '1.83.0', zod: '3.24.1' },
});

/** The oldest n8n the package is tested on (see the top of this file), or the one PIOPIY_COMPAT_N8N names. */
function compatTarget() {
	const wanted = process.env.PIOPIY_COMPAT_N8N || '2.36.0';
	const target = TARGETS[wanted];
	if (!target) throw new Error(`PIOPIY_COMPAT_N8N=${wanted}: not one of ${Object.keys(TARGETS).join(', ')} (scripts/n8n/compat.js)`);
	return target;
}

const MARKER = '.install-complete.json';

function engineDir(target = compatTarget()) {
	return path.join(cacheRoot(), `engine-n8n-core-${target['n8n-core']}`);
}

function npmCli() {
	if (process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)) return [process.execPath, process.env.npm_execpath];
	return ['npm'];
}

/** Installs n8n-core and n8n-workflow of `target` unless a complete install is there; returns its folder. */
function ensureEngine(target = compatTarget()) {
	const final = engineDir(target);
	const marker = path.join(final, MARKER);
	// zod is named too: from n8n-workflow 2.x on it is a peer dependency, and n8n ships this version.
	const wanted = { 'n8n-core': target['n8n-core'], 'n8n-workflow': target['n8n-workflow'], zod: target.zod };
	try {
		const done = JSON.parse(fs.readFileSync(marker, 'utf8'));
		if (['n8n-core', 'n8n-workflow', 'zod'].every((name) => done[name] === wanted[name])) return final;
	} catch {
		// not installed yet, or interrupted
	}
	fs.mkdirSync(path.dirname(final), { recursive: true });
	const staging = `${final}.staging-${process.pid}`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging);
	try {
		fs.writeFileSync(
			path.join(staging, 'package.json'),
			JSON.stringify({ name: 'piopiy-compat-engine', private: true, dependencies: wanted }, null, 2),
		);
		const [command, ...args] = npmCli();
		process.stderr.write(`[compat] installing n8n-core ${wanted['n8n-core']} and n8n-workflow ${wanted['n8n-workflow']} into ${final}\n`);
		execFileSync(command, [...args, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: staging,
			stdio: ['ignore', 'inherit', 'inherit'],
			timeout: 15 * 60_000,
			env: { ...process.env, npm_config_update_notifier: 'false' },
		});
		// The install must hold exactly the versions of the target, zod included: anything else would
		// test a pair no n8n release is made of.
		const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(staging, 'node_modules', name, 'package.json'), 'utf8')).version;
		for (const name of ['n8n-core', 'n8n-workflow', 'zod']) {
			if (versionOf(name) !== target[name]) throw new Error(`${name} installed as ${versionOf(name)}, expected ${target[name]}`);
		}
		fs.writeFileSync(path.join(staging, MARKER), JSON.stringify({ ...wanted, installedAt: new Date().toISOString() }, null, 2));
		fs.rmSync(final, { recursive: true, force: true });
		fs.renameSync(staging, final);
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
		throw error;
	}
	return final;
}

module.exports = { TARGETS, compatTarget, engineDir, ensureEngine, MARKER };

if (require.main === module) {
	process.stdout.write(`${ensureEngine()}\n`);
}
