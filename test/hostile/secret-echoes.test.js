'use strict';
/**
 * Issue 9, item 8: an answer that echoes the App Secret back in another form (base64 or base64url
 * of the secret or of the whole request at any offset, percent-encoded, hex, upper or lower case,
 * JSON-escaped once or twice) gets no form of it into output items, error messages or the run's
 * saved data. The secret here has the characters that change under each encoding: `"`, `\`, `+`,
 * `/`, `&`, a space and non-ASCII letters.
 */
const { useServers, maskCall, placed, sendJson, WHAT } = require('./support');

const SECRET = 'Zq"8\\v2+/x &Äé-Wm4~Kt9pQ';
const { APP_ID } = require('../harness/constants');

/** What an echo below carries the secret as: each form, in full. */
function forms() {
	const bytes = Buffer.from(SECRET);
	const once = JSON.stringify(SECRET).slice(1, -1);
	return {
		literal: SECRET,
		upper: SECRET.toUpperCase(),
		lower: SECRET.toLowerCase(),
		base64: bytes.toString('base64'),
		base64url: bytes.toString('base64url'),
		'base64 at offset 1': Buffer.from(`x${SECRET}y`).toString('base64'),
		'base64 at offset 2': Buffer.from(`xy${SECRET}`).toString('base64'),
		'base64url at offset 1': Buffer.from(`x${SECRET}`).toString('base64url'),
		hex: bytes.toString('hex'),
		HEX: bytes.toString('hex').toUpperCase(),
		percent: encodeURIComponent(SECRET),
		'percent, lower case': encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
		form: new URLSearchParams({ s: SECRET }).toString().slice(2),
		'JSON-escaped': once,
		'JSON-escaped twice': JSON.stringify(once).slice(1, -1),
	};
}

/**
 * What must appear nowhere: every form in full, and, for base64, any 8 characters that encode 6
 * bytes of the secret alone, at each of the three offsets a secret can have inside a longer text.
 */
function needles() {
	const list = Object.entries(forms());
	for (const encoding of ['base64', 'base64url']) {
		for (let offset = 0; offset < 3; offset++) {
			const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(SECRET)]).toString(encoding);
			const end = Math.floor((offset + Buffer.byteLength(SECRET)) / 3) * 4;
			for (let at = offset === 0 ? 0 : 4; at + 8 <= end; at += 4) list.push([`${encoding} at offset ${offset}, chars ${at}-${at + 8}`, encoded.slice(at, at + 8)]);
		}
	}
	return list;
}

/** The parts of an answer that each carry one form of the secret, and the whole request in several. */
function echoes(request) {
	return {
		...Object.fromEntries(Object.entries(forms()).map(([name, form]) => [name.replace(/\W+/g, '_'), `echo: ${form} :end`])),
		request_base64: Buffer.from(request.body).toString('base64'),
		request_base64_offset_1: Buffer.from(` ${request.body}`).toString('base64'),
		request_base64_offset_2: Buffer.from(`  ${request.body}`).toString('base64'),
		request_base64url: Buffer.from(request.body).toString('base64url'),
		request_text: request.body,
		request_percent: encodeURIComponent(request.body),
		request_json_twice: JSON.stringify(request.body),
	};
}

function expectNoForm(texts) {
	for (const [name, form] of needles()) {
		for (const text of texts) {
			if (text.includes(form)) throw new Error(`The ${name} form of the secret (${form}) is in: ${text.slice(0, 300)}`);
		}
	}
}

function seen(run) {
	const texts = [JSON.stringify(run.run ?? null), JSON.stringify(run.items)];
	if (run.nodeError) texts.push(run.nodeError.message, String(run.nodeError.description));
	return texts;
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
		for (const [name, form] of Object.entries(forms())) {
			const key = name.replace(/\W+/g, '_');
			expect([key, item[key]]).toEqual([key, expect.stringMatching(/^echo: .*\[redacted\].* :end$/)]);
			expect(item[key]).not.toContain(form);
		}
		expectNoForm(seen(run));
	});

	test('an error whose message echoes the secret encoded: the message is redacted, with On Error Continue and Stop', async () => {
		const piopiy = await server((_req, res, request) => {
			const { hex, base64, percent } = forms();
			sendJson(res, 422, { cmi_code: 422, message: `Invalid secret ${hex} / ${base64} / ${percent}`, request: echoes(request) });
		});
		const continued = await maskCall(piopiy.url, { credentials });
		expect(continued.item.error).toBe(`Piopiy refused ${WHAT} (HTTP 422, Piopiy code 422: Invalid secret [redacted] / [redacted] / [redacted])`);
		expectNoForm(seen(continued.run));

		const stopped = await maskCall(piopiy.url, { credentials, onError: 'stopWorkflow' });
		expect(stopped.run.nodeError.message).toBe(continued.item.error);
		expectNoForm(seen(stopped.run));
	});

	test('a secret of three characters is redacted only where a whole value equals it (ordinary text stays readable)', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('short', { exact: 'a+b', inside: 'xa+by' })));
		const { item } = await maskCall(piopiy.url, { credentials: { appSecret: 'a+b' } });
		expect(item).toMatchObject({ exact: '[redacted]', inside: 'xa+by' });
	});
});
