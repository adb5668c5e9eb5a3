'use strict';
/**
 * The credential puts the app id into the body as a JSON number, whatever form n8n hands it over in.
 * n8n's server resolves a generic `authenticate` block's expressions to text (its CredentialsHelper
 * calls toString() on them), which made a real n8n send "appid": "2222226"; the credential's
 * `authenticate` is therefore a function (seen in test/e2e: the simulator refuses a text app id).
 */
const { piopiyPackage } = require('./harness/piopiy');

describe('the Piopiy API credential on the request body', () => {
	test.each([
		['a number', 2222226],
		['text, as n8n stores or resolves it', '2222226'],
		['text with spaces', ' 2222226 '],
	])('App ID given as %s: appid goes out as the number 2222226', async (_name, appId) => {
		const { credentialTypes } = await piopiyPackage();
		const options = await credentialTypes.piopiyApi.authenticate(
			{ appId, appSecret: 'sec-ret', baseUrl: 'https://rest.telecmi.com' },
			{ method: 'POST', url: '/v2/global_pcmo_make_call', body: { from: 19170000000, to: 14155550100 } },
		);
		expect(options.body).toEqual({ from: 19170000000, to: 14155550100, appid: 2222226, secret: 'sec-ret' });
	});

	test('a body-less request (the credential test) gets just the app id and secret', async () => {
		const { credentialTypes } = await piopiyPackage();
		const options = await credentialTypes.piopiyApi.authenticate({ appId: '7', appSecret: 's' }, { url: '/v2/piopiy/get_channels' });
		expect(options.body).toEqual({ appid: 7, secret: 's' });
	});

	test('an App ID that is not a whole number is sent as given, for Piopiy to refuse', async () => {
		const { credentialTypes } = await piopiyPackage();
		const options = await credentialTypes.piopiyApi.authenticate({ appId: 'app-12', appSecret: 's' }, { url: '/x', body: {} });
		expect(options.body).toEqual({ appid: 'app-12', secret: 's' });
	});
});
