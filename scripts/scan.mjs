#!/usr/bin/env node
/**
 * `npm run scan`: the two lint passes of n8n's community-package scanner (`@n8n/scan-community-package`,
 * the gate a package must pass to be verified), run offline with the scanner's own published code:
 *
 *   pass 1  the source, as the scanner lints the GitHub checkout at the commit the npm provenance attests:
 *           its SOURCE_FILE_PATTERNS (package.json and {nodes,credentials}/**\/*.{js,ts,json});
 *   pass 2  the package as published: `npm pack`, unpacked, its `.js` files and package.json.
 *
 * Both passes call the scanner's own `analyzePackage` (its ESLint config from `buildScanConfig`, inline
 * `eslint-disable` comments ignored), so its verdict is the scanner's verdict. What the scanner does online
 * first (npm provenance, downloading the source and the tarball) needs a published version and GitHub, and
 * is left to the real scanner. The scanner fails a package on errors only; this command also fails on its
 * warnings, so that "clean" means no finding at all.
 *
 * Usage: node scripts/scan.mjs [--json] [packageDir]      (packageDir defaults to this repository;
 *        its dist/ must be built, since the tarball is what pass 2 reads)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
// `npm pack` as scripts/check-pack.js does it (one place for how this package is packed).
const { npmPack } = require('./scripts/check-pack.js');

/** The scanner module and the copies of eslint, fast-glob and tmp it resolves (not necessarily ours). */
const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const scannerRequire = createRequire(scannerFile);
const scannerVersion = scannerRequire('../package.json').version;

/**
 * Pass 2's file patterns: in scanner.mjs they are written inline in `analyzePackageByName`
 * (`analyzePackage(packageDir, ['**\/*.js', 'package.json'])`), not exported; test/scan.test.js
 * checks that the installed scanner still says exactly this.
 */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

// The scanner makes a temporary folder as it is imported and removes it at exit only when told to.
scannerRequire('tmp').setGracefulCleanup();
const { ESLint } = await import(pathToFileURL(scannerRequire.resolve('eslint')).href);
const glob = scannerRequire('fast-glob');
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerFile).href);

/**
 * The scanner shows its findings only when it fails, and then as formatted text. To count warnings
 * and list every finding, the results of the ESLint run inside `analyzePackage` are observed on their
 * way back; nothing about the run is changed.
 */
let observed;
const lintFiles = ESLint.prototype.lintFiles;
ESLint.prototype.lintFiles = async function observedLintFiles(...args) {
	const results = await lintFiles.apply(this, args);
	observed = results;
	return results;
};

async function runPass(name, dir, patterns) {
	observed = undefined;
	const started = Date.now();
	const files = glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] }).sort();
	const verdict = await analyzePackage(dir, patterns);
	const findings = [];
	for (const result of observed ?? []) {
		for (const message of result.messages) {
			findings.push({
				file: path.relative(dir, result.filePath),
				line: message.line,
				column: message.column,
				severity: message.severity === 2 ? 'error' : 'warning',
				rule: message.ruleId,
				message: message.message,
			});
		}
	}
	return {
		name,
		patterns,
		files,
		passed: verdict.passed,
		message: verdict.message,
		errors: findings.filter((f) => f.severity === 'error').length,
		warnings: findings.filter((f) => f.severity === 'warning').length,
		findings,
		seconds: (Date.now() - started) / 1000,
	};
}

export async function scan(packageDir) {
	const dir = path.resolve(packageDir);
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	// The scanner finds the package in the checked-out repository by its name (findPackageRoot): it
	// must find this folder, not a fixture or an example that claims the same name.
	const found = findPackageRoot(dir, pkg.name);
	if (found !== dir) throw new Error(`the scanner would take ${found ?? 'no folder'} for ${pkg.name}, not ${dir}`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'piopiy-scan-'));
	try {
		const source = await runPass('source', dir, SOURCE_FILE_PATTERNS);

		const { tarball } = npmPack(dir, work);
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		// A tarball without the compiled nodes would pass pass 2 by having nothing to lint.
		const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter((file) => !fs.existsSync(path.join(unpacked, file)));
		if (missing.length) {
			throw new Error(`the packed tarball lacks ${missing.join(', ')}: build the package first (npm run build)`);
		}
		const tarballPass = await runPass(`tarball ${path.basename(tarball)}`, unpacked, TARBALL_FILE_PATTERNS);
		const passes = [source, tarballPass];
		return {
			scanner: `@n8n/scan-community-package@${scannerVersion}`,
			package: `${pkg.name}@${pkg.version}`,
			passes,
			scannerPassed: passes.every((pass) => pass.passed),
			clean: passes.every((pass) => pass.passed && pass.findings.length === 0),
		};
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

async function main() {
	const args = process.argv.slice(2);
	const json = args.includes('--json');
	const dir = args.find((arg) => !arg.startsWith('--')) ?? repoRoot;
	const report = await scan(dir);
	if (json) {
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	} else {
		const say = (line) => process.stdout.write(`${line}\n`);
		say(`${report.package}, scanned with ${report.scanner} (node ${process.version})`);
		for (const pass of report.passes) {
			say(`${pass.name}: ${pass.files.length} files (${pass.patterns.join(' ')}), ${pass.errors} errors, ${pass.warnings} warnings, ${pass.seconds.toFixed(1)}s`);
			for (const f of pass.findings) say(`  ${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule ?? '(parse)'}  ${f.message}`);
			if (!pass.passed && pass.message && !pass.findings.length) say(`  ${pass.message}`);
		}
		say(report.clean ? 'scan: clean' : `scan: ${report.scannerPassed ? 'the scanner would pass it, but with warnings' : 'the scanner would reject this package'}`);
	}
	process.exitCode = report.clean ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch((error) => {
		process.stderr.write(`scan failed: ${error.stack || error}\n`);
		process.exitCode = 2;
	});
}
