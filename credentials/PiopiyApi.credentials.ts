import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Piopiy's v2 API authenticates with the app id and secret inside every JSON body (not a header),
 * so `authenticate` merges them into the body of each request the node sends.
 */
export class PiopiyApi implements ICredentialType {
	name = 'piopiyApi';

	displayName = 'Piopiy API';

	icon = { light: 'file:../nodes/Piopiy/piopiy.svg', dark: 'file:../nodes/Piopiy/piopiy.dark.svg' } as const;

	documentationUrl = 'https://github.com/piopiy-community/n8n-nodes-piopiy#credentials-piopiy-api';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'number',
			default: 0,
			required: true,
			description: 'The numeric App ID of your Piopiy app (Piopiy dashboard > Apps)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret of the same Piopiy app',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://rest.telecmi.com',
			description:
				"Piopiy's REST API. Change it only to go through a proxy or to use a local Piopiy simulator.",
		},
		{
			displayName: 'Call Control Base URL',
			name: 'callControlBaseUrl',
			type: 'string',
			default: 'https://piopiy.telecmi.com',
			description:
				"Piopiy's call-control API, used by Hang Up Call and Get Call Record. Change it only to go through a proxy or to use a local Piopiy simulator.",
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
	 * Adds `appid` and `secret` to the JSON body. A function, not a generic `authenticate` block:
	 * n8n's server resolves a generic block's expressions to text, so `appid` would go out as
	 * "2222226", while Piopiy wants the app id as a JSON number (piopiy-api.md 2).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const given = requestOptions.body;
		const body: IDataObject = given && typeof given === 'object' && !Array.isArray(given) ? { ...(given as IDataObject) } : {};
		const appId = typeof credentials.appId === 'string' ? Number(credentials.appId.trim()) : credentials.appId;
		body.appid = typeof appId === 'number' && Number.isSafeInteger(appId) ? appId : (credentials.appId as string);
		body.secret = credentials.appSecret as string;
		requestOptions.body = body;
		return requestOptions;
	}

	// get_channels checks the app id and secret without placing a call. Piopiy may report a
	// rejection inside an HTTP 200 body, so each known failure code fails the test as well.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v2/piopiy/get_channels',
			method: 'POST',
			body: {},
		},
		rules: [
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
		],
	};
}
