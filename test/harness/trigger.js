'use strict';
/**
 * Fixtures for the Piopiy Trigger: the package loaded as n8n loads it (plus the stand-in nodes of
 * scripts/harness-nodes.js), and a helper that serves "Piopiy Trigger -> downstream nodes" on a local HTTP
 * server through n8n-core's webhook context, so that the simulator can play Piopiy calling it.
 */
const { loadPackage } = require('./engine');
const { HARNESS_NODE_TYPES } = require('./stand-in-nodes');

const TRIGGER_TYPE = 'n8n-nodes-piopiy.piopiyTrigger';
const WEBHOOK_TOKEN = 'tok-3f9a1c2e7b5d4a60';

let loaded;
async function triggerPackage() {
	loaded ??= await loadPackage(undefined, { extraNodeTypes: HARNESS_NODE_TYPES });
	return loaded;
}

/**
 * Serves Piopiy Trigger (with `parameters`) followed by `downstream` nodes, chained.
 * @returns {Promise<WebhookServer>} see scripts/webhook-server.js; stop() it after the test
 */
async function serveTrigger({ parameters, downstream = [], credentials = {}, withCredential = true, path }) {
	const pkg = await triggerPackage();
	const trigger = { name: 'Piopiy Trigger', type: TRIGGER_TYPE, parameters };
	if (withCredential) trigger.credentials = { piopiyApi: { id: 'cred-1', name: 'Piopiy account' } };
	return pkg.serveWebhook({
		nodes: [trigger, ...downstream],
		path,
		credentials: { 'cred-1': { appId: 2222226, appSecret: 'sim-secret', webhookToken: WEBHOOK_TOKEN, ...credentials } },
	});
}

module.exports = { TRIGGER_TYPE, WEBHOOK_TOKEN, triggerPackage, serveTrigger };
