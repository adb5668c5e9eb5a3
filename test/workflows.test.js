'use strict';
/**
 * The GitHub Actions workflows, parsed as YAML: CI runs the README's test command on Node 20 and 24 and
 * then the end-to-end tests; Publish runs only for a version tag, tests first, and publishes with npm
 * provenance (`id-token: write`) through `n8n-node release`. Every `npm run X` they use exists.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.join(__dirname, '..');
const packageJson = require('../package.json');

function load(file) {
	const text = fs.readFileSync(path.join(root, '.github', 'workflows', file), 'utf8');
	const document = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
	expect(document.errors).toEqual([]);
	return document.toJS();
}

const runs = (job) => job.steps.filter((step) => step.run).map((step) => step.run.trim());
const uses = (job, action) => job.steps.filter((step) => step.uses?.startsWith(`${action}@`));
const installsWithNpmInstall = (job) => {
	const commands = runs(job);
	expect(commands.some((command) => /^npm ci\b/m.test(command))).toBe(false);
	return commands.indexOf('npm install --no-audit --no-fund');
};

describe('ci.yml', () => {
	const ci = load('ci.yml');

	test('runs on pushes to main, on pull requests and by hand, with read-only repository access', () => {
		expect(ci.on).toEqual({ push: { branches: ['main'] }, pull_request: null, workflow_dispatch: null });
		expect(ci.permissions).toEqual({ contents: 'read' });
		expect(JSON.stringify(ci)).not.toMatch(/id-token|secrets\./);
	});

	test("tests on Node 20 and 24: install, then the README's test command, the scan, the tarball check and the oldest n8n", () => {
		const { test: job } = ci.jobs;
		expect(job.strategy.matrix.node).toEqual(['20', '24']);
		const [setup] = uses(job, 'actions/setup-node');
		expect(setup.with['node-version']).toBe('${{ matrix.node }}');
		expect(uses(job, 'actions/checkout')).toHaveLength(1);
		const install = installsWithNpmInstall(job);
		expect(runs(job).slice(install)).toEqual([
			'npm install --no-audit --no-fund',
			'npm test',
			'npm run scan',
			'npm run check:pack',
			'npm run test:compat',
		]);
		expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
	});

	test('then the end-to-end tests on Node 24, in the current n8n and a smoke test in the oldest', () => {
		const { e2e } = ci.jobs;
		expect(e2e.needs).toBe('test');
		expect(uses(e2e, 'actions/setup-node')[0].with['node-version']).toBe('24');
		expect(e2e.env.CHROMIUM_PATH).toBe('/usr/bin/google-chrome');
		const install = installsWithNpmInstall(e2e);
		expect(runs(e2e).slice(install)).toEqual(['npm install --no-audit --no-fund', 'npm run test:e2e', 'npm run test:compat:e2e']);
		expect(e2e['timeout-minutes']).toBeLessThanOrEqual(90);
	});
});

describe('publish.yml', () => {
	const publish = load('publish.yml');

	test('runs only when a version tag is pushed; the tag must be the package version', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*.*.*'] } });
		expect(publish.permissions).toEqual({ contents: 'read' });
		expect(runs(publish.jobs.test)).toContain('test "v$(node -p "require(\'./package.json\').version")" = "$GITHUB_REF_NAME"');
	});

	test('tests first: install, the tag check, the test command, the scan and the tarball check', () => {
		const { test: job } = publish.jobs;
		const install = installsWithNpmInstall(job);
		expect(runs(job).slice(install)).toEqual([
			'npm install --no-audit --no-fund',
			expect.stringMatching(/^test "v\$\(node -p/),
			'npm test',
			'npm run scan',
			'npm run check:pack',
		]);
		expect(job.permissions).toBeUndefined();
	});

	test('publishes after the tests, with an OIDC token for provenance, through n8n-node release', () => {
		const { publish: job } = publish.jobs;
		expect(job.needs).toBe('test');
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		const [setup] = uses(job, 'actions/setup-node');
		expect(setup.with).toEqual({ 'node-version': '24', 'registry-url': 'https://registry.npmjs.org' });
		const steps = runs(job);
		expect(steps).toEqual(['npm install --global npm@11', 'npm install --no-audit --no-fund', 'npm run release']);
		const release = job.steps.find((step) => step.run === 'npm run release');
		// .npmrc turns scripts off; the release step turns them on so that prepublishOnly (n8n-node prerelease) runs.
		// The optional NPM_TOKEN (for a first publish, before trusted publishing can be set up) reaches this step only.
		expect(release.env).toEqual({ npm_config_ignore_scripts: 'false', NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
		const elsewhere = { ...publish, jobs: { ...publish.jobs, publish: { ...job, steps: job.steps.filter((step) => step !== release) } } };
		expect(JSON.stringify(elsewhere)).not.toMatch(/secrets\./);
	});

	test("package.json's release scripts are n8n-node's, which publish with provenance only under GitHub Actions", () => {
		expect(packageJson.scripts.release).toBe('n8n-node release');
		expect(packageJson.scripts.prepublishOnly).toBe('n8n-node prerelease');
		// npm itself then refuses any publish that cannot carry provenance (outside GitHub Actions or GitLab CI),
		// scripts on or off; and a first publish with provenance needs access public (libnpmpublish's checks).
		expect(packageJson.publishConfig).toEqual({ access: 'public', provenance: true });
		// (its package exports only ./eslint, so the file is found beside that)
		const cli = path.join(path.dirname(require.resolve('@n8n/node-cli/eslint')), '..');
		const release = fs.readFileSync(path.join(cli, 'commands', 'release.js'), 'utf8');
		expect(release).toMatch(/NPM_CONFIG_PROVENANCE: 'true'/);
		expect(release).toMatch(/process\.env\.GITHUB_ACTIONS/);
	});
});

test('every `npm run X` in the workflows is a script of package.json', () => {
	for (const file of ['ci.yml', 'publish.yml']) {
		const workflow = load(file);
		for (const job of Object.values(workflow.jobs)) {
			for (const command of runs(job)) {
				for (const [, script] of command.matchAll(/npm run ([\w:-]+)/g)) expect([file, script, script in packageJson.scripts]).toEqual([file, script, true]);
			}
		}
	}
});
