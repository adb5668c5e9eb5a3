'use strict';
/**
 * The forms in which an answer may echo a secret back (base64 and base64url at each offset,
 * percent-encoded, form-encoded, hex, upper and lower case, JSON-escaped once and twice), and the
 * check that none of them is anywhere a person or a later node can see. Shared by
 * secret-echoes.test.js (a short secret, every form in one answer) and long-secrets.test.js.
 */

/** Each form of `secret`, in full. */
function forms(secret) {
	const bytes = Buffer.from(secret);
	const once = JSON.stringify(secret).slice(1, -1);
	return {
		literal: secret,
		upper: secret.toUpperCase(),
		lower: secret.toLowerCase(),
		base64: bytes.toString('base64'),
		base64url: bytes.toString('base64url'),
		'base64 at offset 1': Buffer.from(`x${secret}y`).toString('base64'),
		'base64 at offset 2': Buffer.from(`xy${secret}`).toString('base64'),
		'base64url at offset 1': Buffer.from(`x${secret}`).toString('base64url'),
		hex: bytes.toString('hex'),
		HEX: bytes.toString('hex').toUpperCase(),
		percent: encodeURIComponent(secret),
		'percent, lower case': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
		form: new URLSearchParams({ s: secret }).toString().slice(2),
		'JSON-escaped': once,
		'JSON-escaped twice': JSON.stringify(once).slice(1, -1),
	};
}

/** The whole request (and so the secret inside it) in several forms. */
function requestForms(request) {
	return {
		request_base64: Buffer.from(request.body).toString('base64'),
		request_base64_offset_1: Buffer.from(` ${request.body}`).toString('base64'),
		request_base64_offset_2: Buffer.from(`  ${request.body}`).toString('base64'),
		request_base64url: Buffer.from(request.body).toString('base64url'),
		request_text: request.body,
		request_percent: encodeURIComponent(request.body),
		request_json_twice: JSON.stringify(request.body),
	};
}

/**
 * What must appear nowhere: every form in full, and, for base64, any 8 characters that encode 6
 * bytes of the secret alone, at each of the three offsets a secret can have inside a longer text.
 * For a long secret (`sampled`), 16 characters from 40 places of each form instead: enough to find
 * any part of it left over, without searching for every window of a form hundreds of KB long.
 */
function needles(secret, { sampled = false } = {}) {
	const list = [];
	for (const [name, form] of Object.entries(forms(secret))) {
		if (!sampled) list.push([name, form]);
		else for (let index = 0; index < 40; index++) list.push([`${name} at ${index}/40`, form.substr(Math.floor(((form.length - 16) * index) / 39), 16)]);
	}
	if (sampled) return list;
	for (const encoding of ['base64', 'base64url']) {
		for (let offset = 0; offset < 3; offset++) {
			const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]).toString(encoding);
			const end = Math.floor((offset + Buffer.byteLength(secret)) / 3) * 4;
			for (let at = offset === 0 ? 0 : 4; at + 8 <= end; at += 4) list.push([`${encoding} at offset ${offset}, chars ${at}-${at + 8}`, encoded.slice(at, at + 8)]);
		}
	}
	return list;
}

function expectNoForm(secret, texts, options) {
	for (const [name, form] of needles(secret, options)) {
		for (const text of texts) {
			if (text.includes(form)) throw new Error(`The ${name} form of the secret (${form.slice(0, 40)}) is in: ${text.slice(0, 300)}`);
		}
	}
}

/** Everything a person or a later node can see of a run (hostile/support.js maskCall's result). */
function seen(run) {
	const texts = [JSON.stringify(run.run ?? null), JSON.stringify(run.items)];
	if (run.nodeError) texts.push(run.nodeError.message, String(run.nodeError.description));
	return texts;
}

module.exports = { forms, requestForms, needles, expectNoForm, seen };
