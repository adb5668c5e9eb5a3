'use strict';
/**
 * Where the local n8n lives and which versions it is made of. One place for the installer, the
 * launcher, `npm run dev` and the e2e tests, so they always agree.
 */
const os = require('node:os');
const path = require('node:path');

/** n8n 2.41.3 (latest on the day) cannot install from the registry; 2.41.1 can. See docs/n8n-notes.md#5-a-real-n8n. */
const N8N_VERSION = '2.41.1';
/** n8n 2.x needs Node >= 24; this exact build comes from the npm registry when the machine's Node is older. */
const NODE_VERSION = '24.21.0';
const NODE_MIN_MAJOR = 24;
/** linkedom 0.18.15 needs a package the registry lacks. */
const N8N_OVERRIDES = { linkedom: '0.18.14' };

const repoRoot = path.resolve(__dirname, '..', '..');

function cacheRoot() {
	if (process.env.PIOPIY_N8N_CACHE) return path.resolve(process.env.PIOPIY_N8N_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-piopiy');
}

module.exports = {
	N8N_VERSION,
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
