'use strict';
/**
 * Issue 10: running the Piopiy node with an API Token (v3) against the simulator, whose v3 endpoints
 * live under /v3 (simulator/v3.js): version 1 with a Piopiy API credential whose API is "API Token"
 * (as 0.2.0 saved them), or version 2 with a Piopiy Token API credential (issue 18). Its App ID is
 * the suite's, so v3 pipeline and flow calls name that app.
 */
const { runPiopiy } = require('./piopiy');
const { APP_ID, APP_SECRET, API_TOKEN, TOKEN_CREDENTIAL_TYPE } = require('./constants');
const { createPiopiySimulator } = require('../../simulator/piopiy-simulator');

/** The credential data of an API Token credential pointing at the simulator. */
function v3Credentials(url, overrides = {}) {
	return { apiVersion: 'v3', apiToken: API_TOKEN, appId: APP_ID, v3BaseUrl: `${url}/v3`, ...overrides };
}

/** A simulator for a `describe` block that accepts the suite's token (and the v2 credential). */
function useV3Simulator(options = {}) {
	const fixture = { sim: undefined, url: undefined };
	beforeAll(async () => {
		fixture.sim = createPiopiySimulator({ appId: APP_ID, appSecret: APP_SECRET, apiToken: API_TOKEN, ...options });
		fixture.url = await fixture.sim.start();
	});
	afterEach(() => fixture.sim.reset());
	afterAll(async () => fixture.sim.stop());
	return fixture;
}

/** Runs Input -> Piopiy with an API Token credential; `credentials` overrides its fields. */
function runPiopiyV3({ url, credentials = {}, ...rest }) {
	// runPiopiy adds the v2 fields (appSecret, baseUrl) too: a v3 credential saved in n8n keeps them
	// when the API was switched, and they must change nothing.
	return runPiopiy({ url, credentials: v3Credentials(url, credentials), ...rest });
}

/**
 * Runs Input -> Piopiy version 2 with Authentication "API Token (v3 API)" and a Piopiy Token API
 * credential (constants.js tokenCredential; `credentials` overrides its fields).
 */
function runPiopiyToken({ parameters, ...rest }) {
	return runPiopiy({ ...rest, typeVersion: 2, credentialType: TOKEN_CREDENTIAL_TYPE, parameters: { authentication: TOKEN_CREDENTIAL_TYPE, ...parameters } });
}

module.exports = { API_TOKEN, v3Credentials, useV3Simulator, runPiopiyV3, runPiopiyToken };
