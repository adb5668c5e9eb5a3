'use strict';
/**
 * Issue 9 in a real n8n 2.41.1 (the e2e stack: this package from its `npm pack` tarball, the Piopiy
 * simulator, hostile servers, all on 127.0.0.1):
 * - the transport's bounds hold in n8n's own server, not only in the engine the unit tests run:
 *   a redirect is not followed, and a trickled answer ends at Request Options > Timeout;
 * - the Piopiy Trigger under a burst of inbound calls, answered by the workflow ("When Last Node
 *   Finishes", Answer Timeout 5 s): every call gets exactly one valid answer, and the time callers
 *   wait is measured and printed (p50/p99 for 25, 50 and 100 calls at once). The figures are not
 *   asserted: they depend on the machine. docs/performance.md records them, and the README's
 *   "Answer Timeout: what it bounds" says what they mean for a workflow.
 */
const crypto = require('node:crypto');
const http = require('node:http');

const { checkAction } = require('../../simulator/piopiy-simulator');
const { startStack } = require('./support/stack');
const { APP_ID, APP_SECRET } = require('../harness/constants');

jest.setTimeout(300_000);

const log = (line) => process.stderr.write(`[e2e] ${line}\n`);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let stack;
let hostile;
const servers = [];

/** One server on 127.0.0.1 whose answers `mode.answer(req, res)` decides, switched per test. */
async function hostileServer() {
	const state = { requests: [], answer: (_req, res) => res.end() };
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			state.requests.push({ method: req.method, url: req.url });
			state.answer(req, res);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push({ server, sockets });
	return { ...state, state, url: `http://127.0.0.1:${server.address().port}`, port: server.address().port };
}

beforeAll(async () => {
	// Jest sets NODE_ENV=test, and n8n 2.41.1 started with it exits at once (see trigger.test.js).
	delete process.env.NODE_ENV;
	stack = await startStack({ log: () => {} });
	hostile = await hostileServer();
}, 400_000);

afterAll(async () => {
	for (const { server, sockets } of servers) {
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => server.close(resolve));
	}
	await stack?.stop();
});

async function createWorkflow(workflow) {
	const created = await stack.client.api('POST', '/workflows', { settings: { executionOrder: 'v1' }, ...workflow });
	await stack.client.api('POST', `/workflows/${created.id}/activate`);
	return created.id;
}

