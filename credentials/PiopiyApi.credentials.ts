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

import { SHARED_FIELDS, V3_APP_NOT_ACTIVE, V3_TEST_BASE_URL, V3_TEST_REQUEST, withApiToken } from './apiToken';

/**
 * The App ID and App Secret of a Piopiy app, for Piopiy's v2 API (docs/piopiy-api.md section 1):
 * they go inside every JSON body. Version 2 of the Piopiy node uses it under Authentication "App ID
 * and App Secret"; an API token has a credential of its own, Piopiy Token API (PiopiyTokenApi.credentials.ts).
 *
 * Version 0.2.0 made this type hold either key, chosen by its API field (`apiVersion`), which is
 * now hidden: a new credential is v2 (the default, as is one saved before the field existed), and
 * one saved with "API Token" keeps 'v3', so its dialog still shows its token fields and it still
 * authenticates and tests as v3: version 1 of the node goes on using it as before.
 */
const V2 = { show: { apiVersion: ['v2'] } };
const V3 = { show: { apiVersion: ['v3'] } };

export class PiopiyApi implements ICredentialType {
	name = 'piopiyApi';

	displayName = 'Piopiy API';

	icon = { light: 'file:../nodes/shared/piopiy.svg', dark: 'file:../nodes/shared/piopiy.dark.svg' } as const;

	documentationUrl = 'https://github.com/piopiy-community/n8n-nodes-piopiy#credentials-piopiy-api';

	properties: INodeProperties[] = [
		{
			// Hidden, and kept: a saved value other than the default survives n8n's reading of the
			// credential (NodeHelpers.getNodeParameters keeps a hidden property's value).
			displayName: 'API',
			name: 'apiVersion',
			type: 'hidden',
			default: 'v2',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'number',
			default: 0,
			required: true,
			description:
				'The numeric App ID of your Piopiy app (Piopiy dashboard > Apps)',
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
		{ ...SHARED_FIELDS.apiToken, displayOptions: V3 },
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
		{ ...SHARED_FIELDS.v3BaseUrl, displayOptions: V3 },
		SHARED_FIELDS.webhookToken,
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
		if (credentials.apiVersion === 'v3') return withApiToken(credentials.apiToken, requestOptions);
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
	 * v3: the Piopiy API Token credential's test (apiToken.ts), a hang-up of a call no call can have.
	 *
	 * The rules mix both kinds: n8n's credential tester checks each rule by its own `type` (status
	 * codes of a failed request, keys of a successful body), although the type declares one kind.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.apiVersion === "v3" ? ${V3_TEST_BASE_URL} : $credentials.baseUrl.trim().replace(/\\/+$/, "") }}`,
			url: `={{ $credentials.apiVersion === "v3" ? "${V3_TEST_REQUEST.url}" : "/v2/piopiy/get_channels" }}`,
			method: 'POST',
			body: `={{ $credentials.apiVersion === "v3" ? ${JSON.stringify(V3_TEST_REQUEST.body)} : {} }}`,
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
			V3_APP_NOT_ACTIVE,
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
