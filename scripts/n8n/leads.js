'use strict';
/**
 * What the throughput benchmarks (scripts/benchmark-n8n.js, scripts/benchmark-helper.js) dial: a
 * list of leads, the simulator account they dial with, and the make-call body the Piopiy node sends
 * for a lead as a Dialer Call with default options, which the raw loop and the other nodes send too.
 */
const APP_ID = 2222226;
const APP_SECRET = 'bench-secret-n8n-4Kq';
const PIOPIY_NUMBER = 918000000000;
const AGENT_NUMBER = 919900000001;
const FIRST_LEAD = 917000000000;
const MAKE_CALL_PATH = '/v2/ind_pcmo_make_call';

function leadsOf(count) {
	return Array.from({ length: count }, (_, i) => ({ id: `L-${i}`, phone: String(FIRST_LEAD + i) }));
}

/** docs/piopiy-api.md section 2; with `extraParams`, the lead's id rides along in extra_params. */
function makeCallBody(lead, extraParams = false) {
	const bridge = {
		action: 'bridge',
		from: PIOPIY_NUMBER,
		connect: [{ type: 'pstn', number: AGENT_NUMBER }],
		duration: 5400,
		timeout: 40,
		loop: 1,
	};
	return {
		appid: APP_ID,
		secret: APP_SECRET,
		extra_params: extraParams ? { lead_id: lead.id } : {},
		from: PIOPIY_NUMBER,
		duration: 5400,
		pcmo: [bridge],
		to: Number(lead.phone),
	};
}

/** The Piopiy node's parameters for that Dialer Call, the lead's phone mapped by an expression. */
function dialerCallParameters(requestOptions = {}, extraParams = false) {
	return {
		resource: 'call',
		operation: 'dialerCall',
		customerNumber: '={{ $json.phone }}',
		piopiyNumber: String(PIOPIY_NUMBER),
		agentNumbers: String(AGENT_NUMBER),
		options: extraParams ? { extraParams: '={{ { lead_id: $json.id } }}' } : {},
		requestOptions,
	};
}

module.exports = { APP_ID, APP_SECRET, FIRST_LEAD, MAKE_CALL_PATH, leadsOf, makeCallBody, dialerCallParameters };
