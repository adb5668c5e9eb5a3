#!/usr/bin/env node
'use strict';
/**
 * `npm run check:pack`: packs the package as `npm publish` would (`npm pack`; dist/ must be built)
 * and checks the tarball a user's n8n installs:
 * - it holds exactly package.json, README.md, LICENSE, CHANGELOG.md, index.js and the build of nodes/ and
 *   credentials/ under dist/ (expectedFiles): no sources, tests, scripts, maps or screenshots. package.json
 *   `files` names dist/nodes and dist/credentials rather than all of dist/ because `n8n-node build` copies
 *   every .png and .svg of the working tree into dist/ (an e2e run's test-results/e2e/*.png included);
 * - every file the `n8n` field of package.json names is inside, each node with its codex JSON,
 *   and every icon a node or credential refers to (`file:...`), loaded from the unpacked tarball
 *   the way n8n loads it (class named after the file);
 * - index.js, the package's `main`, exports each of those classes under its name, and nothing else;
 * - package.json has what n8n's community-package rules ask: an `n8n-nodes-` name, the
 *   `n8n-community-node-package` keyword, MIT, no runtime dependencies.
 * Exits non-zero listing every problem.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..');
/** The tarball's files outside dist/ (npm adds package.json, README.md, LICENSE and the `main` file itself). */
const TOP_LEVEL = ['CHANGELOG.md', 'LICENSE', 'README.md', 'index.js', 'package.json'];

function* sourceFiles(dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* sourceFiles(file);
		else yield file;
	}
}

/**
 * The files the tarball of `packageDir` must hold, sorted: TOP_LEVEL, and under dist/ what `n8n-node build`
 * makes of nodes/ and credentials/: each .ts compiled to .js, the codex .json beside each node (tsconfig.json
 * includes nodes/**\/*.json) and the icons (the build copies .svg and .png).
 */
function expectedFiles(packageDir) {
	const files = [...TOP_LEVEL];
	for (const dir of ['nodes', 'credentials']) {
		for (const file of sourceFiles(path.join(packageDir, dir))) {
			const source = path.relative(packageDir, file).split(path.sep).join('/');
			if (source.endsWith('.ts')) files.push(`dist/${source.replace(/\.ts$/, '.js')}`);
			else if (/\.(svg|png)$/.test(source) || (dir === 'nodes' && source.endsWith('.json'))) files.push(`dist/${source}`);
		}
	}
	return files.sort();
}

/**
 * `npm pack` of `packageDir` (dist/ must be built) into `destination`, as `npm publish` packs it;
 * returns npm's description of the tarball (`info`: files, sizes) and its path. Also used by
 * scripts/scan.mjs and the e2e tests (packPackage in scripts/n8n/launcher.js), which install or scan that tarball.
 */
function npmPack(packageDir, destination) {
	const cli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];
	const out = execFileSync(cli[0], [...cli.slice(1), 'pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: packageDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 120_000,
	});
	const [info] = JSON.parse(out.slice(out.indexOf('[')));
	return { info, tarball: path.join(destination, info.filename) };
}

function iconFiles(icon) {
	if (!icon) return [];
	const values = typeof icon === 'string' ? [icon] : [icon.light, icon.dark];
	return values.filter((value) => typeof value === 'string' && value.startsWith('file:')).map((value) => value.slice(5));
}

function main() {
	const problems = [];
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'piopiy-pack-'));
	try {
		const { info, tarball } = npmPack(repoRoot, work);
		const files = info.files.map((file) => file.path).sort();
		const inTarball = new Set(files);

		const expected = expectedFiles(repoRoot);
		for (const file of files) if (!expected.includes(file)) problems.push(`${file}: not for the published package`);
		for (const file of expected) if (!inTarball.has(file)) problems.push(`${file} is missing from the tarball (is dist/ built?)`);

		const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
		if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name)) problems.push(`package name "${pkg.name}" must start with n8n-nodes-`);
		if (!pkg.keywords?.includes('n8n-community-node-package')) problems.push('keywords lack "n8n-community-node-package"');
		if (pkg.license !== 'MIT') problems.push(`license is ${pkg.license}, not MIT`);
		if (pkg.dependencies && Object.keys(pkg.dependencies).length) problems.push(`runtime dependencies are not allowed: ${Object.keys(pkg.dependencies)}`);
		const n8n = pkg.n8n ?? {};
		if (!n8n.nodes?.length) problems.push('package.json n8n.nodes names no node');
		if (pkg.main !== 'index.js') problems.push(`package.json main is ${pkg.main}, not index.js`);

		// Unpack and load it as n8n would: modules resolve through NODE_PATH (n8n points it at its own).
		const unpacked = path.join(work, 'unpacked');
		fs.mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		process.env.NODE_PATH = [path.join(repoRoot, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
		Module._initPaths();

		const loaded = {};
		const load = (file, suffix) => {
			const className = path.basename(file).replace(suffix, '');
			const exported = require(path.join(unpacked, file));
			const Class = exported[className];
			if (typeof Class !== 'function') {
				problems.push(`${file} does not export a class named ${className}`);
				return undefined;
			}
			loaded[className] = Class;
			return new Class();
		};
		const checkIcons = (file, icon, what) => {
			for (const iconFile of iconFiles(icon)) {
				const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), iconFile));
				if (!inTarball.has(target)) problems.push(`${what} refers to icon ${iconFile}, but ${target} is not in the tarball`);
			}
		};

		for (const file of n8n.nodes ?? []) {
			if (!inTarball.has(file)) {
				problems.push(`n8n.nodes names ${file}, which is not in the tarball`);
				continue;
			}
			const codex = file.replace(/\.js$/, '.json');
			if (!inTarball.has(codex)) problems.push(`${codex} (the codex of ${file}) is not in the tarball`);
			const node = load(file, '.node.js');
			if (!node) continue;
			const description = node.description ?? node.nodeVersions?.[node.currentVersion]?.description;
			checkIcons(file, description?.icon ?? node.description?.icon, `node ${file}`);
		}
		for (const file of n8n.credentials ?? []) {
			if (!inTarball.has(file)) {
				problems.push(`n8n.credentials names ${file}, which is not in the tarball`);
				continue;
			}
			const credential = load(file, '.credentials.js');
			if (credential) checkIcons(file, credential.icon, `credential ${file}`);
		}

		// `require('n8n-nodes-piopiy')`: the very classes n8n loads, by name.
		if (inTarball.has('index.js')) {
			const main = require(unpacked);
			const names = Object.keys(main).sort();
			const expected = Object.keys(loaded).sort();
			if (names.join() !== expected.join()) problems.push(`index.js exports ${names.join(', ') || 'nothing'}, not ${expected.join(', ')}`);
			for (const name of expected) {
				if (main[name] !== loaded[name]) problems.push(`index.js exports ${name}, but not the class ${name} of the n8n field's file`);
			}
		}

		process.stdout.write(`${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked\n`);
		for (const file of files) process.stdout.write(`  ${file}\n`);
	} catch (error) {
		problems.push(`could not pack or load the package: ${error.message}`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}

	if (problems.length) {
		process.stderr.write(`\ncheck:pack found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
		process.exitCode = 1;
	} else {
		process.stdout.write('check:pack: the tarball holds exactly what n8n needs\n');
	}
}

module.exports = { npmPack, expectedFiles };

if (require.main === module) main();
