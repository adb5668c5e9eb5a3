'use strict';
/**
 * The package as n8n sees it: what its loader finds, the node's and credential's descriptions,
 * package.json as n8n's community-package rules want it, the tarball npm packs, and the credential's
 * test request.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createPiopiySimulator } = require('../simulator/piopiy-simulator');
const { piopiyPackage } = require('./harness/piopiy');
const { testCredential } = require('./harness/credential-test');
const { APP_ID, APP_SECRET, PACKAGE_DIR } = require('./harness/constants');
const { npmPack } = require('../scripts/check-pack');

const packageJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));

describe('package.json', () => {
	test('is a community node package n8n can install', () => {
		expect(packageJson.name).toBe('n8n-nodes-piopiy');
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.files).toEqual(['dist/nodes', 'dist/credentials', 'index.js', 'CHANGELOG.md']);
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
		expect(packageJson.n8n.credentials).toEqual(['dist/credentials/PiopiyApi.credentials.js', 'dist/credentials/PiopiyTokenApi.credentials.js']);
		expect(packageJson.n8n.nodes).toContain('dist/nodes/Piopiy/Piopiy.node.js');
	});

	test('has no runtime dependencies; zod is pinned to the version n8n-workflow peer-depends on', () => {
		expect(packageJson.dependencies).toBeUndefined();
		const workflowPeer = require('n8n-workflow/package.json').peerDependencies.zod;
		expect(packageJson.devDependencies.zod).toBe(workflowPeer);
		expect(require('n8n-core/package.json').dependencies['n8n-workflow']).toBe(packageJson.devDependencies['n8n-workflow']);
	});

	test('npm pack holds dist/, index.js, README.md, LICENSE, CHANGELOG.md and package.json, and nothing else', () => {
		const work = fs.mkdtempSync(path.join(os.tmpdir(), 'piopiy-pack-test-'));
		let files;
		try {
			files = npmPack(PACKAGE_DIR, work).info.files.map((file) => file.path);
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
		expect(files.filter((file) => !file.startsWith('dist/')).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'index.js', 'package.json']);
		// dist/: every source compiled, the two codex files and the two icons; no map, declaration, test or screenshot.
		const compiled = [];
		const walk = (dir) => {
			for (const entry of fs.readdirSync(path.join(PACKAGE_DIR, dir), { withFileTypes: true })) {
				const file = `${dir}/${entry.name}`;
				if (entry.isDirectory()) walk(file);
				else if (file.endsWith('.ts')) compiled.push(`dist/${file.replace(/\.ts$/, '.js')}`);
			}
		};
		['nodes', 'credentials'].forEach(walk);
		const assets = ['dist/nodes/Piopiy/Piopiy.node.json', 'dist/nodes/PiopiyTrigger/PiopiyTrigger.node.json', 'dist/nodes/shared/piopiy.dark.svg', 'dist/nodes/shared/piopiy.svg'];
		expect(files.filter((file) => file.startsWith('dist/')).sort()).toEqual([...compiled, ...assets].sort());
		expect(compiled).toEqual(expect.arrayContaining([...packageJson.n8n.nodes, ...packageJson.n8n.credentials]));
	});

	test('the compiled code imports only what n8n provides at run time', () => {
		// Node's crypto is built in, and on n8n's scanner's allow list (the Piopiy Trigger compares its token with it).
		const allowed = new Set(['n8n-workflow', 'zod', 'crypto', 'node:crypto']);
		const files = [];
		const walk = (dir) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const file = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(file);
				else if (file.endsWith('.js')) files.push(file);
			}
		};
		walk(path.join(PACKAGE_DIR, 'dist'));
		for (const file of files) {
			for (const [, name] of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
				if (!name.startsWith('.')) expect([path.relative(PACKAGE_DIR, file), allowed.has(name) ? 'allowed' : name]).toEqual([path.relative(PACKAGE_DIR, file), 'allowed']);
			}
		}
	});
});

describe("what n8n's package loader finds", () => {
	let pkg;
	beforeAll(async () => {
		pkg = await piopiyPackage();
	});

	test('the Piopiy node: versions 1 (what the editor adds) and 2, tool-ready, with subtitle, icons, credentials and codex', () => {
		const { type } = pkg.loader.nodeTypes.piopiy;
		const { codex } = type.description;
		expect(type.description.defaultVersion).toBe(1);
		expect(Object.keys(type.nodeVersions)).toEqual(['1', '2']);
		for (const version of [1, 2]) {
			const { description } = type.getNodeType(version);
			expect([description.version, description.displayName, description.usableAsTool]).toEqual([version, 'Piopiy', true]);
			expect(description.subtitle).toContain('$parameter["operation"]');
		}
		expect(type.getNodeType(1).description.credentials).toEqual([{ name: 'piopiyApi', required: true }]);
		expect(type.getNodeType(2).description.credentials).toEqual([
			{ name: 'piopiyApi', required: true, displayOptions: { hide: { authentication: ['piopiyTokenApi'] } } },
			{ name: 'piopiyTokenApi', required: true, displayOptions: { show: { authentication: ['piopiyTokenApi'] } } },
		]);
		const description = type.getNodeType(2).description;
		expect(codex.categories).toEqual(['Communication']);
		expect(codex.alias).toEqual(expect.arrayContaining(['Call', 'Phone', 'Voice', 'TeleCMI']));

		const operation = description.properties.find((p) => p.name === 'operation');
		expect(operation.options.map((o) => o.value)).toEqual(expect.arrayContaining(['maskCall', 'dialerCall']));
		const names = description.properties.map((p) => p.name);
		expect(names).toEqual(
			expect.arrayContaining(['agentNumber', 'callerId', 'customerNumbers', 'customerNumber', 'piopiyNumber', 'agentNumbers', 'options']),
		);
		const light = fs.readFileSync(path.join(PACKAGE_DIR, 'dist/nodes/shared/piopiy.svg'), 'utf8');
		const dark = fs.readFileSync(path.join(PACKAGE_DIR, 'dist/nodes/shared/piopiy.dark.svg'), 'utf8');
		expect(light).toMatch(/^<svg/);
		expect(dark).toMatch(/^<svg/);
		expect(light).not.toBe(dark);
	});

	test.each([1, 2])('every field an AI agent or a person fills has a description (version %i)', (version) => {
		const { properties } = pkg.loader.nodeTypes.piopiy.type.getNodeType(version).description;
		const fields = properties.flatMap((p) => (p.type === 'collection' ? p.options : [p]));
		for (const field of fields) {
			if (field.name === 'operation' || field.type === 'notice') continue;
			expect([field.name, typeof field.description]).toEqual([field.name, 'string']);
		}
	});

	test('the Piopiy API credential: App ID, App Secret as a password, Base URL', () => {
		const credential = pkg.credentialTypes.piopiyApi;
		expect(credential.displayName).toBe('Piopiy API');
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.appId).toMatchObject({ type: 'number', required: true });
		expect(byName.appSecret).toMatchObject({ type: 'string', required: true, typeOptions: { password: true } });
		expect(byName.baseUrl).toMatchObject({ type: 'string', default: 'https://rest.telecmi.com' });
	});
});

describe("index.js, the package's main", () => {
	test("require('n8n-nodes-piopiy') gives the classes n8n's loader loads, by class name, and nothing else", async () => {
		// require of the repository's folder goes through package.json's "main", as it does for an installed package.
		const main = require('..');
		expect(packageJson.main).toBe('index.js');
		expect(Object.keys(main).sort()).toEqual(['Piopiy', 'PiopiyApi', 'PiopiyTokenApi', 'PiopiyTrigger']);
		const pkg = await piopiyPackage();
		expect(pkg.loader.nodeTypes.piopiy.type).toBeInstanceOf(main.Piopiy);
		expect(pkg.loader.nodeTypes.piopiyTrigger.type).toBeInstanceOf(main.PiopiyTrigger);
		expect(pkg.loader.credentialTypes.piopiyApi.type).toBeInstanceOf(main.PiopiyApi);
		expect(pkg.loader.credentialTypes.piopiyTokenApi.type).toBeInstanceOf(main.PiopiyTokenApi);
		expect([
			new main.Piopiy().description.name,
			new main.PiopiyTrigger().description.name,
			new main.PiopiyApi().name,
			new main.PiopiyTokenApi().name,
		]).toEqual(['piopiy', 'piopiyTrigger', 'piopiyApi', 'piopiyTokenApi']);
	});
});

describe("the credential's test", () => {
	// Run as n8n's server runs "Test" in the credential dialog (test/harness/credential-test.js):
	// n8n-core's RoutingNode resolves the request against the credential, authenticates and sends it.
	test.each([
		['errors as HTTP statuses', 'http', 'Piopiy refused the credential (HTTP 401): check the API Token, or the App ID and App Secret'],
		['errors inside an HTTP 200 body', 'body', 'Piopiy rejected the App ID or App Secret'],
	])('with %s: right credentials pass, wrong ones fail, no call is placed', async (_label, errorStyle, failure) => {
		const sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, errorStyle });
		const url = await sim.start();
		try {
			const good = await testCredential({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: `${url}/` });
			expect(good.status).toBe('OK');
			const bad = await testCredential({ appId: APP_ID, appSecret: 'nope', baseUrl: url });
			expect(bad).toEqual({ status: 'Error', message: failure });
			expect(sim.requests.length).toBeGreaterThanOrEqual(2);
			for (const request of sim.requests) {
				expect([request.path, request.body.appid]).toEqual(['/v2/piopiy/get_channels', APP_ID]);
			}
			expect(sim.calls).toHaveLength(0);
		} finally {
			await sim.stop();
		}
	});
});

