#!/usr/bin/env node
// Compiles the TypeScript sources to dist/ and copies the files n8n reads beside the
// compiled classes (icons and codex JSON), as n8n's own build does. It builds into a fresh
// folder and swaps it in at the end, so a run that is reading dist/ never sees half a build.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
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
} catch (error) {
	fs.rmSync(staging, { recursive: true, force: true });
	process.exitCode = 1;
	if (error.status === undefined) throw error;
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
