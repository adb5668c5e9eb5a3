'use strict';
/**
 * The e2e stack: the Piopiy simulator and a real n8n with this package installed from its `npm pack`
 * tarball, an owner account, three credentials (the simulator's with App ID and App Secret, one
 * with a wrong secret, and an API Token one for Piopiy's v3 API) and a public API key. Everything
 * binds 127.0.0.1 and everything is stopped by stop(), also when starting fails halfway.
 *
 * With `queue` ({ workers, env }), n8n runs in queue mode instead (scripts/n8n/queue.js): PostgreSQL,
 * Redis, a main, a webhook processor and workers, the package installed on each n8n process.
 * `stack.n8n` is then the main (editor, API), `stack.queue` the whole set, and `stack.webhookUrl`
 * the webhook processor (in single-process mode, the one n8n).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startN8n, packPackage } = require('../../../scripts/n8n/launcher');
const { startQueueStack } = require('../../../scripts/n8n/queue');
const { N8nClient } = require('../../../scripts/n8n/client');
const { OWNER, CREDENTIAL_NAME, CREDENTIAL_ID } = require('../../../scripts/n8n/config');
const { createPiopiySimulator } = require('../../../simulator/piopiy-simulator');
const { APP_ID, APP_SECRET, WRONG_SECRET, CREDENTIAL_TYPE, simulatorCredential } = require('../../harness/constants');

const WRONG_CREDENTIAL = { id: 'piopiyWrongSecret', name: 'Piopiy (wrong secret)' };
/** Issue 10: an API Token credential (v3 API), the simulator's v3 endpoints under /v3. */
const API_TOKEN = 'tok-e2e-v3-Zr81Kp';
const V3_CREDENTIAL = { id: 'piopiyApiTokenV3', name: 'Piopiy API Token (local simulator)' };

const WORK_DIR_PREFIX = 'piopiy-e2e-';

/**
 * Removes the folders of earlier runs whose process died without cleaning up (killed with SIGKILL,
 * say: the guard stops their servers, but cannot remove their folders). A folder is another run's
 * while the process named in its owner.pid lives.
 */
function removeAbandonedWorkDirs(log) {
	for (const entry of fs.readdirSync(os.tmpdir())) {
		if (!entry.startsWith(WORK_DIR_PREFIX)) continue;
		const dir = path.join(os.tmpdir(), entry);
		let owner;
		try {
			owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
		} catch {
			continue;
		}
		try {
			process.kill(owner, 0);
			continue;
		} catch (error) {
			if (error.code === 'EPERM') continue;
		}
		log(`removing ${dir}, left by an earlier run (pid ${owner})`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function startStack({ log = () => {}, queue } = {}) {
	removeAbandonedWorkDirs(log);
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `${WORK_DIR_PREFIX}${queue ? 'queue-' : ''}`));
	// PostgreSQL (queue mode) runs as its own user and must be able to pass through this folder.
	if (queue) fs.chmodSync(workDir, 0o711);
	// A folder kept on purpose (PIOPIY_E2E_KEEP) has no owner.pid, so later runs leave it alone.
	if (!process.env.PIOPIY_E2E_KEEP) fs.writeFileSync(path.join(workDir, 'owner.pid'), String(process.pid));
	const stack = { workDir, sim: undefined, n8n: undefined, client: undefined };
	const cleanups = [];
	stack.stop = async () => {
		for (const cleanup of cleanups.reverse()) {
			try {
				await cleanup();
			} catch (error) {
				log(`cleanup failed: ${error.message}`);
			}
		}
		cleanups.length = 0;
	};
	try {
		stack.sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, apiToken: API_TOKEN });
		stack.simUrl = await stack.sim.start();
		cleanups.push(() => stack.sim.stop());

		// PIOPIY_E2E_TARBALL tests a given tarball (say, the one about to be published) instead of packing the repo.
		stack.tarball = process.env.PIOPIY_E2E_TARBALL ? path.resolve(process.env.PIOPIY_E2E_TARBALL) : packPackage(workDir);
		log(`package under test: ${stack.tarball}`);

		const credentials = [
			{ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data: simulatorCredential(stack.simUrl) },
			{ ...WRONG_CREDENTIAL, type: CREDENTIAL_TYPE, data: simulatorCredential(stack.simUrl, { appSecret: WRONG_SECRET }) },
			{ ...V3_CREDENTIAL, type: CREDENTIAL_TYPE, data: { apiVersion: 'v3', apiToken: API_TOKEN, appId: APP_ID, v3BaseUrl: `${stack.simUrl}/v3` } },
		];
		if (queue) {
			// stop() of the queue stack also ends its processes when startQueueStack fails halfway.
			stack.queue = await startQueueStack({
				workDir: path.join(workDir, 'n8n'),
				packageFile: stack.tarball,
				credentials,
				workers: queue.workers,
				workerArgs: queue.workerArgs,
				env: queue.env,
				logsDir: queue.logsDir,
				log,
			});
			cleanups.push(() => stack.queue.stop());
			stack.n8n = stack.queue.main;
			stack.webhookUrl = stack.queue.webhook.url;
		} else {
			stack.n8n = await startN8n({
				userFolder: path.join(workDir, 'n8n'),
				packageSource: { mode: 'tarball', file: stack.tarball },
				credentials,
				log,
			});
			cleanups.push(() => stack.n8n.stop());
			stack.webhookUrl = stack.n8n.url;
		}

		stack.client = new N8nClient(stack.n8n.url);
		await stack.client.ensureOwner(OWNER);
		await stack.client.createApiKey();
		// Only now: n8n's start-up and the credential import reach nothing of the simulator, but keep the record clean.
		stack.sim.reset();
		cleanups.push(() => {
			if (!process.env.PIOPIY_E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
		});
		// The temp folder is removed last (cleanups run in reverse): n8n writes into it until it stops.
		cleanups.unshift(cleanups.pop());
		return stack;
	} catch (error) {
		await stack.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
		throw error;
	}
}

module.exports = { startStack, packPackage, WRONG_CREDENTIAL, V3_CREDENTIAL, API_TOKEN, CREDENTIAL_ID, CREDENTIAL_NAME, OWNER };
