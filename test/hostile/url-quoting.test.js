'use strict';
/**
 * Issue 17, defect 9: a web address quoted in an error keeps its user info and its query values to
 * itself. "htps://user:password@host" and "https://host/?apikey=..." were refused with the whole
 * address in the message, and so in the saved execution. Every place that quotes an address now
 * quotes it through one function (nodes/shared/urls.ts describeUrl): "[hidden]" for the user info
 * and for each value of the query and fragment, their names kept; hidden before the quote is
 * shortened. Here each such place is given addresses with a password and a query secret, written
 * in the forms a careless user or an attacker would (a mistyped scheme, a missing colon, a slash
 * in the password, a bare token as the query, a value far past the quote's 80 characters).
 */
const { runPiopiy } = require('../harness/piopiy');
const { APP_ID } = require('../harness/constants');
const { useServers, placed, sendJson, MASK } = require('./support');

const PASSWORD = 'pw-Zq81xLm';
const QUERY_SECRET = 'qs-Wm4Kt9p';
const NOTHING_SENT = 'Nothing was sent, so no call was placed.';

/**
 * Neither secret in any error or output item, nor anywhere else in the run's data but the node's
 * own parameters (which hold the field as the user typed it).
 */
function expectNoSecret(run) {
	const texts = [JSON.stringify(run.run, (key, value) => (key === 'parameters' ? undefined : value)), JSON.stringify(run.items)];
	if (run.nodeError) texts.push(run.nodeError.message, String(run.nodeError.description));
	for (const text of texts) {
		for (const secret of [PASSWORD, QUERY_SECRET]) expect(text).not.toContain(secret);
	}
}

describe("the credential's base URLs: refused without their user info and query values", () => {
	const server = useServers();
	const NOT_WEB = 'is not an https:// or http:// address';
	const HAS_QUERY = 'has a "?" or "#" part, which a base URL cannot have (the request\'s path is added at its end)';

	test.each([
		[`htps://user:${PASSWORD}@127.0.0.1:PORT`, `"htps://[hidden]@127.0.0.1:PORT" ${NOT_WEB}`],
		[`http//user:${PASSWORD}@127.0.0.1:PORT`, `"[hidden]@127.0.0.1:PORT" ${NOT_WEB}`],
		[`ftp://user:pa/${PASSWORD}@127.0.0.1:PORT/`, `"ftp://[hidden]@127.0.0.1:PORT/" ${NOT_WEB}`],
		[`ftp://${PASSWORD}@127.0.0.1:PORT/?token=${QUERY_SECRET}`, `"ftp://[hidden]@127.0.0.1:PORT/?token=[hidden]" ${NOT_WEB}`],
		[`htps://${'u'.repeat(70)}:${PASSWORD}@127.0.0.1:PORT`, `"htps://[hidden]@127.0.0.1:PORT" ${NOT_WEB}`],
		[`http://127.0.0.1:PORT/?apikey=${QUERY_SECRET}`, `"http://127.0.0.1:PORT/?apikey=[hidden]" ${HAS_QUERY}`],
		[`http://127.0.0.1:PORT/?region=in&apikey=${QUERY_SECRET}`, `"http://127.0.0.1:PORT/?region=[hidden]&apikey=[hidden]" ${HAS_QUERY}`],
		[`http://127.0.0.1:PORT/?${QUERY_SECRET}`, `"http://127.0.0.1:PORT/?[hidden]" ${HAS_QUERY}`],
		[`http://127.0.0.1:PORT/?${QUERY_SECRET}==`, `"http://127.0.0.1:PORT/?[hidden]" ${HAS_QUERY}`],
		[`http://127.0.0.1:PORT/#access_token=${QUERY_SECRET}`, `"http://127.0.0.1:PORT/#access_token=[hidden]" ${HAS_QUERY}`],
		[`http://user:${PASSWORD}@127.0.0.1:PORT/?apikey=${QUERY_SECRET}`, `"http://[hidden]@127.0.0.1:PORT/?apikey=[hidden]" ${HAS_QUERY}`],
	])('%s', async (pattern, why) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const port = String(piopiy.port);
		const run = await runPiopiy({ url: piopiy.url, parameters: MASK, credentials: { baseUrl: pattern.replace('PORT', port) }, onError: 'continueRegularOutput' });

		expect(run.items[0].json.error).toBe(`Invalid Base URL in the Piopiy API credential: ${why.replace('PORT', port)}`);
		expect(run.items[0].json.details.description).toMatch(new RegExp(`^${NOTHING_SENT}`));
		expect(piopiy.requests).toHaveLength(0);
		expectNoSecret(run);
	});

	test('the Call Control Base URL (Hang Up Call) and the V3 Base URL are quoted the same way', async () => {
		const hangUp = await runPiopiy({
			url: 'http://127.0.0.1:9',
			parameters: { operation: 'hangUpCall', callId: 'c0ffee00-1111-4222-8333-444455556666' },
			credentials: { callControlBaseUrl: `ws://user:${PASSWORD}@piopiy.telecmi.com/?key=${QUERY_SECRET}` },
			onError: 'continueRegularOutput',
		});
		expect(hangUp.items[0].json.error).toBe(`Invalid Call Control Base URL in the Piopiy API credential: "ws://[hidden]@piopiy.telecmi.com/?key=[hidden]" ${NOT_WEB}`);
		expectNoSecret(hangUp);

		const v3 = await runPiopiy({
			url: 'http://127.0.0.1:9',
			parameters: MASK,
			credentials: { apiVersion: 'v3', apiToken: 'tok-v3', appId: APP_ID, v3BaseUrl: `https://rest.piopiy.com/v3?token=${QUERY_SECRET}` },
			onError: 'continueRegularOutput',
		});
		expect(v3.items[0].json.error).toBe(`Invalid V3 Base URL in the Piopiy API credential: "https://rest.piopiy.com/v3?token=[hidden]" ${HAS_QUERY}`);
		expectNoSecret(v3);
	});
});

