import type { IAuthenticateRuleResponseSuccessBody, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

/**
 * How Piopiy's v3 API is authenticated and tested (docs/piopiy-api.md section 7), for both credential
 * types that hold an API token: the Piopiy API Token credential, and a Piopiy API credential saved
 * by version 0.2.0 with API "API Token". One function and one request, so both send the same bytes.
 */

/**
 * The API token exactly as `authenticate` puts it in the header (without spaces around it), and,
 * when it has a character an HTTP header cannot carry as it is, why it cannot be sent. n8n's HTTP
 * client would otherwise drop control characters (line breaks, NUL) and anything beyond Latin-1
 * and send another token, whose echo the redactor (built from this one) would not recognise. A
 * bearer token is visible ASCII (RFC 6750 section 2.1), so that is the rule. The problem's words name
 * the character's kind and place, never the character itself. The run (transport/index.ts
 * openRun) refuses such a token before anything is sent, and redacts this same text.
 */
export function apiTokenOf(credentials: { apiToken?: unknown }): { token: string; problem?: string } {
	const token = typeof credentials.apiToken === 'string' ? credentials.apiToken.trim() : '';
	let place = 0;
	for (const char of token) {
		place++;
		if (char < '!' || char > '~') {
			return {
				token,
				problem: `it has ${kindOf(char)} at character ${place}; the token goes in an HTTP header, which takes only ASCII letters, digits and punctuation`,
			};
		}
	}
	return { token };
}

function kindOf(char: string): string {
	if (char === '\r' || char === '\n') return 'a line break';
	if (char === '\t') return 'a tab';
	if (char === ' ') return 'a space';
	const code = char.codePointAt(0) as number;
	if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
	return 'a character that is not plain ASCII';
}

/**
 * The token goes in the Authorization header and nowhere else; the body is left as it is. A token a
 * header cannot carry is refused (a run refuses it before sending, in openRun; this stops the
 * credential test).
 */
export function withApiToken(apiToken: unknown, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	const { token, problem } = apiTokenOf({ apiToken });
	if (problem) throw new Error(`Invalid API Token: ${problem}. Nothing was sent.`);
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

/**
 * The fields both credentials that can hold an API token have, with the names a Piopiy API credential
 * saved by 0.2.0 gives them (a public contract). The Piopiy API credential shows the token fields only
 * for such a saved credential (its hidden `apiVersion`).
 */
export const SHARED_FIELDS = {
	apiToken: {
		displayName: 'API Token',
		name: 'apiToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: 'An API token created in the Piopiy dashboard; it is sent as "Authorization: Bearer ..."',
	},
	v3BaseUrl: {
		displayName: 'V3 Base URL',
		name: 'v3BaseUrl',
		type: 'string',
		default: 'https://rest.piopiy.com/v3',
		description:
			"Piopiy's v3 API, with its /v3 at the end. Change it only to go through a proxy or to use a local Piopiy simulator.",
	},
	webhookToken: {
		displayName: 'Webhook Token',
		name: 'webhookToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Optional. A long random text of your own. The Piopiy Trigger can require it as ?token=... on every URL you give Piopiy, and refuses other requests.',
	},
} satisfies Record<string, INodeProperties>;
