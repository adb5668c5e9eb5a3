'use strict';
/**
 * What the e2e tests send and expect, shared by the single-process e2e (test/e2e) and the queue-mode
 * e2e (test/e2e-queue): CRM-shaped webhook bodies and the exact make-call bodies Piopiy must receive
 * for them; an inbound call and the answer the inbound-call-masking example gives it.
 */
const assert = require('node:assert/strict');

const { APP_ID, APP_SECRET } = require('../../harness/constants');

/** The body Piopiy's v2 make-call expects (docs/piopiy-api.md#2-make-call), credentials first as the SDK sends them. */
function makeCallBody({ to, from, connect, duration = 5400, timeout = 40, loop = 1, ringType, extraParams = {}, secret = APP_SECRET }) {
	const bridge = { action: 'bridge', from, connect: connect.map((number) => ({ type: 'pstn', number })), duration, timeout, loop };
	if (ringType) bridge.ring_type = ringType;
	return { appid: APP_ID, secret, extra_params: extraParams, from, duration, pcmo: [bridge], to };
}

function assertJsonPost(request) {
	assert.equal(request.method, 'POST');
	assert.match(String(request.headers['content-type']), /^application\/json/);
}

// A CRM's "deal moved to Demo booked" webhook: the owner calls the contact, masked.
const DEAL_EVENT = {
	event: 'deal.stage_changed',
	deal: { id: 'D-1042', title: 'Acme renewal', stage: 'demo_booked' },
	owner: { name: 'Asha Rao', email: 'asha@example.com', phone: '+91 98765 43210' },
	contact: { name: 'Ravi Kumar', phones: ['+91 90000-00001', '(91) 90000 00002'] },
	company: { name: 'Acme India', piopiy_number: '+91 80 4000 0000' },
};

const MASK_EXPECTED = makeCallBody({
	to: 919876543210,
	from: 918040000000,
	connect: [919000000001, 919000000002],
	extraParams: { deal_id: 'D-1042' },
});

// A campaign tool's batch: dial each lead, route answered calls to the agents as a group.
const CAMPAIGN = {
	campaign: { id: 'C-7', name: 'Renewals Q3' },
	piopiy_number: '+1 917-000-0000',
	agents: ['+91 90000 00001', '+91 90000 00002'],
	leads: [
		{ id: 'L-1', name: 'Ann Lee', phone: '+1 (415) 555-0100' },
		{ id: 'L-2', name: 'Ravi Kumar', phone: '0091 98450 12345' },
	],
};

/** One lead of CAMPAIGN as Piopiy must receive it: the agents rung as a group, the lead's id riding along. */
const campaignCall = (path, to, leadId) => ({
	path,
	body: makeCallBody({
		to,
		from: 19170000000,
		connect: [919000000001, 919000000002],
		duration: 600,
		timeout: 20,
		loop: 2,
		ringType: 'group',
		extraParams: { lead_id: leadId },
	}),
});

const DIALER_EXPECTED = [campaignCall('/v2/global_pcmo_make_call', 14155550100, 'L-1'), campaignCall('/v2/ind_pcmo_make_call', 919845012345, 'L-2')];

/**
 * The simulator received exactly CAMPAIGN's make-calls, each on its path and with its body. Matched by
 * the number dialled, not by arrival order: the node sends several at once (Max Requests in Flight).
 */
function assertCampaignRequests(sim) {
	assert.equal(sim.requests.length, DIALER_EXPECTED.length, `Piopiy received ${sim.requests.length} requests`);
	for (const expected of DIALER_EXPECTED) {
		const request = sim.requests.find((r) => r.body?.to === expected.body.to);
		assert.ok(request, `no request dialled ${expected.body.to}`);
		assertJsonPost(request);
		assert.equal(request.path, expected.path);
		assert.deepStrictEqual(request.body, expected.body);
	}
	assert.equal(sim.calls.length, DIALER_EXPECTED.length);
}

/** An inbound call as Piopiy posts it to the trigger's answer URL: a customer calling the company's number. */
const INBOUND = { from: '919876543210', to: '918044000000' };

/** What examples/inbound-call-masking.json answers to INBOUND: a greeting, the recording, both agents rung as a group. */
const INBOUND_MASKING_ANSWER = [
	{ action: 'speak', text: 'Thank you for calling Acme support. Please wait while we connect you.' },
	{ action: 'record' },
	{
		action: 'bridge',
		from: 918044000000,
		connect: [
			{ type: 'pstn', number: 919000000001 },
			{ type: 'pstn', number: 919000000002 },
		],
		duration: 5400,
		timeout: 25,
		loop: 1,
		ring_type: 'group',
	},
];

module.exports = {
	makeCallBody,
	assertJsonPost,
	assertCampaignRequests,
	DEAL_EVENT,
	MASK_EXPECTED,
	CAMPAIGN,
	DIALER_EXPECTED,
	INBOUND,
	INBOUND_MASKING_ANSWER,
};
