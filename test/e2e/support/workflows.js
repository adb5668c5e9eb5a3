'use strict';
/**
 * The workflows the e2e creates through n8n's public API, shaped like what users build: a CRM (or
 * any system) POSTs JSON to an n8n Webhook, the Piopiy node places the call with numbers mapped by
 * expressions from that body, and the webhook answers with the node's output items.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { NODE_TYPE, CREDENTIAL_TYPE } = require('../../harness/constants');

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

function webhookNode(name, path) {
	return {
		id: crypto.randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

function piopiyNode(name, parameters, credential, position = [440, 0]) {
	return {
		id: crypto.randomUUID(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: credential },
	};
}

function chain(...nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

/** Settings that keep every execution, so the tests can read the run data of failures too. */
const SETTINGS = { executionOrder: 'v1', saveDataErrorExecution: 'all', saveDataSuccessExecution: 'all', saveManualExecutions: true };

/**
 * Webhook -> Piopiy Mask Call. The CRM's deal-owner is the agent, the contact's phones are the
 * customers, the company's Piopiy number is the caller ID, the deal id rides along in Extra Params.
 */
function maskCallWorkflow({ path, credential, name = 'CRM deal -> Piopiy Mask Call' }) {
	const hook = webhookNode('CRM webhook', path);
	const call = piopiyNode(
		'Call the contact',
		{
			operation: 'maskCall',
			agentNumber: '={{ $json.body.owner.phone }}',
			callerId: '={{ $json.body.company.piopiy_number }}',
			customerNumbers: '={{ $json.body.contact.phones }}',
			options: { extraParams: '={{ JSON.stringify({ deal_id: $json.body.deal.id }) }}' },
		},
		credential,
	);
	return { name, nodes: [hook, call], connections: chain(hook, call), settings: SETTINGS };
}

/**
 * Webhook -> Split Out (one item per lead) -> Piopiy Dialer Call: each lead's phone is dialled
 * first, then the campaign's agents ring as a group.
 */
function dialerCallWorkflow({ path, credential, name = 'CRM campaign -> Piopiy Dialer Call' }) {
	const hook = webhookNode('Campaign webhook', path);
	const split = {
		id: crypto.randomUUID(),
		name: 'One item per lead',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: 'body.leads', options: {} },
	};
	const call = piopiyNode(
		'Dial the lead',
		{
			operation: 'dialerCall',
			customerNumber: '={{ $json.phone }}',
			piopiyNumber: "={{ $('Campaign webhook').item.json.body.piopiy_number }}",
			agentNumbers: "={{ $('Campaign webhook').item.json.body.agents }}",
			options: {
				ringType: 'group',
				loop: 2,
				timeout: 20,
				duration: 600,
				extraParams: '={{ JSON.stringify({ lead_id: $json.id }) }}',
			},
		},
		credential,
		[440, 0],
	);
	return { name, nodes: [hook, split, call], connections: chain(hook, split, call), settings: SETTINGS };
}

/**
 * An example workflow of examples/ (a file name, or the workflow itself), its Piopiy credential
 * references pointed at `credential`, changed by `edit`, then created and activated through the
 * public API. Resolves to the workflow's id.
 */
async function activateExample(client, file, credential, edit = () => {}) {
	const example = typeof file === 'string' ? JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) : file;
	for (const node of example.nodes) {
		if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
	}
	edit(example);
	const created = await client.api('POST', '/workflows', {
		name: example.name,
		nodes: example.nodes,
		connections: example.connections,
		settings: { executionOrder: 'v1' },
	});
	await client.api('POST', `/workflows/${created.id}/activate`);
	// n8n registers the production webhooks as it activates; give it a moment to settle (2 s: one 404
	// was seen after 1 s on a loaded machine).
	await new Promise((resolve) => setTimeout(resolve, 2000));
	return created.id;
}

module.exports = { maskCallWorkflow, dialerCallWorkflow, activateExample, webhookNode, piopiyNode, chain, SETTINGS };
