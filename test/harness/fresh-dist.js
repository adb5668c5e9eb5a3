'use strict';
/**
 * Whether dist/ is older than what it is built from, and a build (`node scripts/build.js`, the
 * command `npm run build` runs) when it is. Used by jest's globalSetup (global-setup.js) and
 * `npm run demo`, so neither runs a build that no longer matches the sources.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_DIR } = require('./constants');

const DIST = path.join(PACKAGE_DIR, 'dist');
/** What dist/ is built from: a change to any of these makes it stale. */
const SOURCES = ['nodes', 'credentials', 'package.json', 'tsconfig.json'];

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

/** Builds when dist/ is stale (see staleReason), saying why; throws when the build fails. Returns whether it built. */
function buildIfStale({ log = console.log } = {}) {
	const reason = staleReason();
	if (!reason) return false;
	log(`Building the package first (${reason})...`);
	try {
		execFileSync(process.execPath, [path.join(PACKAGE_DIR, 'scripts', 'build.js')], { stdio: 'inherit' });
	} catch {
		throw new Error('The build failed (the TypeScript errors are above): fix them, or run `npm run build` to see them again');
	}
	return true;
}

module.exports = { staleReason, buildIfStale };
