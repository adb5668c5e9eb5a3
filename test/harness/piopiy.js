'use strict';
/**
 * Test fixtures: the package loaded by n8n's loader, a Piopiy simulator on 127.0.0.1, and a helper
 * that runs a workflow "Input -> Piopiy" in n8n's engine with the given node parameters and items.
 */
const { loadPackage } = require('./engine');
const { createPiopiySimulator } = require('../../simulator/piopiy-simulator');
const { APP_ID, APP_SECRET, NODE_TYPE, CREDENTIAL, CREDENTIAL_TYPE, TOKEN_CREDENTIAL_TYPE, simulatorCredential, tokenCredential } = require('./constants');

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
 * @param {number} [spec.cancelAfterMs] stop the run this long after it starts
 * @param {Function} [spec.whileRunning] see runWorkflow in engine.js (to stop the run at a chosen moment)
 * @param {number} [spec.typeVersion] the node's version: 1 (as saved by 0.2.0, the default) or 2
 * @param {string} [spec.credentialType] the type of the node's credential: piopiyApi (the default, with
 *   simulatorCredential's data) or piopiyTokenApi (tokenCredential's); `parameters` choose the node's
 *   Authentication, so that a test may also give a node the credential its Authentication does not name
 */
async function runPiopiy({
	parameters,
	items = [{}],
	url,
	credentials = {},
	onError,
	nodeName = 'Piopiy',
	cancelAfterMs,
	whileRunning,
	typeVersion = 1,
	credentialType = CREDENTIAL_TYPE,
}) {
	const pkg = await piopiyPackage();
	const node = {
		id: 'piopiy-node',
		name: nodeName,
		type: NODE_TYPE,
		typeVersion,
		parameters,
		credentials: { [credentialType]: CREDENTIAL },
	};
	if (onError) node.onError = onError;
	const data = credentialType === TOKEN_CREDENTIAL_TYPE ? tokenCredential(url, credentials) : simulatorCredential(url, credentials);
	const result = await pkg.run({
		nodes: [node],
		items,
		credentials: { [CREDENTIAL.id]: data },
		cancelAfterMs,
		whileRunning,
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

module.exports = { piopiyPackage, useSimulator, runPiopiy, makeCallBody };
