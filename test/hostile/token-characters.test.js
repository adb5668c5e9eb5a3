'use strict';
/**
 * Issue 17, defect 5: an API Token with a character an HTTP header cannot carry as it is. n8n's
 * HTTP client strips control characters (CR, LF, NUL...) and drops text beyond Latin-1 from a
 * header, so Piopiy got another token than the credential's, and its echo escaped the redactor
 * (built from the credential's). Such a token is now refused as a credential error before
 * anything is sent, by the run and by the credential test, and what is sent is what is redacted.
 * The error names the kind of character and its place, never the token or the character.
 */
const { runPiopiy } = require('../harness/piopiy');
const { testCredential } = require('../harness/credential-test');
const { APP_ID, APP_SECRET } = require('../harness/constants');
const { useServers, placed, sendJson, MASK } = require('./support');

const BEFORE = 'tok-Wq81Zr-';
const AFTER = '-end';
const WHY = 'the token goes in an HTTP header, which takes only ASCII letters, digits and punctuation';
const DESCRIPTION = "Nothing was sent, so no call was placed. Copy the token again from the Piopiy dashboard and paste it alone into the credential's API Token field.";

/** A character inside the token, and how the error names it. */
const INSIDE = [
	['a line feed', '\n', 'a line break'],
	['a carriage return', '\r', 'a line break'],
	['CR LF', '\r\n', 'a line break'],
	['NUL', '\u0000', 'a control character (U+0000)'],
	['escape', '\u001b', 'a control character (U+001B)'],
	['DEL', '\u007f', 'a control character (U+007F)'],
	['a tab', '\t', 'a tab'],
	['a space', ' ', 'a space'],
	['a non-breaking space', '\u00a0', 'a character that is not plain ASCII'],
	['next line (U+0085)', '\u0085', 'a character that is not plain ASCII'],
	['an accented letter (Latin-1)', 'é', 'a character that is not plain ASCII'],
	['the euro sign (beyond Latin-1)', '€', 'a character that is not plain ASCII'],
	['an emoji', '😀', 'a character that is not plain ASCII'],
	['a zero-width space', '\u200b', 'a character that is not plain ASCII'],
	['a line separator (U+2028)', '\u2028', 'a character that is not plain ASCII'],
	['a byte order mark', '\ufeff', 'a character that is not plain ASCII'],
];

function v3(url, apiToken) {
	return { apiVersion: 'v3', appId: APP_ID, apiToken, v3BaseUrl: `${url}/v3` };
}

describe('a token with a character a header cannot carry: refused before anything is sent', () => {
	const server = useServers();

	test.each(INSIDE)('%s', async (_name, char, kind) => {
		const token = `${BEFORE}${char}${AFTER}`;
		const piopiy = await server((_req, res) => sendJson(res, 200, { message: 'call_queued' }));
		const message = `Invalid API Token in the Piopiy API credential: it has ${kind} at character ${BEFORE.length + 1}; ${WHY}`;

		const continued = await runPiopiy({
			url: piopiy.url,
			parameters: { ...MASK, customerNumbers: '={{ $json.phone }}' },
			items: [{ phone: '917600000000' }, { phone: '917600000001' }],
			credentials: v3(piopiy.url, token),
			onError: 'continueRegularOutput',
		});
		expect(continued.items.map(({ json }) => json)).toEqual([0, 1].map((itemIndex) => ({ error: message, details: { description: DESCRIPTION, itemIndex } })));

		const stopped = await runPiopiy({ url: piopiy.url, parameters: MASK, credentials: v3(piopiy.url, token) });
		expect(stopped.nodeError.message).toBe(message);
		expect(stopped.nodeError.description).toBe(DESCRIPTION);

		expect(piopiy.requests).toHaveLength(0);
		expect(piopiy.closedConnections() + piopiy.openConnections()).toBe(0);
		// Neither the token nor, when it is not ASCII, the character (a space or a line break is in any run's text).
		const texts = [JSON.stringify(continued.run), JSON.stringify(stopped.run), stopped.nodeError.message, String(stopped.nodeError.description)];
		for (const text of texts) {
			expect(text).not.toContain(BEFORE);
			expect(text).not.toContain(AFTER);
			if (char > '\u007f') expect(text).not.toContain(char);
		}
	});

	test.each(INSIDE.filter(([name]) => ['a line feed', 'NUL', 'the euro sign (beyond Latin-1)'].includes(name)))(
		'the credential test refuses it too (%s), and sends nothing',
		async (_name, char, kind) => {
			const piopiy = await server((_req, res) => sendJson(res, 200, { message: 'queued' }));
			const result = await testCredential(v3(piopiy.url, `${BEFORE}${char}${AFTER}`));
			expect(result).toEqual({ status: 'Error', message: `Invalid API Token: it has ${kind} at character ${BEFORE.length + 1}; ${WHY}. Nothing was sent.` });
			expect(piopiy.requests).toHaveLength(0);
		},
	);

	test('the place named is the character\'s, counting characters (an emoji is one), not the token\'s length or text', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, { message: 'call_queued' }));
		const result = await runPiopiy({ url: piopiy.url, parameters: MASK, credentials: v3(piopiy.url, 'ab\u0000c😀d'), onError: 'continueRegularOutput' });
		expect(result.items[0].json.error).toBe(`Invalid API Token in the Piopiy API credential: it has a control character (U+0000) at character 3; ${WHY}`);
	});
});

describe('what is sent is what is redacted', () => {
	const server = useServers();
	const TOKEN = 'tok-Wq81Zr-"\\&%+/=~end';

	test.each([
		['spaces and a line break', `  ${TOKEN}\r\n`],
		['tabs', `\t${TOKEN}\t`],
		['non-breaking spaces', `\u00a0${TOKEN}\u00a0`],
		['a byte order mark', `\ufeff${TOKEN}`],
		['line separators', `\u2028${TOKEN}\u2029`],
	])('a token with %s around it: sent without them, and its echo redacted', async (_name, saved) => {
		const piopiy = await server((req, res) =>
			sendJson(res, 200, { message: 'call_queued', header: req.headers.authorization, token: req.headers.authorization.slice('Bearer '.length) }),
		);
		const result = await runPiopiy({ url: piopiy.url, parameters: MASK, credentials: v3(piopiy.url, saved), onError: 'continueRegularOutput' });
		expect(piopiy.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
		expect(result.items[0].json).toEqual({ message: 'call_queued', header: 'Bearer [redacted]', token: '[redacted]' });
	});

	test('the credential test sends the token without what is around it', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, { message: 'queued' }));
		expect(await testCredential(v3(piopiy.url, ` ${TOKEN}\n`))).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(piopiy.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
	});

	test('under App ID and App Secret, a leftover API Token is not sent, so its characters do not matter', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed('v2-call')));
		const result = await runPiopiy({
			url: piopiy.url,
			parameters: MASK,
			credentials: { baseUrl: piopiy.url, appId: APP_ID, appSecret: APP_SECRET, apiToken: `${BEFORE}\n${AFTER}` },
			onError: 'continueRegularOutput',
		});
		expect(result.items[0].json.request_id).toBe('v2-call');
		expect(piopiy.requests).toHaveLength(1);
		expect(piopiy.requests[0].headers.authorization).toBeUndefined();
	});
});
