'use strict';
/**
 * Headless Chromium (Debian's `chromium` package) driven by playwright-core, and the few n8n editor
 * moves the e2e makes. Playwright cannot download browsers here, so the system browser is used:
 * $CHROMIUM_PATH, else /usr/bin/chromium.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium, selectors } = require('playwright-core');

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

function chromiumPath() {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
	const found = candidates.find((file) => fs.existsSync(file));
	if (!found) {
		throw new Error(
			`No Chromium found (looked at ${candidates.join(', ')}). Install Debian's: apt-get update && apt-get install -y chromium, or set CHROMIUM_PATH.`,
		);
	}
	return found;
}

let testIdSet = false;

/** Launches Chromium with a fresh profile; close() removes the profile too. */
async function launchBrowser() {
	if (!testIdSet) {
		// n8n marks its elements with data-test-id, not Playwright's default data-testid.
		selectors.setTestIdAttribute('data-test-id');
		testIdSet = true;
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'piopiy-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath(),
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1440, height: 900 },
		timeout: 60_000,
	});
	return {
		context,
		async close() {
			try {
				await context.close();
			} finally {
				fs.rmSync(profile, { recursive: true, force: true });
			}
		},
	};
}

module.exports = { launchBrowser, chromiumPath };
