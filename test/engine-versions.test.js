'use strict';
/**
 * Which n8n engine the tests run in: the repository's own pins (jest.config.js), or the oldest supported
 * n8n's (test/compat/jest.config.js, `npm run test:compat`, which sets PIOPIY_ENGINE). This makes the
 * compatibility run's claim checkable: the tests, the harness and the package's compiled code all get
 * that engine's n8n-core, n8n-workflow and zod.
 */
const fs = require('node:fs');
const path = require('node:path');

const packageJson = require('../package.json');

const engine = globalThis.PIOPIY_ENGINE ?? {
	modules: path.join(__dirname, '..', 'node_modules'),
	versions: {
		'n8n-core': packageJson.devDependencies['n8n-core'],
		'n8n-workflow': packageJson.devDependencies['n8n-workflow'],
		zod: packageJson.devDependencies.zod,
	},
};
const { versions } = engine;
const installed = (name) => JSON.parse(fs.readFileSync(path.join(engine.modules, name, 'package.json'), 'utf8')).version;
const fromEngine = (name) => require(path.join(engine.modules, name));

test(`the engine is n8n-core ${versions['n8n-core']} with n8n-workflow ${versions['n8n-workflow']} and zod ${versions.zod}`, () => {
	expect(Object.fromEntries(Object.keys(versions).map((name) => [name, installed(name)]))).toEqual(versions);
	// What a bare require gets (the tests, the harness, dist/) is that engine's code.
	expect(require('n8n-core').WorkflowExecute).toBe(fromEngine('n8n-core').WorkflowExecute);
	expect(require('n8n-workflow').NodeApiError).toBe(fromEngine('n8n-workflow').NodeApiError);
	expect(require('zod').z).toBe(fromEngine('zod').z);
});
