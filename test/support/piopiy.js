'use strict';
/**
 * Test fixtures: the package loaded by n8n's loader, a Piopiy simulator on 127.0.0.1, and a helper
 * that runs a workflow "Input -> Piopiy" in n8n's engine with the given node parameters and items.
 */
const { loadPackage } = require('../../scripts/engine');
const { createPiopiySimulator } = require('../../simulator/piopiy-simulator');

const APP_ID = 2222226;
const APP_SECRET = 'sim-secret-Zq8v2';
const NODE_TYPE = 'n8n-nodes-piopiy.piopiy';

let loaded;
/** The package, loaded once per test file (n8n-core's import is the slow part). */
async function piopiyPackage() {
	loaded ??= await loadPackage();
	return loaded;
}

/**
 * Starts a simulator for the tests of a `describe` block and stops it afterwards.
 * @returns {{sim: object, url: string}} filled in by beforeAll
 */
function useSimulator(options = {}) {
	const fixture = { sim: undefined, url: undefined };
	beforeAll(async () => {
		fixture.sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, ...options });
		fixture.url = await fixture.sim.start();
	});
	afterEach(() => fixture.sim.reset());
	afterAll(async () => fixture.sim.stop());
	return fixture;
}

/**
 * Runs Input -> Piopiy.
 * @param {object} spec
 * @param {object} spec.parameters the Piopiy node's parameters
 * @param {object[]} spec.items the input items' JSON
 * @param {string} spec.url the simulator's base URL
 * @param {object} [spec.credentials] overrides of the credential data
 * @param {string} [spec.onError] the node's On Error setting
 * @param {Function} [spec.whileRunning] see runWorkflow in scripts/engine.js (to stop the run)
 */
async function runPiopiy({ parameters, items = [{}], url, credentials = {}, onError, nodeName = 'Piopiy', whileRunning }) {
	const pkg = await piopiyPackage();
	const node = {
		id: 'piopiy-node',
		name: nodeName,
		type: NODE_TYPE,
		typeVersion: 1,
		parameters,
		credentials: { piopiyApi: { id: 'cred-1', name: 'Piopiy account' } },
	};
	if (onError) node.onError = onError;
	const result = await pkg.run({
		nodes: [node],
		items,
		whileRunning,
		credentials: { 'cred-1': { appId: APP_ID, appSecret: APP_SECRET, baseUrl: url, callControlBaseUrl: url, ...credentials } },
	});
	return {
		...result,
		/** Items on the node's first output, as {json, pairedItem}. */
		items: result.output(nodeName, 0),
		/** Items on the node's error output ("continue using error output"). */
		errorItems: result.output(nodeName, 1),
		/** What the node stopped with, if it stopped. */
		nodeError: result.nodeError(nodeName),
	};
}

/** The make-call body that Piopiy's SDK 1.0.8 sends, with this suite's credentials. */
function makeCallBody({ to, from, connect, duration = 5400, timeout = 40, loop = 1, ringType, extraParams = {} }) {
	const bridge = {
		action: 'bridge',
		from,
		connect: connect.map((number) => ({ type: 'pstn', number })),
		duration,
		timeout,
		loop,
	};
	if (ringType) bridge.ring_type = ringType;
	return { appid: APP_ID, secret: APP_SECRET, extra_params: extraParams, from, duration, pcmo: [bridge], to };
}

module.exports = { APP_ID, APP_SECRET, NODE_TYPE, piopiyPackage, useSimulator, runPiopiy, makeCallBody };
