import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
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

	documentationUrl = 'https://doc.telecmi.com/piopiy/docs/get-started';

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
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			body: {
				appid: '={{$credentials.appId}}',
				secret: '={{$credentials.appSecret}}',
			},
		},
	};

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
