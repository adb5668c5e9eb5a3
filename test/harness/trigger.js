'use strict';
/**
 * Fixtures for the Piopiy Trigger: the package loaded as n8n loads it (plus the stand-in nodes of
 * stand-in-nodes.js), and a helper that serves "Piopiy Trigger -> downstream nodes" on a local HTTP
 * server through n8n-core's webhook context, so that the simulator can play Piopiy calling it.
 */
const { loadPackage } = require('./engine');
const { STAND_IN_NODE_TYPES } = require('./stand-in-nodes');
const { APP_ID, APP_SECRET, API_TOKEN, WEBHOOK_TOKEN, TRIGGER_TYPE, CREDENTIAL, CREDENTIAL_TYPE, TOKEN_CREDENTIAL_TYPE } = require('./constants');

let loaded;
async function triggerPackage() {
	loaded ??= await loadPackage(undefined, { extraNodeTypes: STAND_IN_NODE_TYPES });
	return loaded;
}

/**
 * Serves Piopiy Trigger (with `parameters`) followed by `downstream` nodes, chained. Its credential
 * is of `credentialType` (piopiyApi unless given); either type's data has the Webhook Token.
 * @returns {Promise<WebhookServer>} see webhook-server.js; stop() it after the test
 */
async function serveTrigger({ parameters, downstream = [], credentials = {}, withCredential = true, path, credentialType = CREDENTIAL_TYPE }) {
	const pkg = await triggerPackage();
	const trigger = { name: 'Piopiy Trigger', type: TRIGGER_TYPE, parameters };
	if (withCredential) trigger.credentials = { [credentialType]: CREDENTIAL };
	const [key, secret] = credentialType === TOKEN_CREDENTIAL_TYPE ? ['apiToken', API_TOKEN] : ['appSecret', APP_SECRET];
	return pkg.serveWebhook({
		nodes: [trigger, ...downstream],
		path,
		credentials: { [CREDENTIAL.id]: { appId: APP_ID, [key]: secret, webhookToken: WEBHOOK_TOKEN, ...credentials } },
	});
}

module.exports = { triggerPackage, serveTrigger };