/** POSTs to a production webhook, waiting (bounded) while n8n still registers it (404). */
async function post(path, body) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const started = Date.now();
		const response = await fetch(`${stack.n8n.url}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(120_000),
		});
		const text = await response.text();
		if (response.status !== 404 || Date.now() > deadline) return { status: response.status, json: JSON.parse(text), ms: Date.now() - started };
		await pause(250);
	}
}

describe('the transport in a real n8n', () => {
	test('a redirect is not followed and a trickled answer ends at the timeout', async () => {
		const credential = await stack.client.api('POST', '/credentials', {
			name: 'Piopiy (hostile server)',
			type: 'piopiyApi',
			data: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: hostile.url, callControlBaseUrl: hostile.url },
		});
		const hook = {
			id: crypto.randomUUID(),
			name: 'CRM webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: crypto.randomUUID(),
			parameters: { httpMethod: 'POST', path: 'hostile-call', responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		};
		const call = {
			id: crypto.randomUUID(),
			name: 'Call',
			type: 'n8n-nodes-piopiy.piopiy',
			typeVersion: 1,
			position: [300, 0],
			onError: 'continueRegularOutput',
			parameters: { operation: 'maskCall', agentNumber: '919999999999', callerId: '918000000000', customerNumbers: '917600000000', requestOptions: { timeout: 2 } },
			credentials: { piopiyApi: { id: credential.id, name: credential.name } },
		};
		await createWorkflow({ name: 'Hostile Piopiy', nodes: [hook, call], connections: { 'CRM webhook': { main: [[{ node: 'Call', type: 'main', index: 0 }]] } } });

		const elsewhere = await hostileServer();
		elsewhere.state.answer = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"request_id":"elsewhere","cmi_code":200}');
		};
		hostile.state.answer = (req, res) => {
			res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
			res.end();
		};
		const redirected = await post('hostile-call', {});
		expect(redirected.json).toEqual([
			expect.objectContaining({
				error: `Piopiy answered the call to 919999999999 with a redirect to 127.0.0.1:${elsewhere.port} (HTTP 307), which the node does not follow`,
			}),
		]);
		expect(elsewhere.state.requests).toHaveLength(0);
		expect(hostile.state.requests).toHaveLength(1);

		const body = '{"request_id":"trickled","cmi_code":200}';
		hostile.state.answer = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
			let at = 0;
			const timer = setInterval(() => {
				if (res.destroyed || at >= body.length) {
					clearInterval(timer);
					if (!res.destroyed) res.end();
					return;
				}
				res.write(body[at++]);
			}, 400);
			res.on('close', () => clearInterval(timer));
		};
		const trickled = await post('hostile-call', {});
		log(`trickled answer: the node gave up after ${trickled.ms} ms (Timeout 2 s; the trickle would take ${body.length * 0.4} s)`);
		expect(trickled.json).toEqual([expect.objectContaining({ error: 'No answer from Piopiy within 2 seconds for the call to 919999999999' })]);
		expect(trickled.ms).toBeLessThan(8000);
	});
});

describe('the Piopiy Trigger under a burst of inbound calls', () => {
	const FALLBACK = [{ action: 'speak', text: 'Sorry, we cannot take your call right now. Please try again later.' }, { action: 'hangup' }];

	function percentile(sorted, q) {
		return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
	}

	test('25, 50 and 100 calls at once, answered by the last node with a 5 s Answer Timeout: each gets one valid answer', async () => {
		const workflowId = await createWorkflow({
			name: 'Inbound burst',
			nodes: [
				{
					id: crypto.randomUUID(),
					name: 'Inbound call',
					type: 'n8n-nodes-piopiy.piopiyTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: crypto.randomUUID(),
					parameters: { events: ['inboundCall'], path: 'piopiy-burst', respond: 'lastNode', options: { answerTimeout: 5 } },
				},
				{
					id: crypto.randomUUID(),
					name: 'Answer',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [260, 0],
					parameters: {
						mode: 'raw',
						jsonOutput: "={{ JSON.stringify({ pcmo: [ { action: 'bridge', from: $json.to, connect: [ { type: 'pstn', number: '91900000' + $json.from.slice(-4) } ] } ] }) }}",
						options: {},
					},
				},
			],
			connections: { 'Inbound call': { main: [[{ node: 'Answer', type: 'main', index: 0 }]] } },
		});
		const url = `${stack.n8n.url}/webhook/piopiy-burst`;
		// One call first: n8n registers the webhook as it activates, and compiles on first use.
		const deadline = Date.now() + 30_000;
		while ((await stack.sim.answerInboundCall(url, { from: '919876500000', to: '918044000000' })).status === 404 && Date.now() < deadline) await pause(250);

		let calls = 1;
		const figures = [];
		for (const size of [25, 50, 100]) {
			const callers = Array.from({ length: size }, (_, i) => `9198765${String(10000 + calls + i).slice(-5)}`);
			calls += size;
			const answers = await Promise.all(callers.map((from) => stack.sim.answerInboundCall(url, { from, to: '918044000000' })));

			let fallbacks = 0;
			answers.forEach((answer, i) => {
				expect(answer.status).toBe(200);
				expect(answer.headers['content-type']).toMatch(/^application\/json/);
				for (const action of answer.body) expect(checkAction(action)).toBeUndefined();
				if (JSON.stringify(answer.body) === JSON.stringify(FALLBACK)) {
					fallbacks++;
				} else {
					// The workflow's own answer, for this caller and no other.
					expect(answer.body).toEqual([
						{ action: 'bridge', from: 918044000000, connect: [{ type: 'pstn', number: Number(`91900000${callers[i].slice(-4)}`) }], duration: 5400, timeout: 40, loop: 1 },
					]);
				}
			});
			const ms = answers.map((answer) => answer.ms).sort((a, b) => a - b);
			const line = `${size} calls at once: p50 ${percentile(ms, 0.5)} ms, p99 ${percentile(ms, 0.99)} ms, max ${ms.at(-1)} ms; ${fallbacks} answered with the fallback`;
			figures.push(line);
			log(line);
			await pause(2000);
		}
		log(`burst summary (When Last Node Finishes, Answer Timeout 5 s):\n  ${figures.join('\n  ')}`);

		// Each call started exactly one execution: no call was dropped or answered twice.
		const executions = await (async () => {
			const until = Date.now() + 60_000;
			for (;;) {
				const { data } = await stack.client.api('GET', `/executions?workflowId=${workflowId}&limit=250&includeData=false`);
				if (data.length >= calls && data.every((e) => e.finished || e.status === 'success' || e.status === 'error')) return data;
				if (Date.now() > until) return data;
				await pause(500);
			}
		})();
		expect(executions).toHaveLength(calls);
	});
});
