'use strict';
/**
 * Issue 9, item 8: an answer that echoes the App Secret back in another form (base64 or base64url
 * of the secret or of the whole request at any offset, percent-encoded, hex, upper or lower case,
 * JSON-escaped once or twice) gets no form of it into output items, error messages or the run's
 * saved data. The secret here has the characters that change under each encoding: `"`, `\`, `+`,
 * `/`, `&`, a space and non-ASCII letters.
 */
const { useServers, maskCall, placed, sendJson, WHAT } = require('./support');
const { forms, requestForms, expectNoForm, seen } = require('./secret-forms');

const SECRET = 'Zq"8\\v2+/x &Äé-Wm4~Kt9pQ';
const { APP_ID } = require('../harness/constants');

/** The parts of an answer that each carry one form of the secret, and the whole request in several. */
function echoes(request) {
	return {
		...Object.fromEntries(Object.entries(forms(SECRET)).map(([name, form]) => [name.replace(/\W+/g, '_'), `echo: ${form} :end`])),
		...requestForms(request),
	};
}

describe('encoded echoes of the App Secret are redacted', () => {
	const server = useServers();
	const credentials = { appId: APP_ID, appSecret: SECRET };

	test('a success that echoes the secret in every form: the item keeps the rest of the answer, no form of the secret', async () => {
		const piopiy = await server((_req, res, request) => sendJson(res, 200, placed('echo-1', echoes(request))));
		const { run, item } = await maskCall(piopiy.url, { credentials });
		const [request] = piopiy.requests;
		// There was something to leak: the request carried the secret, JSON-escaped.
		expect(request.body).toContain(JSON.stringify(SECRET).slice(1, -1));

		expect(item.request_id).toBe('echo-1');
		expect(item.literal).toBe('echo: [redacted] :end');
		for (const [name, form] of Object.entries(forms(SECRET))) {
			const key = name.replace(/\W+/g, '_');
			expect([key, item[key]]).toEqual([key, expect.stringMatching(/^echo: .*\[redacted\].* :end$/)]);
			expect(item[key]).not.toContain(form);
		}
		expectNoForm(SECRET, seen(run));
	});

	test('an error whose message echoes the secret encoded: the message is redacted, with On Error Continue and Stop', async () => {
		const piopiy = await server((_req, res, request) => {
			const { hex, base64, percent } = forms(SECRET);
			sendJson(res, 422, { cmi_code: 422, message: `Invalid secret ${hex} / ${base64} / ${percent}`, request: echoes(request) });
		});
		const continued = await maskCall(piopiy.url, { credentials });
		expect(continued.item.error).toBe(`Piopiy refused ${WHAT} (HTTP 422, Piopiy code 422: Invalid secret [redacted] / [redacted] / [redacted])`);
		expectNoForm(SECRET, seen(continued.run));

		const stopped = await maskCall(piopiy.url, { credentials, onError: 'stopWorkflow' });
		expect(stopped.run.nodeError.message).toBe(continued.item.error);
		expectNoForm(SECRET, seen(stopped.run));
	});

	test('a secret of three characters is redacted only where a whole value equals it (ordinary text stays readable)', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('short', { exact: 'a+b', inside: 'xa+by' })));
		const { item } = await maskCall(piopiy.url, { credentials: { appSecret: 'a+b' } });
		expect(item).toMatchObject({ exact: '[redacted]', inside: 'xa+by' });
	});
});
