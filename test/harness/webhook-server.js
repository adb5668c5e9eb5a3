'use strict';
/**
 * Serves a workflow's trigger node (a node with `webhooks` and a `webhook()` method, such as the
 * Piopiy Trigger) on a real HTTP server on 127.0.0.1, in-process, the way n8n's webhook server runs
 * it: each request reaches the node's `webhook()` through n8n-core's own WebhookContext, with an
 * express-like request and response; what the node returns then drives the response and the run
 * of the rest of the workflow in n8n-core's WorkflowExecute.
 *
 * The response handling around the node follows n8n 2.41's webhook-helpers (n8n's server is not a
 * dependency here): the response mode is read from the webhook description; "onReceived" answers
 * when the run starts (unless the node answered itself), "responseNode" answers with what a node
 * sends through `sendResponse` (n8n's Respond to Webhook does that), "lastNode" with the first item
 * of the last node; a failed run gets HTTP 500 {"message": "Error in workflow"} if nothing has
 * answered yet. The real server is exercised by the e2e tests (test/e2e).
 */
const http = require('node:http');

const { connectInOrder, prepareExecution, runResult } = require('./host');
const { postWebhook } = require('../../simulator/piopiy-simulator');

const { WebhookContext } = require('n8n-core');

let counter = 0;

/**
 * @param {{nodeTypes, credentialTypes}} loaded  what engine.loadPackage returned
 * @param {object} spec
 * @param {object[]} spec.nodes the workflow's nodes; the trigger is `spec.trigger` (by name) or the first node
 * @param {object} [spec.connections] by default each node feeds the next
 * @param {object} [spec.credentials] credential data by credential id or type
 * @param {string} [spec.trigger]
 * @param {string} [spec.mode] 'webhook' (production URL, default) or 'manual' (test URL)
 * @returns {Promise<WebhookServer>}
 */
