#!/usr/bin/env node
'use strict';
/**
 * `npm run test:compat`: the engine suite (every jest test in test/, see test/compat/jest.config.js) in the
 * oldest supported n8n's n8n-core and n8n-workflow (scripts/n8n/compat.js installs them into the cache
 * folder on first use, about a minute), after a build. Extra arguments go to jest.
 *
 * `npm run test:compat:e2e`: the smoke test (test/e2e/smoke.test.js) in that whole n8n release, installed
 * like the n8n of `npm run test:e2e` (scripts/n8n/install.js: about 5 minutes and 3 GB the first time).
 *
 * PIOPIY_COMPAT_N8N picks another release listed in scripts/n8n/compat.js.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const { compatTarget, ensureEngine } = require('../../scripts/n8n/compat');
const { build } = require('../harness/fresh-dist');

const started = Date.now();
const since = (t) => `${((Date.now() - t) / 1000).toFixed(1)}s`;
const say = (line) => process.stdout.write(`[compat] ${line}\n`);

function run(args, env = process.env) {
	const result = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit', env });
	if (result.error) throw result.error;
	return result.status ?? 1;
}

function main() {
	const target = compatTarget();
	const argv = process.argv.slice(2);
	if (argv[0] === '--e2e') {
		// The e2e runner builds, installs that n8n (and Node 24 where needed) and starts it per test file. The
		// file is chosen with a flag: a bare path after its --testMatch=... would be taken as one more testMatch.
		say(`smoke test in n8n ${target.n8n}`);
		const code = run([path.join(repoRoot, 'test', 'e2e', 'run.js'), '--testPathPatterns=test/e2e/smoke\\.test\\.js$', ...argv.slice(1)], {
			...process.env,
			PIOPIY_N8N_VERSION: target.n8n,
		});
		say(`smoke test in n8n ${target.n8n}: exit ${code} after ${since(started)}`);
		return code;
	}
	let t = Date.now();
	const dir = ensureEngine(target);
	say(`n8n-core ${target['n8n-core']} + n8n-workflow ${target['n8n-workflow']} + zod ${target.zod} (n8n ${target.n8n}) in ${dir}, ${since(t)}`);
	t = Date.now();
	build();
	say(`build in ${since(t)}`);
	t = Date.now();
	const code = run([require.resolve('jest/bin/jest', { paths: [repoRoot] }), '-c', path.join(__dirname, 'jest.config.js'), ...argv]);
	say(`engine suite in n8n ${target.n8n}'s engine: exit ${code}, ${since(t)}; whole run ${since(started)}`);
	return code;
}

try {
	process.exitCode = main();
} catch (error) {
	say(error.stack || String(error));
	process.exitCode = 1;
}
