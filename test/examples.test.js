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
