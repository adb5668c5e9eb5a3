import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * One credential type for both generations of Piopiy's API (docs/piopiy-api.md sections 1 and 7):
 * v2 authenticates with the app id and secret inside every JSON body, v3 with an API token in an
 * `Authorization: Bearer` header. `apiVersion` defaults to v2, so a credential saved before v3
 * existed (which has no `apiVersion`) keeps sending exactly what it sent before.
 */
const V2 = { show: { apiVersion: ['v2'] } };
const V3 = { show: { apiVersion: ['v3'] } };

/** A call id no call can have (the nil UUID): the v3 credential test hangs it up; see `test` below. */
const NO_CALL = '00000000-0000-0000-0000-000000000000';

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

export class PiopiyApi implements ICredentialType {
	name = 'piopiyApi';

	displayName = 'Piopiy API';

	icon = { light: 'file:../nodes/shared/piopiy.svg', dark: 'file:../nodes/shared/piopiy.dark.svg' } as const;

	documentationUrl = 'https://github.com/piopiy-community/n8n-nodes-piopiy#credentials-piopiy-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API',
			name: 'apiVersion',
			type: 'options',
			default: 'v2',
			options: [
				{
					name: 'App ID and App Secret',
					value: 'v2',
					description: "Piopiy's v2 API (rest.telecmi.com), with the app's ID and secret",
				},
				{
					name: 'API Token',
					value: 'v3',
					description: "Piopiy's v3 API (rest.piopiy.com/v3), with an API token from the Piopiy dashboard",
				},
			],
			description:
				'Which of your Piopiy keys this credential holds. App ID and App Secret use the v2 API; an API Token uses the v3 API, which also offers AI agent calls, flow calls and call transfer.',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'number',
			default: 0,
			required: true,
			description:
				'The numeric App ID of your Piopiy app (Piopiy dashboard > Apps). With an API Token it names the app that runs pipeline and flow calls.',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret of the same Piopiy app',
			displayOptions: V2,
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API token created in the Piopiy dashboard; it is sent as "Authorization: Bearer ..."',
			displayOptions: V3,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://rest.telecmi.com',
			description:
				"Piopiy's REST API. Change it only to go through a proxy or to use a local Piopiy simulator.",
			displayOptions: V2,
		},
		{
			displayName: 'Call Control Base URL',
			name: 'callControlBaseUrl',
			type: 'string',
			default: 'https://piopiy.telecmi.com',
			description:
				"Piopiy's call-control API, used by Hang Up Call and Get Call Record. Change it only to go through a proxy or to use a local Piopiy simulator.",
			displayOptions: V2,
		},
		{
			displayName: 'V3 Base URL',
			name: 'v3BaseUrl',
			type: 'string',
			default: 'https://rest.piopiy.com/v3',
			description:
				"Piopiy's v3 API, with its /v3 at the end. Change it only to go through a proxy or to use a local Piopiy simulator.",
			displayOptions: V3,
		},
		{
			displayName: 'Webhook Token',
			name: 'webhookToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. A long random text of your own. The Piopiy Trigger can require it as ?token=... on every URL you give Piopiy, and refuses other requests.',
		},
	];

	/**
	 * v3: the token goes in the Authorization header and nowhere else. v2: `appid` and `secret` are
	 * added to the JSON body, the app id as a JSON number (docs/piopiy-api.md#2-make-call). A function rather
	 * than a generic `authenticate` block because n8n's server resolves a generic block's expressions
	 * to text, so `appid` would go out as "2222226", and a block cannot choose between header and body.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (credentials.apiVersion === 'v3') {
			const { token, problem } = apiTokenOf(credentials);
			// A run refuses such a token before sending (openRun); this stops the credential test.
			if (problem) throw new Error(`Invalid API Token: ${problem}. Nothing was sent.`);
			requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
			return requestOptions;
		}
		const given = requestOptions.body;
		const body: IDataObject = given && typeof given === 'object' && !Array.isArray(given) ? { ...(given as IDataObject) } : {};
		const appId = typeof credentials.appId === 'string' ? Number(credentials.appId.trim()) : credentials.appId;
		body.appid = typeof appId === 'number' && Number.isSafeInteger(appId) ? appId : (credentials.appId as string);
		body.secret = credentials.appSecret as string;
		requestOptions.body = body;
		return requestOptions;
	}

	/**
	 * One request per credential type, chosen by `apiVersion` (n8n resolves each key of the request
	 * against the credential, then applies `authenticate`). Neither places a call.
	 *
	 * v2: get_channels checks the app id and secret. Piopiy may report a rejection inside an HTTP 200
	 * body, so each known failure code in the body fails the test as well.
	 *
	 * v3 has no read-only endpoint (docs/piopiy-api.md 7), so the test hangs up the nil UUID: a request
	 * v3 cannot refuse as malformed (it passes every rule of the SDK's validators), so Piopiy must check
	 * the token before anything else, and no call can have that id, so nothing is hung up. A 2xx means
	 * the token was accepted; 401 and 403 mean it was refused or its app is not active.
	 *
	 * The rules mix both kinds: n8n's credential tester checks each rule by its own `type` (status
	 * codes of a failed request, keys of a successful body), although the type declares one kind.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.apiVersion === "v3" ? ($credentials.v3BaseUrl || "https://rest.piopiy.com/v3") : $credentials.baseUrl).trim().replace(/\\/+$/, "") }}',
			url: '={{ $credentials.apiVersion === "v3" ? "/voice/call/hangup" : "/v2/piopiy/get_channels" }}',
			method: 'POST',
			body: `={{ $credentials.apiVersion === "v3" ? { call_id: "${NO_CALL}", cause: "NORMAL_CLEARING", reason: "n8n credential test" } : {} }}`,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Piopiy refused the credential (HTTP 401): check the API Token, or the App ID and App Secret',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Piopiy refused the credential (HTTP 403): the API Token, or the App ID and App Secret, are not allowed or the app is not active',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Piopiy answered 404 Not Found: check the Base URL (App ID and App Secret) or the V3 Base URL (API Token). With an API Token and the right URL, it would mean Piopiy accepted the token and reported the test call (which does not exist) as not found.',
				},
			},
			{
				// The one v3 error body on record (docs/piopiy-api.md 7, "Responses"), should it come inside a 2xx.
				type: 'responseSuccessBody',
				properties: { key: 'error', value: 'app_not_active', message: 'Piopiy says the app of this API Token is not active' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'cmi_code', value: 401, message: 'Piopiy rejected the App ID or App Secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'cmi_code', value: 407, message: 'Piopiy rejected the App ID or App Secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'cmi_code', value: 420, message: 'Piopiy does not know this App ID and App Secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 401, message: 'Piopiy rejected the App ID or App Secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 407, message: 'Piopiy rejected the App ID or App Secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 420, message: 'Piopiy does not know this App ID and App Secret' },
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
