'use strict';
/**
 * Runs the Piopiy API credential's `test` the way n8n's server does when *Test* is clicked in the
 * credential dialog: the credential's defaults fill the fields left empty, the test request becomes
 * the `routing.request` of a stand-in node, and n8n-core's own RoutingNode resolves its expressions
 * against the credential, applies the credential's `authenticate` and sends it. The verdict follows
 * the rules of n8n's credential tester (n8n 2.41, its CredentialsTester service): a failed request
 * is checked against the `responseCode` rules, then any non-2xx status fails; a successful one
 * against the `responseSuccessBody` rules; otherwise "Connection successful!".
 */
// host.js first: it sets n8n-core's environment before n8n-core is loaded.
const { additionalDataFor, CredentialsStore } = require('./host');
const { piopiyPackage } = require('./piopiy');
const { CREDENTIAL, CREDENTIAL_TYPE } = require('./constants');

const { RoutingNode, ExecuteContext } = require('n8n-core');
const { Workflow, createRunExecutionData } = require('n8n-workflow');

/**
 * @param {object} data the credential's data, as the dialog holds it
 * @param {string} [TYPE] the credential type: piopiyApi (the default) or piopiyTokenApi
 * @returns {Promise<{status: 'OK'|'Error', message: string}>}
 */
async function testCredential(data, TYPE = CREDENTIAL_TYPE) {
	const { credentialTypes } = await piopiyPackage();
	const type = credentialTypes[TYPE];
	const defaults = Object.fromEntries(type.properties.map((property) => [property.name, property.default]));
	const credentials = { ...defaults, ...data };

	const nodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Stands in for the node n8n builds around a credential test request',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: TYPE, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: type.test.request }, default: '' }],
		},
	};
	const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [TYPE]: CREDENTIAL },
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor({
		hooks: undefined,
		executionId: 'credential-test',
		credentialsHelper: new CredentialsStore(credentialTypes, {}),
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routing = new RoutingNode(context, nodeType, { ...CREDENTIAL, type: TYPE, data: credentials });

	const rules = type.test.rules ?? [];
	let response;
	try {
		response = await routing.runNode();
	} catch (error) {
		const answer = error.cause?.response;
		if (answer) {
			const rule = rules.find((r) => r.type === 'responseCode' && r.properties.value === answer.status);
			if (rule) return { status: 'Error', message: rule.properties.message };
			if (answer.status < 199 || answer.status > 299) {
				return { status: 'Error', message: answer.statusText || `Received HTTP status code: ${answer.status}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}
	const json = response[0][0].json;
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody' && getPath(json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

function getPath(value, path) {
	return path.split('.').reduce((current, key) => (current == null ? undefined : current[key]), value);
}

module.exports = { testCredential };
