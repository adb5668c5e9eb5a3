'use strict';
/**
 * What the e2e tests send and expect, shared by the single-process e2e (test/e2e) and the queue-mode
 * e2e (test/e2e-queue): CRM-shaped webhook bodies and the exact make-call bodies Piopiy must receive
 * for them.
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

const DIALER_EXPECTED = [
	{
		path: '/v2/global_pcmo_make_call',
		body: makeCallBody({
			to: 14155550100,
			from: 19170000000,
			connect: [919000000001, 919000000002],
			duration: 600,
			timeout: 20,
			loop: 2,
			ringType: 'group',
			extraParams: { lead_id: 'L-1' },
		}),
	},
	{
		path: '/v2/ind_pcmo_make_call',
		body: makeCallBody({
			to: 919845012345,
			from: 19170000000,
			connect: [919000000001, 919000000002],
			duration: 600,
			timeout: 20,
			loop: 2,
			ringType: 'group',
			extraParams: { lead_id: 'L-2' },
		}),
	},
];

module.exports = { makeCallBody, assertJsonPost, DEAL_EVENT, MASK_EXPECTED, CAMPAIGN, DIALER_EXPECTED };
