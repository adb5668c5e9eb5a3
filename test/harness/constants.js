'use strict';
/**
 * The one place for the values the tests, the e2e tests, the demo, the benchmark, `npm run dev` and
 * the simulator's defaults share: the simulator's account, the webhook token, the package's type and
 * credential names. A test that needs a different value (a wrong secret, an SDK capture) says so itself.
 * This file requires nothing but package.json, so anything may require it.
 */
const path = require('node:path');

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
const { name: PACKAGE_NAME } = require('../../package.json');

/** The simulator's account. n8n sends the App ID as text; the node sends it to Piopiy as a number. */
const APP_ID = 2222226;
/** Distinct enough that a test finding it in run data, errors or logs knows it leaked. */
const APP_SECRET = 'sim-secret-Zq8v2';
/** The simulator's v3 API token (a v3 test that checks where a token goes picks its own). */
const API_TOKEN = 'sim-token';
/** A secret the simulator refuses (Piopiy answers 401 "Authentication failed"). */
const WRONG_SECRET = 'not-the-secret';
/**
 * The Piopiy Trigger's Webhook Token. `npm run demo` prints it in the Keypress URLs it shows, so its
 * value is the one the demo has always printed.
 */
const WEBHOOK_TOKEN = 'demo-webhook-token';

/** Node and credential type names, as n8n's loader registers them (`<package>.<node name>`). */
const NODE_TYPE = `${PACKAGE_NAME}.piopiy`;
const TRIGGER_TYPE = `${PACKAGE_NAME}.piopiyTrigger`;
const CREDENTIAL_TYPE = 'piopiyApi';
/** The API Token credential type (version 2 of the node, Authentication "API Token (v3 API)"). */
const TOKEN_CREDENTIAL_TYPE = 'piopiyTokenApi';
/** The credential a harness workflow's nodes refer to (`node.credentials.piopiyApi`). */
const CREDENTIAL = { id: 'cred-1', name: 'Piopiy account' };

/** The credential data for the simulator at `url`: both base URLs point at it. */
function simulatorCredential(url, overrides = {}) {
	return { appId: APP_ID, appSecret: APP_SECRET, baseUrl: url, callControlBaseUrl: url, ...overrides };
}

/** A Piopiy Token API credential's data for the simulator at `url`, whose v3 endpoints live under /v3. */
function tokenCredential(url, overrides = {}) {
	return { apiToken: API_TOKEN, appId: APP_ID, v3BaseUrl: `${url}/v3`, ...overrides };
}

module.exports = {
	PACKAGE_DIR,
	PACKAGE_NAME,
	APP_ID,
	APP_SECRET,
	API_TOKEN,
	WRONG_SECRET,
	WEBHOOK_TOKEN,
	NODE_TYPE,
	TRIGGER_TYPE,
	CREDENTIAL_TYPE,
	TOKEN_CREDENTIAL_TYPE,
	CREDENTIAL,
	simulatorCredential,
	tokenCredential,
};
