'use strict';
/**
 * Runs workflows that use this package inside n8n's real execution engine, in-process: the package
 * is loaded by n8n-core's own PackageDirectoryLoader (its package.json "n8n" field, class names,
 * codex, credentials) and executed by WorkflowExecute. Only the parts of n8n's server around the
 * engine are provided here: a credentials store that applies a credential's `authenticate` as the
 * server does, and the lifecycle hook that hands back the finished run.
 *
 * Used by the tests, `npm run demo` and the benchmark.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_LOG_LEVEL ??= 'silent';

// n8n-core writes its settings (and a new encryption key) under the user folder on import:
// keep that out of the user's home.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-piopiy-'));
}

const { PackageDirectoryLoader, WorkflowExecute, ExecutionLifecycleHooks } = require('n8n-core');
const { Workflow, NodeHelpers, ICredentialsHelper, createRunExecutionData } = require('n8n-workflow');

const PACKAGE_DIR = path.resolve(__dirname, '..');

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

/** Applies a credential type's generic `authenticate` block, as n8n's server-side CredentialsHelper does. */
class CredentialsStore extends ICredentialsHelper {
	constructor(credentialTypes, credentials) {
		super();
		this.credentialTypes = credentialTypes;
		this.credentials = credentials;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = this.credentialTypes[typeName];
		const authenticate = type.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		for (const [outerKey, properties] of Object.entries(authenticate.properties)) {
			const target = { ...(requestOptions[outerKey] ?? {}) };
			for (const [key, value] of Object.entries(properties)) {
				// n8n's server sends a generic block's values as text (seen in n8n 2.41.1: an app id
				// of 2222226 arrived as "2222226"); do the same so tests cannot pass on a number.
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				target[key] = resolved === undefined || resolved === null ? resolved : String(resolved);
			}
			requestOptions[outerKey] = target;
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials() {
		throw new Error('not used in these runs');
	}
	async getDecrypted(_additionalData, nodeCredentials, type) {
		// Counted: n8n's server reads and decrypts the stored credential on each of these calls.
		this.reads = (this.reads ?? 0) + 1;
		const data = this.credentials[nodeCredentials.id ?? type] ?? this.credentials[type];
		if (!data) throw new Error(`No credentials of type "${type}" were given to the run`);
		// Defaults of the credential type fill fields a user left empty, as in n8n.
		const defaults = Object.fromEntries(this.getCredentialsProperties(type).map((p) => [p.name, p.default]));
		return { ...defaults, ...data };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type) {
		return this.credentialTypes[type]?.properties ?? [];
	}
}

/**
 * Loads the built package the way n8n loads an installed community package.
 * @returns {Promise<{loader, nodeTypes, credentialTypes, run: Function}>}
 */
async function loadPackage(packageDir = PACKAGE_DIR, { extraNodeTypes = {} } = {}) {
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();

	// extraNodeTypes: stand-ins for nodes of n8n-nodes-base a test needs (see scripts/harness-nodes.js).
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
		/** Serves a workflow's trigger on a local HTTP server, as n8n's webhook server does; see scripts/webhook-server.js. */
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
 * @param {(run: {cancel: () => void}) => void} [spec.whileRunning] called once the run has started, with a way to stop it
 * @returns {Promise<{run, runData, error, output: (nodeName, outputIndex?) => object[]}>}
 */
async function runWorkflow({ nodeTypes, credentialTypes }, spec) {
	const inputNode = {
		id: 'input',
		name: 'Input',
		type: INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodes = [inputNode, ...spec.nodes.map((node, index) => ({ position: [250 * (index + 1), 0], ...node }))];
	const connections = spec.connections ?? chain(nodes);

	const workflowData = {
		id: `wf-${++executionCounter}`,
		name: spec.name ?? 'test',
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes, staticData: {} });

	const executionId = String(executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const finished = new Promise((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));

	const credentialsHelper = new CredentialsStore(credentialTypes, spec.credentials ?? {});
	const additionalData = additionalDataFor({ hooks, executionId, credentialsHelper });


	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: inputNode,
					data: { main: [spec.items.map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	let returned;
	try {
		const running = execution.processRunExecutionData(workflow);
		// What n8n does when a user stops the run (the editor's Stop button): cancel it.
		spec.whileRunning?.({ cancel: () => running.cancel() });
		returned = await running;
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have issues (a required field left empty):
		// the editor shows that error without running anything.
		return { run: undefined, runData: {}, error, output: () => [], nodeError: () => undefined };
	}
	const run = (await finished) ?? returned;
	const runData = run.data.resultData.runData;

	return {
		run,
		runData,
		error: run.data.resultData.error,
		/** How many times the run read (and, in n8n, decrypted) a stored credential. */
		credentialReads: credentialsHelper.reads ?? 0,
		/** The JSON items a node put out on one of its outputs (last run of that node). */
		output(nodeName, outputIndex = 0) {
			const taskData = runData[nodeName]?.at(-1);
			return taskData?.data?.main?.[outputIndex] ?? [];
		},
		/** The error a node stopped with, if it did. */
		nodeError(nodeName) {
			return runData[nodeName]?.at(-1)?.error;
		},
	};
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

/**
 * What n8n's server hands the engine besides the workflow: the run's hooks and credentials, and the
 * URLs and services a node may ask for (none of those services is used by this package).
 */
function additionalDataFor({ hooks, executionId, credentialsHelper }) {
	return {
		hooks,
		executionId,
		credentialsHelper,
		variables: {},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		restartExecutionId: undefined,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('code runners are not used here');
		},
	};
}

function chain(nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

/**
 * Runs a workflow that starts with a webhook trigger (the Piopiy Trigger) for one request: serves
 * it on 127.0.0.1, POSTs `request.body` as JSON to its URL (with `request.query`), and returns the
 * HTTP answer and what happened in n8n (the trigger's result and the run of the rest).
 * @returns {Promise<{status, headers, body, raw, ms, execution}>}
 */
async function runWebhook(loaded, spec, request = {}) {
	const server = await serveWebhook(loaded, spec);
	try {
		const url = new URL(server.url);
		for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
		const handled = server.nextExecution();
		const { postWebhook } = require('../simulator/piopiy-simulator');
		const answer = await postWebhook(url.toString(), request.body ?? {});
		return { ...answer, execution: await handled };
	} finally {
		await server.stop();
	}
}

function serveWebhook(loaded, spec) {
	return require('./webhook-server').serveWebhook(loaded, spec);
}

module.exports = {
	loadPackage,
	runWorkflow,
	runWebhook,
	serveWebhook,
	exampleAsRun,
	additionalDataFor,
	CredentialsStore,
	PACKAGE_DIR,
};
