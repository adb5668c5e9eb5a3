'use strict';
/**
 * The parts of n8n's server around its engine, which the workflow runner (engine.js) and the webhook
 * server (webhook-server.js) both need: n8n-core's environment, a credentials store that applies a
 * credential's `authenticate` as the server does, the `additionalData` the server hands the engine,
 * and one execution prepared as the server prepares it (workflow, lifecycle hooks, WorkflowExecute).
 * Requires nothing of the harness, so the two can share it without requiring each other.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_LOG_LEVEL ??= 'silent';

// n8n-core writes its settings (and a new encryption key) under the user folder on import:
// keep that out of the user's home. This must run before anything requires n8n-core.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-piopiy-'));
}

const { WorkflowExecute, ExecutionLifecycleHooks } = require('n8n-core');
const { Workflow, ICredentialsHelper, createRunExecutionData } = require('n8n-workflow');

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

/** Connections in which each node feeds the next. */
function connectInOrder(nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

/**
 * One execution, prepared as n8n's server prepares it: the workflow, its lifecycle hooks (the finished
 * run arrives through `workflowExecuteAfter`) and the additionalData with the run's credentials.
 * @param {{nodeTypes, credentialTypes}} loaded  what engine.loadPackage returned
 * @param {object} spec
 * @param {{id, name, nodes, connections, active}} spec.workflow
 * @param {'manual'|'webhook'} spec.mode
 * @param {string} spec.executionId
 * @param {object} [spec.credentials] credential data by credential id or type
 * @returns {{workflow, workflowData, hooks, additionalData, execute: (node, main) => Promise<object>}}
 */
function prepareExecution({ nodeTypes, credentialTypes }, { workflow: { id, name, nodes, connections, active }, mode, executionId, credentials }) {
	const workflowData = {
		id,
		name,
		nodes,
		connections,
		active,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes, staticData: {} });
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const finished = new Promise((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const additionalData = additionalDataFor({
		hooks,
		executionId,
		credentialsHelper: new CredentialsStore(credentialTypes, credentials ?? {}),
	});
	return {
		workflow,
		workflowData,
		hooks,
		additionalData,
		/**
		 * Runs the workflow from `node`, fed with `main` (its input, by input index); resolves to the finished run.
		 * `cancelAfterMs`: the user stops the run then, as with the editor's Stop button.
		 * `whileRunning`: called once the run has started, with `{cancel}` to stop it at a moment of the test's choosing.
		 */
		async execute(node, main, { cancelAfterMs, whileRunning } = {}) {
			const runExecutionData = createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node, data: { main }, source: null }] },
			});
			const running = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
			let cancelled = false;
			const cancel = () => {
				cancelled = true;
				running.cancel();
			};
			if (cancelAfterMs !== undefined) setTimeout(cancel, cancelAfterMs);
			whileRunning?.({ cancel });
			const returned = await running;
			// A cancelled run reports itself finished at once; what its nodes did after is in the run returned.
			return cancelled ? returned : ((await finished) ?? returned);
		},
		/** How many times the run read (in n8n: fetched and decrypted) a stored credential. */
		get credentialReads() {
			return additionalData.credentialsHelper.reads ?? 0;
		},
	};
}

/** A finished run, with the JSON items a node put out and the error it stopped with. */
function runResult(run) {
	const runData = run.data.resultData.runData;
	return {
		run,
		runData,
		error: run.data.resultData.error,
		/** The items a node put out on one of its outputs (last run of that node), as {json, pairedItem}. */
		output(nodeName, outputIndex = 0) {
			return runData[nodeName]?.at(-1)?.data?.main?.[outputIndex] ?? [];
		},
		/** The error a node stopped with, if it did. */
		nodeError(nodeName) {
			return runData[nodeName]?.at(-1)?.error;
		},
	};
}

module.exports = { CredentialsStore, additionalDataFor, connectInOrder, prepareExecution, runResult };
