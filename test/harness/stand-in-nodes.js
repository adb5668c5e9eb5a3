'use strict';
/**
 * Small stand-ins for nodes of n8n-nodes-base (not installed here) that the trigger tests and the demo need
 * around the Piopiy Trigger, written against the same n8n-workflow API the real ones use:
 * - harness.respond: what n8n's Respond to Webhook node does, `this.sendResponse({body, headers, statusCode})`;
 * - harness.set: each item becomes the JSON of its `json` parameter (an expression), like a Set node;
 * - harness.fail: stops the workflow with an error, like any node that fails;
 * - harness.delay: waits `ms`, like a Wait node or a slow CRM look-up.
 * Real n8n with the real nodes is exercised by test/e2e.
 */
const { NodeOperationError, sleep } = require('n8n-workflow');

const base = (name, properties) => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: name,
	defaults: { name },
	inputs: ['main'],
	outputs: ['main'],
	properties,
});

class Respond {
	constructor() {
		this.description = base('respond', [
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'Status', name: 'statusCode', type: 'number', default: 200 },
		]);
	}
	async execute() {
		let body = this.getNodeParameter('body', 0);
		if (typeof body === 'string' && body.trim() !== '') {
			try {
				body = JSON.parse(body);
			} catch {
				// sent as text, as Respond to Webhook's "Text" mode does
			}
		}
		await this.sendResponse({ body, headers: {}, statusCode: this.getNodeParameter('statusCode', 0) });
		return [this.getInputData()];
	}
}

class SetJson {
	constructor() {
		this.description = base('set', [{ displayName: 'JSON', name: 'json', type: 'json', default: '{}' }]);
	}
	async execute() {
		return [
			this.getInputData().map((_, index) => {
				const value = this.getNodeParameter('json', index);
				return { json: typeof value === 'string' ? JSON.parse(value) : value, pairedItem: { item: index } };
			}),
		];
	}
}

class Fail {
	constructor() {
		this.description = base('fail', [{ displayName: 'Message', name: 'message', type: 'string', default: 'failed' }]);
	}
	async execute() {
		throw new NodeOperationError(this.getNode(), this.getNodeParameter('message', 0));
	}
}

class Delay {
	constructor() {
		this.description = base('delay', [{ displayName: 'Ms', name: 'ms', type: 'number', default: 0 }]);
	}
	async execute() {
		await sleep(this.getNodeParameter('ms', 0));
		return [this.getInputData()];
	}
}

const STAND_IN_NODE_TYPES = {
	'harness.respond': new Respond(),
	'harness.set': new SetJson(),
	'harness.fail': new Fail(),
	'harness.delay': new Delay(),
};

module.exports = { STAND_IN_NODE_TYPES };
