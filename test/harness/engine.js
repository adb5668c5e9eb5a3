'use strict';
/**
 * Runs workflows that use this package inside n8n's real execution engine, in-process: the package
 * is loaded by n8n-core's own PackageDirectoryLoader (its package.json "n8n" field, class names,
 * codex, credentials) and executed by WorkflowExecute. Only the parts of n8n's server around the
 * engine are provided (host.js): a credentials store that applies a credential's `authenticate` as
 * the server does, and the lifecycle hook that hands back the finished run.
 *
 * Used by the tests, `npm run demo` and the benchmark.
 */
const { connectInOrder, prepareExecution, runResult } = require('./host');
const { serveWebhook, runWebhook } = require('./webhook-server');
const { PACKAGE_DIR } = require('./constants');

const { PackageDirectoryLoader } = require('n8n-core');
const { NodeHelpers } = require('n8n-workflow');

/** A tiny trigger-less start node that hands its input items to the rest of the workflow. */
class ManualInput {
	constructor() {
		this.description = {
			displayName: 'Input',
			name: 'input',
			group: ['input'],
			version: 1,
			description: 'Hands the items given to the run to the next node',
			defaults: { name: 'Input' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		};
	}
	async execute() {
		return [this.getInputData()];
	}
}
const INPUT_TYPE = 'harness.input';

/**
 * Loads the built package the way n8n loads an installed community package.
 * @returns {Promise<{loader, nodeTypes, credentialTypes, run: Function}>}
 */
async function loadPackage(packageDir = PACKAGE_DIR, { extraNodeTypes = {} } = {}) {
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();

	// extraNodeTypes: stand-ins for nodes of n8n-nodes-base a test needs (see stand-in-nodes.js).
	const types = { [INPUT_TYPE]: new ManualInput(), ...extraNodeTypes };
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		types[`${loader.packageName}.${name}`] = type;
	}
	const nodeTypes = {
		getByName: (name) => lookup(types, name),
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(lookup(types, name), version),
		getKnownTypes: () => ({}),
	};
	const credentialTypes = Object.fromEntries(
		Object.entries(loader.credentialTypes).map(([name, { type }]) => [name, type]),
	);

	return {
		loader,
		packageName: loader.packageName,
		nodeTypes,
		credentialTypes,
		/** Runs a workflow; see runWorkflow. */
		run: (workflow) => runWorkflow({ nodeTypes, credentialTypes }, workflow),
		/** Serves a workflow's trigger on a local HTTP server, as n8n's webhook server does; see webhook-server.js. */
		serveWebhook: (workflow) => serveWebhook({ nodeTypes, credentialTypes }, workflow),
		/** Sends one request to a workflow's trigger and returns what came back; see runWebhook. */
		runWebhook: (workflow, request) => runWebhook({ nodeTypes, credentialTypes }, workflow, request),
	};
}

function lookup(types, name) {
	const type = types[name];
	if (!type) throw new Error(`Unknown node type "${name}"`);
	return type;
}

let executionCounter = 0;

/**
 * @param {{nodeTypes, credentialTypes}} loaded
 * @param {object} spec
 * @param {Array<object>} spec.nodes workflow nodes besides the input node (which is added, named "Input")
 * @param {object} [spec.connections] extra connections; by default Input -> the first node -> the next ...
 * @param {Array<object>} spec.items the JSON of the items the Input node hands on
 * @param {object} spec.credentials credential data by credential type or id, e.g. {piopiyApi: {...}}
 * @param {number} [spec.cancelAfterMs] stop the run this long after it starts (n8n's Stop button)
 * @param {(run: {cancel: () => void}) => void} [spec.whileRunning] called once the run has started, with a way to stop it
 * @returns {Promise<{run, runData, error, output: (nodeName, outputIndex?) => object[], nodeError, credentialReads}>}
 */
async function runWorkflow(loaded, spec) {
	const inputNode = {
		id: 'input',
		name: 'Input',
		type: INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodes = [inputNode, ...spec.nodes.map((node, index) => ({ position: [250 * (index + 1), 0], ...node }))];
	const id = `wf-${++executionCounter}`;
	const execution = prepareExecution(loaded, {
		workflow: { id, name: spec.name ?? 'test', nodes, connections: spec.connections ?? connectInOrder(nodes), active: false },
		mode: 'manual',
		executionId: String(executionCounter),
		credentials: spec.credentials,
	});
	let run;
	try {
		run = await execution.execute(inputNode, [spec.items.map((json) => ({ json }))], {
			cancelAfterMs: spec.cancelAfterMs,
			whileRunning: spec.whileRunning,
		});
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have issues (a required field left empty):
		// the editor shows that error without running anything.
		return { run: undefined, runData: {}, error, output: () => [], nodeError: () => undefined };
	}
	return { ...runResult(run), credentialReads: execution.credentialReads };
}

/**
 * Turns an exported n8n workflow (as in examples/) into a run: its trigger node is replaced by the
 * Input node, fed with the trigger's pinned data (what the trigger would have received).
 * @returns {{name, nodes, connections, items}}
 */
function exampleAsRun(example) {
	const targets = new Set(
		Object.values(example.connections).flatMap((c) => (c.main ?? []).flat().map((link) => link.node)),
	);
	const trigger = example.nodes.find((node) => !targets.has(node.name));
	const pinned = example.pinData?.[trigger.name];
	if (!pinned) throw new Error(`The example "${example.name}" has no pinned data for its trigger "${trigger.name}"`);
	const connections = {};
	for (const [from, links] of Object.entries(example.connections)) {
		connections[from === trigger.name ? 'Input' : from] = links;
	}
	return {
		name: example.name,
		trigger: trigger.name,
		nodes: example.nodes.filter((node) => node !== trigger),
		connections,
		items: pinned.map((item) => item.json),
	};
}

module.exports = { loadPackage, runWorkflow, exampleAsRun };
