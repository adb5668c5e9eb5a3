'use strict';
/**
 * The engine suite (every jest test of jest.config.js) against the oldest n8n this package supports
 * (scripts/n8n/compat.js): `n8n-core`, `n8n-workflow` and `zod` resolve to that n8n's versions, installed
 * under the cache folder, for the tests, the harness and the package's compiled code alike, as inside
 * that n8n (which hands its own n8n-workflow and zod to community packages). `n8n-workflow/package.json`
 * and other subpaths still name the repository's own pins, which is what test/package.test.js checks.
 *
 * Run with `npm run test:compat` (installs the pair first).
 */
const fs = require('node:fs');
const path = require('node:path');

const base = require('../../jest.config');
const { compatTarget, engineDir, MARKER } = require('../../scripts/n8n/compat');

const target = compatTarget();
const engine = engineDir(target);
if (!fs.existsSync(path.join(engine, MARKER))) {
	throw new Error(`The n8n engine for the compatibility run is not installed in ${engine}: run \`npm run test:compat\` (or node scripts/n8n/compat.js) first`);
}
const modules = path.join(engine, 'node_modules');
// n8n-workflow 1.x lacks a helper the harness uses: test/compat/n8n-workflow.js adds it.
const workflowModule = Number(target['n8n-workflow'].split('.')[0]) < 2 ? path.join(__dirname, 'n8n-workflow.js') : path.join(modules, 'n8n-workflow');

module.exports = {
	...base,
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: `n8n ${target.n8n}`,
	moduleNameMapper: {
		'^n8n-core$': path.join(modules, 'n8n-core'),
		'^n8n-workflow$': workflowModule,
		'^zod$': path.join(modules, 'zod'),
	},
	// test/engine-versions.test.js checks that the run really gets this engine.
	globals: {
		PIOPIY_ENGINE: {
			modules,
			versions: { 'n8n-core': target['n8n-core'], 'n8n-workflow': target['n8n-workflow'], zod: target.zod },
		},
	},
};
