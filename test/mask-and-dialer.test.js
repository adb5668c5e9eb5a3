'use strict';
const { runPiopiy, useSimulator, makeCallBody, APP_SECRET } = require('./support/piopiy');

describe('Mask Call', () => {
	const fixture = useSimulator();

	test('one customer: the body the SDK sends, to the India endpoint, answer passed through', async () => {
		const run = await runPiopiy({
			url: fixture.url,
			parameters: {
				operation: 'maskCall',
				agentNumber: '914471000000',
				callerId: '918888888888',
				customerNumbers: '919876543210',
				options: { duration: 10, timeout: 20, loop: 1 },
			},
		});
		expect(run.error).toBeUndefined();
		expect(fixture.sim.requests).toHaveLength(1);
		const [request] = fixture.sim.requests;
		expect(request.path).toBe('/v2/ind_pcmo_make_call');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual(
			makeCallBody({ to: 914471000000, from: 918888888888, connect: [919876543210], duration: 10, timeout: 20, loop: 1 }),
		);
		expect(run.items).toEqual([
			{
				json: {
					data: { status: 'progress' },
					status: 'progress',
					request_id: fixture.sim.calls[0].request_id,
					cmi_code: 200,
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});