describe('URL fields (v2 and v3): refused without their user info and query values, and nothing sent', () => {
	const server = useServers();
	const CUSTOM = { operation: 'customCall', customerNumber: '+1 415 555 0100', callerId: '19170000000', actionsSource: 'json' };
	const ALERT = { operation: 'transactionAlertCall', customerNumber: '+91 98765 43210', callerId: '+91 80 4400 0000', message: 'Rs 1500 was debited.' };
	const actions = (list) => ({ ...CUSTOM, actionsJson: JSON.stringify(list) });
	const AUDIO = 'a web address (URL) of an .mp3 or .wav file';
	const KEYPRESS = 'a web address (URL) Piopiy can post the keypress to';
	const JSON_FIELD = 'Invalid Actions (JSON) (number 1)';
	const long = `https://user:${PASSWORD}@cdn.example.com/${'a'.repeat(2100)}.mp3?sig=${QUERY_SECRET}`;

	test.each([
		[
			'v2 play file_url, a mistyped scheme',
			actions([{ action: 'play', file_url: `htps://user:${PASSWORD}@cdn.example.com/a.mp3` }]),
			`${JSON_FIELD} > file_url in item 0: "htps://[hidden]@cdn.example.com/a.mp3" is not ${AUDIO} (it must start with https:// or http://)`,
		],
		[
			'v2 play file_url, not .mp3 or .wav, a signed query',
			actions([{ action: 'play', file_url: `https://user:${PASSWORD}@cdn.example.com/a.ogg?X-Amz-Signature=${QUERY_SECRET}` }]),
			`${JSON_FIELD} > file_url in item 0: "https://[hidden]@cdn.example.com/a.ogg?X-Amz-Signature=[hidden]" is not an .mp3 or .wav file: Piopiy plays only those`,
		],
		[
			'v2 play file_url given as an object',
			actions([{ action: 'play', file_url: { url: `https://user:${PASSWORD}@cdn.example.com/a.mp3?k=${QUERY_SECRET}` } }]),
			`${JSON_FIELD} > file_url in item 0: {"url":"https://[hidden]@cdn.example.com/a.mp3?k=[hidden]"} is an object, not ${AUDIO}`,
		],
		[
			'v2 play file_name, an address missing a slash',
			actions([{ action: 'play', file_name: `http:/user:${PASSWORD}@cdn.example.com/a.wav` }]),
			`${JSON_FIELD} > file_name in item 0: "http:/[hidden]@cdn.example.com/a.wav" is not a file name like "alert.wav" (a web address must start with https://)`,
		],
		[
			'v2 input action_url, another scheme',
			actions([{ action: 'input', action_url: `ftp://user:${PASSWORD}@n8n.example.com/webhook/k?token=${QUERY_SECRET}` }]),
			`${JSON_FIELD} > action_url in item 0: "ftp://[hidden]@n8n.example.com/webhook/k?token=[hidden]" is not ${KEYPRESS} (it must start with https:// or http://)`,
		],
		[
			'v2 input action_url, no scheme (the user name is read as one, the password hidden)',
			actions([{ action: 'input', action_url: `user:${PASSWORD}@n8n.example.com/webhook/k` }]),
			`${JSON_FIELD} > action_url in item 0: "user:[hidden]@n8n.example.com/webhook/k" is not ${KEYPRESS} (it must start with https:// or http://)`,
		],
		[
			'v2 stream ws_url, an https address',
			actions([{ action: 'stream', ws_url: `https://user:${PASSWORD}@ai.example.com/?token=${QUERY_SECRET}` }]),
			`${JSON_FIELD} > ws_url in item 0: "https://[hidden]@ai.example.com/?token=[hidden]" is not a WebSocket address (wss://...) (it must start with wss:// or ws://)`,
		],
		[
			'v2 Transaction Alert Call Audio File',
			{ ...ALERT, messageType: 'audio', audioFile: `https://cdn.example.com/alert.ogg?X-Amz-Credential=${QUERY_SECRET}` },
			'Invalid Audio File in item 0: "https://cdn.example.com/alert.ogg?X-Amz-Credential=[hidden]" is not an .mp3 or .wav file: Piopiy plays only those',
		],
		[
			'v2 Order Confirmation Call Keypress URL',
			{ operation: 'orderConfirmationCall', customerNumber: '919876543210', callerId: '918044000000', orderId: 'A-1', message: 'Press 1', actionUrl: `mailto:${PASSWORD}@example.com?subject=${QUERY_SECRET}` },
			`Invalid Keypress URL in item 0: "mailto:[hidden]@example.com?subject=[hidden]" is not ${KEYPRESS} (it must start with https:// or http://)`,
		],
		[
			'a Result URL set under v2 (only v3 has it)',
			{ ...ALERT, resultUrl: `https://n8n.example.com/webhook/piopiy-keys?token=${QUERY_SECRET}` },
			'Invalid Result URL in item 0: "https://n8n.example.com/webhook/piopiy-keys?token=[hidden]": only an API Token credential (v3 API) has this setting; v2 speaks the message without listening for keys. Remove it, or use an API Token credential (v3 API)',
		],
	])('%s', async (_name, parameters, message) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, placed()));
		const run = await runPiopiy({ url: piopiy.url, parameters, credentials: { baseUrl: piopiy.url } });
		expect(run.nodeError.message).toBe(message);
		expect(piopiy.requests).toHaveLength(0);
		expectNoSecret(run);
	});

	const v3Pipeline = (pipeline) => ({ ...CUSTOM, customerNumber: '+91 98765 43210', callerId: '918044000000', actionsJson: JSON.stringify(pipeline) });
	const input = (onResult) => ({ action: 'input', on_result: onResult, dtmf: { max_digits: 1 } });

	test.each([
		[
			'v3 Result URL',
			{ ...ALERT, resultUrl: `ftp://user:${PASSWORD}@n8n.example.com/webhook/k?token=${QUERY_SECRET}` },
			'Invalid Result URL in item 0: "ftp://[hidden]@n8n.example.com/webhook/k?token=[hidden]" is not a web address (URL) Piopiy can post the result to (it must start with https:// or http://)',
		],
		[
			'v3 on_result url in a pipeline',
			v3Pipeline([input({ type: 'url', url: `htps://user:${PASSWORD}@n8n.example.com/k#token=${QUERY_SECRET}` })]),
			`${JSON_FIELD} > on_result > url in item 0: "htps://[hidden]@n8n.example.com/k#token=[hidden]" is not a web address (URL) Piopiy can post the result to (it must start with https:// or http://)`,
		],
		[
			'v3 play file_name longer than v3 takes',
			v3Pipeline([{ action: 'play', file_name: long }]),
			// Hidden, then cut to the 80 characters of any quote.
			`${JSON_FIELD} > file_name in item 0: ${JSON.stringify(`https://[hidden]@cdn.example.com/${'a'.repeat(2100)}.mp3?sig=[hidden]`).slice(0, 77)}... is ${long.length} characters long; an audio file (a URL or file name) has at most 2048`,
		],
		[
			'v3 play file_name given as a list',
			v3Pipeline([{ action: 'play', file_name: [`https://user:${PASSWORD}@cdn.example.com/a.mp3`] }]),
			`${JSON_FIELD} > file_name in item 0: ["https://[hidden]@cdn.example.com/a.mp3"] is a list, not an audio file (a URL or file name)`,
		],
	])('%s', async (_name, parameters, message) => {
		const piopiy = await server((_req, res) => sendJson(res, 200, { message: 'call_queued' }));
		const run = await runPiopiy({
			url: piopiy.url,
			parameters,
			credentials: { apiVersion: 'v3', apiToken: 'tok-v3', appId: APP_ID, v3BaseUrl: `${piopiy.url}/v3` },
		});
		expect(run.nodeError.message).toBe(message);
		expect(piopiy.requests).toHaveLength(0);
		expectNoSecret(run);
	});
});
