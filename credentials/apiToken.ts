import type { IAuthenticateRuleResponseSuccessBody, IHttpRequestOptions } from 'n8n-workflow';

/**
 * How Piopiy's v3 API is authenticated and tested (docs/piopiy-api.md section 7), for both credential
 * types that hold an API token: the Piopiy API Token credential, and a Piopiy API credential saved
 * by version 0.2.0 with API "API Token". One function and one request, so both send the same bytes.
 */

/** The token goes in the Authorization header and nowhere else; the body is left as it is. */
export function withApiToken(apiToken: unknown, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	const token = typeof apiToken === 'string' ? apiToken.trim() : '';
	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
	return requestOptions;
}

/** The V3 Base URL as the test's request resolves it: Piopiy's own when empty, without a trailing "/". */
export const V3_TEST_BASE_URL = '($credentials.v3BaseUrl || "https://rest.piopiy.com/v3").trim().replace(/\\/+$/, "")';

/**
 * v3 has no read-only endpoint (docs/piopiy-api.md 7), so the test hangs up the nil UUID: a request
 * v3 cannot refuse as malformed (it passes every rule of the SDK's validators), so Piopiy must check
 * the token before anything else, and no call can have that id, so nothing is hung up. A 2xx means
 * the token was accepted; 401 and 403 mean it was refused or its app is not active.
 */
export const V3_TEST_REQUEST = {
	url: '/voice/call/hangup',
	body: { call_id: '00000000-0000-0000-0000-000000000000', cause: 'NORMAL_CLEARING', reason: 'n8n credential test' },
};

/** The one v3 error body on record (docs/piopiy-api.md 7, "Responses"), should it come inside a 2xx. */
export const V3_APP_NOT_ACTIVE: IAuthenticateRuleResponseSuccessBody = {
	type: 'responseSuccessBody',
	properties: { key: 'error', value: 'app_not_active', message: 'Piopiy says the app of this API Token is not active' },
};
