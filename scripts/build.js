#!/usr/bin/env node
// `npm run build`: compiles the TypeScript sources to dist/ and copies the files n8n reads beside the
// compiled classes (icons and codex JSON), as n8n's own build does. It builds into a fresh
// folder and swaps it in at the end, so a run that is reading dist/ never sees half a build.
// `buildIfStale()` is what the demo and the tests' jest globalSetup call: build only when dist/ is
// missing or older than a source.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
/** What dist/ is built from: a change to any of these makes it stale. */
const SOURCES = ['nodes', 'credentials', 'package.json', 'tsconfig.json'];

/** Builds dist/; returns true when it succeeded (the compiler has printed its errors otherwise). */
function build() {
	const staging = path.join(root, `.dist-${process.pid}`);
	fs.rmSync(staging, { recursive: true, force: true });
	try {
		execFileSync(
			process.execPath,
			[require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json'), '--outDir', staging],
			{ stdio: 'inherit' },
		);
		for (const dir of ['nodes', 'credentials']) {
			copyAssets(path.join(root, dir), path.join(staging, dir));
		}
		fs.rmSync(dist, { recursive: true, force: true });
		fs.renameSync(staging, dist);
		return true;
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
		if (error.status === undefined) throw error;
		return false;
	}
}

function copyAssets(from, to) {
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		const source = path.join(from, entry.name);
		const target = path.join(to, entry.name);
		if (entry.isDirectory()) {
			copyAssets(source, target);
		} else if (/\.(svg|png|json)$/.test(entry.name)) {
			fs.mkdirSync(to, { recursive: true });
			fs.copyFileSync(source, target);
		}
	}
}

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
	const { n8n } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const missing = [...n8n.nodes, ...n8n.credentials].find((file) => !fs.existsSync(path.join(root, file)));
	if (missing) return `${missing} is missing`;
	let built = Infinity;
	for (const { mtimeMs } of filesIn(dist)) built = Math.min(built, mtimeMs);
	for (const source of SOURCES) {
		for (const { file, mtimeMs } of filesIn(path.join(root, source))) {
			if (mtimeMs > built) return `${path.relative(root, file)} changed after the last build`;
		}
	}
	return undefined;
}

/** Builds when dist/ is stale (see staleReason), saying why; throws when the build fails. */
function buildIfStale({ log = console.log } = {}) {
	const reason = staleReason();
	if (!reason) return false;
	log(`Building the package first (${reason})...`);
	if (!build()) throw new Error('The build failed (the TypeScript errors are above): fix them, or run `npm run build` to see them again');
	return true;
}

module.exports = { build, buildIfStale, staleReason };

if (require.main === module) {
	if (!build()) process.exitCode = 1;
}
