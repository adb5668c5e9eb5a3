'use strict';
/**
 * The example workflows in examples/ (what the demo runs and users import) still do what the README
 * says: run in n8n's engine, fed with their trigger's pinned data.
 */
const fs = require('node:fs');
const path = require('node:path');

const { exampleAsRun } = require('./harness/engine');
const { piopiyPackage, useSimulator } = require('./harness/piopiy');
const { APP_ID, APP_SECRET } = require('./harness/constants');

const examples = path.join(__dirname, '..', 'examples');
const load = (file) => JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8'));

async function runExample(file, url) {
	const pkg = await piopiyPackage();
	const run = exampleAsRun(load(file));
	return { run, result: await pkg.run({ ...run, credentials: { 'piopiy-local': { appId: APP_ID, appSecret: APP_SECRET, baseUrl: url } } }) };
}

describe('examples', () => {
	const fixture = useSimulator();

	test('every example is an importable n8n workflow using this package', () => {
		for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.json'))) {
			const example = load(file);
			expect(typeof example.name).toBe('string');
			expect(example.nodes.some((node) => node.type.startsWith('n8n-nodes-piopiy.'))).toBe(true);
		}
	});

	test('crm-contacts-mask-call: two leads called, the lead with a typo reported, nothing lost', async () => {
		const { result } = await runExample('crm-contacts-mask-call.json', fixture.url);
		expect(fixture.sim.requests.map((r) => [r.body.to, r.body.pcmo[0].connect.map((c) => c.number), r.body.extra_params])).toEqual([
			[919999900001, [919876543210], { leadId: 'L-1042', owner: 'ravi@example.com' }],
			[919999900002, [919700011111, 919700022222], { leadId: 'L-1043', owner: 'meena@example.com' }],
		]);
		const items = result.output('Call lead (masked)');
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
		expect(items[0].json.request_id).toBe(fixture.sim.calls[0].request_id);
		expect(items[1].json.request_id).toBe(fixture.sim.calls[1].request_id);
		expect(items[2].json.error).toBe(
			'Invalid Customer Numbers (number 1) in item 2: "98765" has 5 digits: a phone number has 7 to 15 digits with its country code first',
		);
	});

	test('dialer-agent-group: the customer dialled first, three agents rung as a group', async () => {
		const { result } = await runExample('dialer-agent-group.json', fixture.url);
		expect(fixture.sim.requests).toHaveLength(1);
		const { path: endpoint, body } = fixture.sim.requests[0];
		expect(endpoint).toBe('/v2/global_pcmo_make_call');
		expect(body.to).toBe(14155550100);
		expect(body.pcmo[0]).toMatchObject({ ring_type: 'group', timeout: 20, loop: 2, duration: 900 });
		expect(result.output('Dial customer, ring team')[0].json.cmi_code).toBe(200);
	});
});

/** Issue 10: the examples for an API Token credential (their credential id has "v3"). */
describe('examples with an API Token credential (v3)', () => {
	const { API_TOKEN, useV3Simulator, v3Credentials } = require('./harness/v3');
	const fixture = useV3Simulator();

	async function runV3Example(file) {
		const pkg = await piopiyPackage();
		const run = exampleAsRun(load(file));
		expect(run.nodes.map((node) => node.credentials?.piopiyApi?.id).filter(Boolean)).toEqual(['piopiy-v3-local']);
		return pkg.run({ ...run, credentials: { 'piopiy-v3-local': v3Credentials(fixture.url) } });
	}

	test('v3-mask-call: the rider rung first, connected to the customer, the order as variables', async () => {
		const result = await runV3Example('v3-mask-call.json');
		expect(fixture.sim.requests).toHaveLength(1);
		const [request] = fixture.sim.requests;
		expect(request.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
		expect([request.path, request.body]).toEqual([
			'/v3/voice/pcmo/call',
			{
				caller_id: '918040000000',
				to_number: '919876543210',
				app_id: String(APP_ID),
				pipeline: [
					{
						action: 'connect',
						params: { caller_id: '918040000000', strategy: 'sequential', options: { max_duration_sec: 600, ring_timeout_sec: 30 } },
						endpoints: [{ type: 'pstn', number: '919700011111' }],
					},
				],
				variables: { order_id: 'ORD-7781', rider_id: 'R-12' },
			},
		]);
		expect(result.output('Connect rider and customer')[0].json).toEqual({ message: 'call_queued', call_id: fixture.sim.calls[0].call_id });
	});

	test('v3-ai-agent-lead-callback: each lead called back by the AI agent with its details; the bad number reported', async () => {
		const result = await runV3Example('v3-ai-agent-lead-callback.json');
		expect(fixture.sim.requests.map((r) => [r.path, r.body.to_number, r.body.variables, r.body.pipeline[0].endpoints.map((e) => e.id)])).toEqual([
			['/v3/voice/pcmo/call', '919876543210', { lead_name: 'Asha Verma', interest: 'home loan', lead_id: 'L-2201' }, ['bdd32bcb-767c-40a5-be4a-5f45eeb348a6', '2f2ae3ad-7ff6-4011-b10e-9ca1f8f8d1a2']],
			['/v3/voice/pcmo/call', '14155550100', { lead_name: 'Ravi Kumar', interest: 'car insurance', lead_id: 'L-2202' }, ['bdd32bcb-767c-40a5-be4a-5f45eeb348a6', '2f2ae3ad-7ff6-4011-b10e-9ca1f8f8d1a2']],
		]);
		const items = result.output('AI agent calls the lead back');
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
		expect(items[0].json.call_id).toBe(fixture.sim.calls[0].call_id);
		expect(items[2].json.error).toBe(
			'Invalid Customer Number in item 2: "0 98765" starts with 0: write it with its country code first, e.g. 919876543210 rather than 09876543210',
		);
	});
});
