'use strict';
/**
 * Builds the package with `n8n-node build` (what `npm run build` runs), and whether dist/ is older than
 * what it is built from. Used by jest's globalSetup (global-setup.js), `npm run demo`, `npm run dev`,
 * the e2e and compat runners and the queue benchmark, so none runs a build that no longer matches the
 * sources.
 *
 * `n8n-node build` (@n8n/node-cli 0.48.3, dist/commands/build.js) works in the folder it is started in:
 * it empties dist/, runs that folder's `tsc` through `<package manager> exec` (the one that started it or
 * whose lockfile is there, else npm: no pnpm needed) with tsconfig.json (its `resolveJsonModule`
 * and `nodes/**\/*.json` are what put the codex files beside the nodes), then copies every `.png` and
 * `.svg` below the folder (bar dist/, node_modules/ and dot folders) into dist/. In place, a test or an
 * n8n reading dist/ meanwhile would find it empty or half written, and the copy would take whatever
 * images lie in the working tree (an e2e run's test-results/). So `build()` runs it in a copy of only
 * what it reads (.dist-<pid>/: package.json, tsconfig.json, nodes/, credentials/, and node_modules/
 * linked so that `npm exec` finds the local tsc rather than fetching one) and swaps the result in whole.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_DIR } = require('./constants');

const DIST = path.join(PACKAGE_DIR, 'dist');
/** What dist/ is built from: a change to any of these makes it stale, and the staged build copies them. */
const SOURCES = ['nodes', 'credentials', 'package.json', 'tsconfig.json'];
const N8N_NODE = path.join(PACKAGE_DIR, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');

/** Every file below `dir` (or `dir` itself when it is a file), with its modification time. */
function* filesIn(dir) {
	if (!fs.existsSync(dir)) return;
	if (!fs.statSync(dir).isDirectory()) {
		yield { file: dir, mtimeMs: fs.statSync(dir).mtimeMs };
		return;
	}
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		yield* filesIn(path.join(dir, entry.name));
	}
}

/**
 * Why dist/ needs a build, or undefined when it is up to date: dist/ lacks a file package.json's
 * `n8n` field names, or a source is newer than the oldest file of dist/ (every file of a build is
 * written after the build started, so a source saved since then is newer than at least that one).
 */
function staleReason() {
	const { n8n } = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
	const missing = [...n8n.nodes, ...n8n.credentials].find((file) => !fs.existsSync(path.join(PACKAGE_DIR, file)));
	if (missing) return `${missing} is missing`;
	let built = Infinity;
	for (const { mtimeMs } of filesIn(DIST)) built = Math.min(built, mtimeMs);
	for (const source of SOURCES) {
		for (const { file, mtimeMs } of filesIn(path.join(PACKAGE_DIR, source))) {
			if (mtimeMs > built) return `${path.relative(PACKAGE_DIR, file)} changed after the last build`;
		}
	}
	return undefined;
}

/**
 * Terminal output as a terminal would leave it: of each line, what follows its last return to the line's
 * start (the spinner redraws itself so), without colour and cursor codes, blank lines dropped.
 */
function asShown(output) {
	return output
		.split('\n')
		.map((line) => line.split(/\r|\x1b\[\d*D/).pop().replace(/\x1b\[[\d;?]*[A-Za-z]/g, ''))
		.filter((line) => line.trim())
		.join('\n');
}

function isRunning(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code !== 'ESRCH';
	}
}

/** `n8n-node build` in a staging copy, its dist/ then put in place of ours (see the top of this file); throws when it fails. */
function build() {
	// A build that was killed leaves its copy of the sources, which `n8n-node lint` (every **/*.ts) would lint.
	for (const name of fs.readdirSync(PACKAGE_DIR)) {
		const pid = Number(/^\.dist-(\d+)$/.exec(name)?.[1]);
		if (pid && !isRunning(pid)) fs.rmSync(path.join(PACKAGE_DIR, name), { recursive: true, force: true });
	}
	const staging = path.join(PACKAGE_DIR, `.dist-${process.pid}`);
	fs.rmSync(staging, { recursive: true, force: true });
	try {
		for (const source of SOURCES) fs.cpSync(path.join(PACKAGE_DIR, source), path.join(staging, source), { recursive: true });
		fs.symlinkSync(path.join(PACKAGE_DIR, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
		try {
			// Its spinner is noise in a log; its output is shown when it fails (the compiler's errors are in it).
			execFileSync(process.execPath, [N8N_NODE, 'build'], { cwd: staging, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
		} catch (error) {
			throw new Error(`n8n-node build failed (\`npm run build\` shows it again):\n${asShown(`${error.stdout ?? ''}\n${error.stderr ?? ''}`)}`);
		}
		fs.rmSync(DIST, { recursive: true, force: true });
		fs.renameSync(path.join(staging, 'dist'), DIST);
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** Builds when dist/ is stale (see staleReason), saying why; throws when the build fails. Returns whether it built. */
function buildIfStale({ log = console.log } = {}) {
	const reason = staleReason();
	if (!reason) return false;
	log(`Building the package first (${reason})...`);
	build();
	return true;
}

module.exports = { filesIn, staleReason, build, buildIfStale };
