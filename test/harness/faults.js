'use strict';
/**
 * The faults Piopiy and the network can produce that the node must report and never retry, as the
 * simulator injects them, with the error each must give. Shared by the fault and secret tests.
 */
const piopiyBody = (code, message) => ({ status: 'error', message, cmi_code: code });
const HTML_PAGE = '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Bad Gateway</h1></body></html>';
const HTML_WORDS = 'an HTML page instead of Piopiy’s JSON, usually from a proxy or gateway in between';

const MAY_HAVE = { mayHaveBeenPlaced: true };
const NOT_PLACED = { mayHaveBeenPlaced: false };
const REJECTED = 'Piopiy rejected the App ID or App Secret';

/**
 * [name, fault, the failed item's error message, details expected, calls the fault itself placed]
 * @param {string} WHAT the request's words in messages, e.g. "the call to 919999999999"
 */
function notRetriedFaults(WHAT) {
	return [
		['HTTP 400', { status: 400, body: piopiyBody(400, 'Bad request') }, `Piopiy refused ${WHAT} (HTTP 400, Piopiy code 400: Bad request)`, NOT_PLACED],
		['HTTP 401', { status: 401, body: piopiyBody(401, 'Authentication failed') }, `${REJECTED} (HTTP 401, Piopiy code 401: Authentication failed)`, NOT_PLACED],
		['HTTP 403 from a proxy (HTML)', { status: 403, raw: HTML_PAGE }, `${REJECTED} (HTTP 403, ${HTML_WORDS})`, NOT_PLACED],
		['HTTP 404', { status: 404, body: piopiyBody(404, 'Not found') }, 'Piopiy has no such endpoint (HTTP 404, Piopiy code 404: Not found)', NOT_PLACED],
		['HTTP 407', { status: 407, body: piopiyBody(407, 'Authentication failed') }, `${REJECTED} (HTTP 407, Piopiy code 407: Authentication failed)`, NOT_PLACED],
		['HTTP 420', { status: 420, body: piopiyBody(420, 'Invalid appid or secret') }, `${REJECTED} (HTTP 420, Piopiy code 420: Invalid appid or secret)`, NOT_PLACED],
		['HTTP 422', { status: 422, body: piopiyBody(422, 'Invalid property') }, `Piopiy refused ${WHAT} (HTTP 422, Piopiy code 422: Invalid property)`, NOT_PLACED],
		['HTTP 500', { status: 500, body: piopiyBody(500, 'Internal server error') }, `Piopiy's server failed while handling ${WHAT} (HTTP 500, Piopiy code 500: Internal server error)`, MAY_HAVE],
		['HTTP 500 after Piopiy placed the call', { status: 500, body: piopiyBody(500, 'Internal server error'), placeCall: true }, `Piopiy's server failed while handling ${WHAT} (HTTP 500, Piopiy code 500: Internal server error)`, MAY_HAVE, 1],
		['HTTP 502 from a gateway (HTML)', { status: 502, raw: HTML_PAGE }, `Piopiy's server failed while handling ${WHAT} (HTTP 502, ${HTML_WORDS})`, MAY_HAVE],
		['HTTP 503 with Retry-After (a 5xx is never retried)', { status: 503, body: piopiyBody(503, 'Service unavailable'), headers: { 'retry-after': '1' } }, `Piopiy's server failed while handling ${WHAT} (HTTP 503, Piopiy code 503: Service unavailable)`, MAY_HAVE],
		['an error code inside an HTTP 200 body', { status: 200, body: piopiyBody(422, 'Invalid property') }, `Piopiy refused ${WHAT} (HTTP 200, Piopiy code 422: Invalid property)`, NOT_PLACED],
		['an internal error code inside an HTTP 200 body', { status: 200, body: piopiyBody(500, 'Internal server error') }, `Piopiy reported an internal error for ${WHAT} (HTTP 200, Piopiy code 500: Internal server error)`, MAY_HAVE],
		['an HTML page with HTTP 200', { status: 200, raw: HTML_PAGE }, `Piopiy's answer for ${WHAT} could not be understood (HTTP 200, ${HTML_WORDS})`, MAY_HAVE],
		['a body that is not JSON', { status: 200, raw: 'OK', headers: { 'content-type': 'text/plain' } }, `Piopiy's answer for ${WHAT} could not be understood (HTTP 200, an answer that is not JSON)`, MAY_HAVE],
		['an empty body', { status: 200, raw: '' }, `Piopiy's answer for ${WHAT} could not be understood (HTTP 200, an empty answer)`, MAY_HAVE],
		['JSON without a request_id', { status: 200, body: { status: 'progress' } }, `Piopiy's answer for ${WHAT} could not be understood (HTTP 200, an answer without a request_id)`, MAY_HAVE],
		['a connection reset before the request is read', { drop: 'before-read' }, `The connection to Piopiy broke before it answered for ${WHAT} (ECONNRESET)`, { ...MAY_HAVE, networkCode: 'ECONNRESET' }],
		['a connection reset after Piopiy read it and placed the call', { drop: 'after-read' }, `The connection to Piopiy broke before it answered for ${WHAT} (ECONNRESET)`, { ...MAY_HAVE, networkCode: 'ECONNRESET' }, 1],
	];
}


module.exports = { notRetriedFaults, piopiyBody, HTML_PAGE, HTML_WORDS, MAY_HAVE, NOT_PLACED, REJECTED };