async function serveWebhook(loaded, spec) {
	const { nodeTypes } = loaded;
	const nodes = spec.nodes.map((node, index) => ({ id: `node-${index}`, typeVersion: 1, position: [250 * index, 0], ...node }));
	const trigger = spec.trigger ? nodes.find((node) => node.name === spec.trigger) : nodes[0];
	if (!trigger) throw new Error(`No trigger node "${spec.trigger}"`);
	trigger.webhookId ??= `webhook-${++counter}`;
	const connections = spec.connections ?? connectInOrder(nodes);
	const mode = spec.mode ?? 'webhook';

	const executions = [];
	const waiting = [];
	const sockets = new Set();

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) {
				res.statusCode = 500;
				res.end(JSON.stringify({ message: error.message }));
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	async function handle(req, res) {
		const started = Date.now();
		const raw = await readBody(req);
		const request = expressRequest(req, raw);
		const response = expressResponse(res);
		const record = {
			request: { method: req.method, path: request.path, query: request.query, body: request.body, headers: req.headers },
			response: undefined,
			started,
			webhookResult: undefined,
			error: undefined,
			run: undefined,
			/** Set when the workflow ran; undefined when the trigger did not start it. */
			result: undefined,
		};
		res.on('finish', () => {
			record.response = { status: res.statusCode, ms: Date.now() - started };
		});

		const executionId = `webhook-${++counter}`;
		const execution = prepareExecution(loaded, {
			workflow: { id: spec.workflowId ?? 'wf-webhook', name: spec.name ?? 'webhook test', nodes, connections, active: mode !== 'manual' },
			mode,
			executionId,
			credentials: spec.credentials,
		});
		const { workflow, hooks, additionalData } = execution;
		const node = workflow.getNode(trigger.name);
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const description = nodeType.description.webhooks[0];
		additionalData.httpRequest = request;
		additionalData.httpResponse = response;

		const webhookData = {
			httpMethod: req.method,
			node: node.name,
			path: spec.path ?? '',
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			isTest: mode === 'manual',
		};
		const keys = { $executionId: executionId };
		const evaluate = (value, fallback) =>
			value === undefined ? fallback : workflow.expression.getSimpleParameterValue(node, value, mode, keys, undefined, fallback);
		const responseMode = evaluate(description.responseMode, 'onReceived');
		const responseData = evaluate(description.responseData, 'firstEntryJson');
		const responsePropertyName = evaluate(description.responsePropertyName, undefined);

		let responded = false;
		const respond = (status, body) => {
			if (responded) return;
			responded = true;
			response.status(status);
			if (typeof body === 'string') response.send(body);
			else response.json(body);
		};
		/** Ends the request early: answers (unless something already did) and files the record. */
		const finish = (status, body, error) => {
			record.error = error;
			respond(status, body);
			settle(record);
		};

		let result;
		try {
			const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
			result = await nodeType.webhook.call(context);
		} catch (error) {
			return finish(500, { message: 'Workflow Webhook Error: Workflow could not be started!' }, error);
		}
		record.webhookResult = result;
		if (result.noWebhookResponse) responded = true;
		if (result.workflowData === undefined) return finish(200, result.webhookResponse ?? { message: 'Webhook call received' });

		if (responseMode === 'responseNode') {
			hooks.addHandler('sendResponse', (answer) => {
				// n8n's sendResponseNodeResponse: status, headers, then the body as JSON or text.
				if (responded) return;
				responded = true;
				if (answer.statusCode) response.status(answer.statusCode);
				for (const [name, value] of Object.entries(answer.headers ?? {})) response.set(name, value);
				if (Buffer.isBuffer(answer.body) || typeof answer.body === 'string') response.send(answer.body);
				else response.json(answer.body);
			});
		}
		if (responseMode === 'onReceived') respond(200, result.webhookResponse ?? { message: 'Workflow was started' });

		let run;
		try {
			run = await execution.execute(node, result.workflowData);
		} catch (error) {
			return finish(500, { message: 'Error in workflow' }, error);
		}
		record.run = run;
		record.result = runResult(run);

		const lastNode = run.data.resultData.lastNodeExecuted;
		const lastTask = lastNode ? run.data.resultData.runData[lastNode]?.at(-1) : undefined;
		if (run.data.resultData.error || lastTask?.error) {
			respond(500, { message: 'Error in workflow' });
		} else if (responseMode === 'responseNode') {
			respond(200, undefined);
		} else if (responseMode === 'lastNode') {
			const first = lastTask?.data?.main?.find((branch) => branch && branch.length > 0)?.[0];
			if (!first) respond(200, { message: 'Workflow executed successfully but the last node did not return any data' });
			else if (responseData === 'noData') respond(200, undefined);
			else if (responseData === 'allEntries') respond(200, lastTask.data.main[0].map((item) => item.json));
			else respond(200, responsePropertyName ? getPath(first.json, responsePropertyName) : first.json);
		}
		settle(record);
	}

	let taken = 0;
	function settle(record) {
		executions.push(record);
		const next = waiting.shift();
		if (next) next();
	}

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const base = `http://127.0.0.1:${server.address().port}`;

	/** @typedef {object} WebhookServer */
	return {
		/** The URL to give Piopiy (any path reaches the trigger; add ?token=... as needed). */
		url: `${base}/webhook/${spec.path ?? trigger.webhookId}`,
		base,
		/** Every request handled, in order: {request, response, webhookResult, run, result, error}. */
		executions,
		/** Resolves with the next handled request not yet taken by an earlier call (waits for it if needed). */
		nextExecution(timeoutMs = 10000) {
			if (executions.length > taken) return Promise.resolve(executions[taken++]);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('No webhook request was handled in time')), timeoutMs);
				waiting.push(() => {
					clearTimeout(timer);
					resolve(executions[taken++]);
				});
			});
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
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
		const answer = await postWebhook(url.toString(), request.body ?? {});
		return { ...answer, execution: await handled };
	} finally {
		await server.stop();
	}
}

/** The request as n8n's webhook server hands it over: express-like, body already parsed (JSON, form). */
function expressRequest(req, raw) {
	const url = new URL(req.url, 'http://127.0.0.1');
	const query = {};
	for (const [key, value] of url.searchParams) {
		if (key in query) query[key] = [].concat(query[key], value);
		else query[key] = value;
	}
	const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	let body = {};
	if (raw.length > 0) {
		if (contentType === 'application/json') {
			try {
				body = JSON.parse(raw);
			} catch {
				body = {};
			}
		} else if (contentType === 'application/x-www-form-urlencoded') {
			body = Object.fromEntries(new URLSearchParams(raw));
		} else {
			body = raw;
		}
	}
	return Object.assign(req, { body, query, params: {}, path: url.pathname, contentType, rawBody: Buffer.from(raw) });
}

/** The http response with the few express methods n8n's server and nodes use. */
function expressResponse(res) {
	return Object.assign(res, {
		status(code) {
			res.statusCode = code;
			return res;
		},
		set(name, value) {
			res.setHeader(name, value);
			return res;
		},
		header(name, value) {
			res.setHeader(name, value);
			return res;
		},
		json(body) {
			if (!res.getHeader('content-type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
			return res.send(body === undefined ? '' : JSON.stringify(body));
		},
		send(body) {
			if (body !== undefined && body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return res.json(body);
			const payload = body === undefined || body === null ? '' : body;
			if (typeof payload === 'string' && !res.getHeader('content-type')) res.setHeader('Content-Type', 'text/html; charset=utf-8');
			res.setHeader('Content-Length', Buffer.byteLength(payload));
			res.end(payload);
			return res;
		},
	});
}

function getPath(object, path) {
	return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

module.exports = { serveWebhook, runWebhook };
