'use strict';
/**
 * `npm run scan` (scripts/scan.mjs) finds what n8n's scanner would reject: run on test/fixtures/broken-package,
 * a package that breaks the scanner's rules in its source and in its packed tarball, it reports each finding of
 * both passes, including one hidden by an inline `eslint-disable` comment that the repository's own lint obeys
 * and the scanner ignores. And it runs the scanner's own code the way the scanner does.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'broken-package');

function node(args) {
	const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 180_000 });
	if (result.error) throw result.error;
	return result;
}

let fixtureScan;
beforeAll(() => {
	const result = node([path.join(root, 'scripts', 'scan.mjs'), '--json', FIXTURE]);
	fixtureScan = { status: result.status, report: JSON.parse(result.stdout), stderr: result.stderr };
}, 180_000);

const brief = (pass) => pass.findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}`);

test('the broken fixture fails, as the scanner would reject it', () => {
	expect(fixtureScan.status).toBe(1);
	expect(fixtureScan.report).toMatchObject({
		scanner: '@n8n/scan-community-package@0.32.0',
		package: 'n8n-nodes-broken-fixture@0.0.1',
		scannerPassed: false,
		clean: false,
	});
});

test('pass 1, the source: node code and package.json findings, the console call behind eslint-disable included', () => {
	const [source] = fixtureScan.report.passes;
	expect(source.name).toBe('source');
	expect(source.patterns).toEqual(['package.json', '{nodes,credentials}/**/*.{js,ts,json}']);
	expect(source.files).toEqual(['credentials/BrokenApi.credentials.js', 'nodes/Broken/Broken.node.js', 'nodes/Broken/report.ts', 'package.json']);
	expect(source.passed).toBe(false);
	expect(brief(source)).toEqual(
		expect.arrayContaining([
			'nodes/Broken/Broken.node.js:4 error @n8n/community-nodes/no-restricted-imports',
			'nodes/Broken/Broken.node.js:21 error no-console',
			'nodes/Broken/Broken.node.js:21 error @n8n/community-nodes/no-restricted-globals',
			'nodes/Broken/Broken.node.js:22 error @n8n/community-nodes/no-restricted-globals',
			'nodes/Broken/report.ts:5 error no-console',
			'package.json:10 error @n8n/community-nodes/no-forbidden-lifecycle-scripts',
			'package.json:17 error @n8n/community-nodes/no-runtime-dependencies',
			'package.json:20 error @n8n/community-nodes/no-overrides-field',
			'package.json:1 error @n8n/community-nodes/valid-author',
			'package.json:1 warning @n8n/community-nodes/require-homepage',
		]),
	);
	expect(source.errors).toBe(source.findings.filter((f) => f.severity === 'error').length);
	expect(source.errors).toBeGreaterThanOrEqual(9);
	expect(source.warnings).toBe(1);
});

test('the inline eslint-disable comment hides that console call from the repository lint, not from the scan', () => {
	const file = path.join(FIXTURE, 'nodes', 'Broken', 'report.ts');
	expect(fs.readFileSync(file, 'utf8').split('\n')[3].trim()).toBe('// eslint-disable-next-line no-console');
	const lint = node([path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '--format', 'json', file]);
	expect(lint.status).toBe(0);
	expect(JSON.parse(lint.stdout)[0].messages).toEqual([]);
});

test('pass 2, the packed tarball: its .js files and package.json, findings in the compiled node', () => {
	const tarball = fixtureScan.report.passes[1];
	expect(tarball.name).toBe('tarball n8n-nodes-broken-fixture-0.0.1.tgz');
	expect(tarball.patterns).toEqual(['**/*.js', 'package.json']);
	// `files: ["lib"]`: the sources under nodes/ and credentials/ are not in the tarball.
	expect(tarball.files).toEqual(['lib/credentials/BrokenApi.credentials.js', 'lib/nodes/Broken/Broken.node.js', 'package.json']);
	expect(brief(tarball)).toEqual(
		expect.arrayContaining([
			'lib/nodes/Broken/Broken.node.js:4 error @n8n/community-nodes/no-restricted-imports',
			'lib/nodes/Broken/Broken.node.js:21 error no-console',
			'lib/nodes/Broken/Broken.node.js:22 error @n8n/community-nodes/no-restricted-globals',
			'package.json:17 error @n8n/community-nodes/no-runtime-dependencies',
		]),
	);
	expect(tarball.passed).toBe(false);
});

test("the passes are the installed scanner's: its file patterns, its analyzePackage, inline config ignored", () => {
	const scanner = fs.readFileSync(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'), 'utf8');
	// pass 1 uses its exported SOURCE_FILE_PATTERNS, pass 2 the patterns written inline in analyzePackageByName
	expect(scanner).toContain("export const SOURCE_FILE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];");
	expect(scanner).toContain('await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS)');
	expect(scanner).toContain("await analyzePackage(packageDir, ['**/*.js', 'package.json'])");
	expect(scanner).toContain('allowInlineConfig: false');
	const script = fs.readFileSync(path.join(root, 'scripts', 'scan.mjs'), 'utf8');
	expect(script).toContain("export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];");
});
