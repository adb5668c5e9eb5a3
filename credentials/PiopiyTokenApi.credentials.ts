import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { SHARED_FIELDS, V3_APP_NOT_ACTIVE, V3_TEST_BASE_URL, V3_TEST_REQUEST, withApiToken } from './apiToken';

/**
 * An API token from the Piopiy dashboard, for Piopiy's v3 API (docs/piopiy-api.md section 7): sent
 * as `Authorization: Bearer ...`. Version 2 of the Piopiy node uses it under Authentication "API
 * Token", the Piopiy Trigger under "Token in Query (API Token Credential)". Its fields have the
 * names a Piopiy API credential saved by version 0.2.0 with API "API Token" gives them.
 */
export class PiopiyTokenApi implements ICredentialType {
	name = 'piopiyTokenApi';

	displayName = 'Piopiy Token API';

	icon = { light: 'file:../nodes/shared/piopiy.svg', dark: 'file:../nodes/shared/piopiy.dark.svg' } as const;

	documentationUrl = 'https://github.com/piopiy-community/n8n-nodes-piopiy#credentials-piopiy-api';

	properties: INodeProperties[] = [
		SHARED_FIELDS.apiToken,
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'number',
			default: 0,
			required: true,
			description:
				'The numeric App ID of the Piopiy app that places the calls (Piopiy dashboard > Apps). Mask, Dialer, Transaction Alert, Order Confirmation, Custom and Flow Calls name it, and AI Agent Calls with a failover agent.',
		},
		SHARED_FIELDS.v3BaseUrl,
		SHARED_FIELDS.webhookToken,
	];

	/** The token in the Authorization header and nowhere else (apiToken.ts). */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withApiToken(credentials.apiToken, requestOptions);
	}

	/** A hang-up of the nil call id, which places no call and hangs up nothing (apiToken.ts). */
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${V3_TEST_BASE_URL} }}`,
			url: V3_TEST_REQUEST.url,
			method: 'POST',
			body: V3_TEST_REQUEST.body,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Piopiy refused the API Token (HTTP 401): copy it again from the Piopiy dashboard, without spaces',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Piopiy refused the API Token (HTTP 403): it is not allowed, or its app is not active',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Piopiy answered 404 Not Found: check the V3 Base URL (it ends in /v3). With the right URL, it would mean Piopiy accepted the token and reported the test call (which does not exist) as not found.',
				},
			},
			V3_APP_NOT_ACTIVE,
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
