'use strict';
/**
 * Where the local n8n lives and which versions it is made of. One place for the installer, the
 * launcher, `npm run dev` and the e2e tests, so they always agree.
 */
const os = require('node:os');
const path = require('node:path');

/**
 * The n8n releases this package is tested in (README "Compatibility" lists exactly these), and what each
 * needs to install from the npm registry. 2.41.1 is the current one: 2.41.3 (latest on the day) cannot
 * install from the registry, nor can its n8n-core 2.41.2 (docs/n8n-notes.md#5-a-real-n8n). 2.36.0 is the
 * oldest supported: scripts/n8n/compat.js says why.
 */
const N8N_RELEASES = {
	/** linkedom 0.18.15 needs a package the registry lacks. */
	'2.41.1': { overrides: { linkedom: '0.18.14' } },
	'2.36.0': { overrides: { linkedom: '0.18.14' } },
};
/** The n8n of `npm run dev` and `npm run test:e2e`; PIOPIY_N8N_VERSION picks another of N8N_RELEASES. */
const N8N_VERSION = process.env.PIOPIY_N8N_VERSION || '2.41.1';
if (!N8N_RELEASES[N8N_VERSION]) {
	throw new Error(`PIOPIY_N8N_VERSION=${N8N_VERSION}: not one of the n8n releases this package is tested in (${Object.keys(N8N_RELEASES).join(', ')})`);
}
/** n8n 2.x needs Node >= 24; this exact build comes from the npm registry when the machine's Node is older. */
const NODE_VERSION = '24.21.0';
const NODE_MIN_MAJOR = 24;
const N8N_OVERRIDES = N8N_RELEASES[N8N_VERSION].overrides;

const repoRoot = path.resolve(__dirname, '..', '..');

function cacheRoot() {
	if (process.env.PIOPIY_N8N_CACHE) return path.resolve(process.env.PIOPIY_N8N_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-piopiy');
}

module.exports = {
	N8N_VERSION,
	N8N_RELEASES,
	NODE_VERSION,
	NODE_MIN_MAJOR,
	N8N_OVERRIDES,
	PACKAGE_NAME: 'n8n-nodes-piopiy',
	repoRoot,
	cacheRoot,
	/** The login `npm run dev` and the e2e tests create: a local, throwaway owner account. */
	OWNER: {
		email: 'dev@piopiy.local',
		firstName: 'Piopiy',
		lastName: 'Developer',
		password: 'Piopiy-dev-2026',
	},
	CREDENTIAL_NAME: 'Piopiy (local simulator)',
	CREDENTIAL_ID: 'piopiySimulator01',
};
