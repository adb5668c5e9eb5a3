import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { piopiyError, type PiopiyFailure } from './errors';

export const DEFAULT_BASE_URL = 'https://rest.telecmi.com';

/** A request ready to be sent: the path under the credential's base URL, the JSON body, and what it does. */
export interface PiopiyRequest {
	path: string;
	body: IDataObject;
	/** Words for error messages, e.g. "the call to 919876543210". */
	what: string;
	/** Whether the request places a call: a failure after sending it may have placed one anyway. */
	placesCall: boolean;
}


/**
 * Every request to Piopiy goes through here: it sends the JSON body with the credential applied,
 * never throws the HTTP client's own error (which holds the secret), and treats an error code inside
 * an HTTP 200 body as the error it is. It returns Piopiy's answer as received.
 */
export async function piopiyApiRequest(
	this: IExecuteFunctions,
	request: PiopiyRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>('piopiyApi', itemIndex);
	const baseURL = (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	const fail = (failure: PiopiyFailure) => piopiyError(this.getNode(), failure, itemIndex, request.what);

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'piopiyApi', {
			method: 'POST',
			baseURL,
			url: request.path,
			headers: { Accept: 'application/json' },
			body: request.body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw fail({ networkCode: networkCodeOf(error), mayHaveBeenPlaced: wasSent(error) && request.placesCall });
	}

	const body = asJsonObject(response.body);
	const piopiyCode = codeOf(body);
	const piopiyMessage = messageOf(body);
	const httpCode = response.statusCode;

	if (httpCode < 200 || httpCode >= 300 || (piopiyCode !== undefined && piopiyCode !== 200)) {
		throw fail({
			httpCode,
			piopiyCode,
			piopiyMessage,
			mayHaveBeenPlaced: request.placesCall && httpCode >= 500,
		});
	}
	if (body === undefined) {
		throw fail({
			httpCode,
			piopiyMessage: 'the answer is not a JSON object',
			mayHaveBeenPlaced: request.placesCall,
		});
	}
	return body;
}

function asJsonObject(body: unknown): IDataObject | undefined {
	let value = body;
	if (typeof value === 'string' || Buffer.isBuffer(value)) {
		try {
			value = JSON.parse(value.toString());
		} catch {
			return undefined;
		}
	}
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** Piopiy reports its result as `cmi_code`; some of its pages show `code` instead. */
function codeOf(body: IDataObject | undefined): number | undefined {
	const code = body?.cmi_code ?? body?.code;
	const number = typeof code === 'string' ? Number(code) : code;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function messageOf(body: IDataObject | undefined): string | undefined {
	const data = body?.data as IDataObject | undefined;
	for (const candidate of [body?.message, body?.msg, body?.error, data?.message, data?.msg]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim().slice(0, 300);
	}
	return undefined;
}

function networkCodeOf(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return 'NETWORK_ERROR';
}

/** Whether a failed request may have reached Piopiy: only a refused or unresolved connection did not. */
function wasSent(error: unknown): boolean {
	return !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL'].includes(networkCodeOf(error));
}
