import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * Piopiy's failures translated into errors a workflow builder can act on. Each keeps the HTTP
 * status, Piopiy's own code and message and the item index. None is built from the HTTP client's
 * error object: that one carries the request body, and so the App Secret.
 */
export interface PiopiyFailure {
	/** HTTP status, when Piopiy answered at all. */
	httpCode?: number;
	/** `cmi_code` (or `code`) from Piopiy's body. */
	piopiyCode?: number;
	/** Piopiy's own words, when it gave any. */
	piopiyMessage?: string;
	/** A network-level failure code such as ECONNRESET or ETIMEDOUT. */
	networkCode?: string;
	/** True when the request may have reached Piopiy, so a call may exist although this failed. */
	mayHaveBeenPlaced: boolean;
}

const CHECK_RECORDS =
	'The call may or may not have been placed. Do not simply run this item again: check the call records in the Piopiy dashboard (or Get Call Record) first, matching on the numbers, the time or the Extra Params.';

export function piopiyError(node: INode, failure: PiopiyFailure, itemIndex: number, what: string): NodeApiError {
	const { message, description } = explain(failure, what);
	const details: JsonObject = { message };
	if (failure.httpCode !== undefined) details.httpCode = String(failure.httpCode);
	if (failure.piopiyCode !== undefined) details.piopiyCode = failure.piopiyCode;
	if (failure.piopiyMessage !== undefined) details.piopiyMessage = failure.piopiyMessage;
	if (failure.networkCode !== undefined) details.networkCode = failure.networkCode;
	details.mayHaveBeenPlaced = failure.mayHaveBeenPlaced;

	return new NodeApiError(node, details, {
		message,
		description,
		httpCode: failure.httpCode !== undefined ? String(failure.httpCode) : undefined,
		itemIndex,
	});
}

function explain(failure: PiopiyFailure, what: string): { message: string; description: string } {
	const { httpCode, piopiyCode, piopiyMessage, networkCode } = failure;
	const said = piopiyMessage ? `: ${piopiyMessage}` : '';
	const codes = [
		httpCode !== undefined ? `HTTP ${httpCode}` : undefined,
		piopiyCode !== undefined ? `Piopiy code ${piopiyCode}` : undefined,
	]
		.filter(Boolean)
		.join(', ');
	const code = piopiyCode ?? httpCode;

	if (networkCode) {
		return failure.mayHaveBeenPlaced
			? {
					message: `No answer from Piopiy for ${what} (${networkCode})`,
					description: `The request was sent but the connection failed before Piopiy answered. ${CHECK_RECORDS}`,
				}
			: {
					message: `Could not reach Piopiy for ${what} (${networkCode})`,
					description:
						'Nothing was sent, so no call was placed. Check the Base URL in the Piopiy API credential and the network, then run it again.',
				};
	}
	if (code === 401 || code === 403 || code === 407 || code === 420) {
		return {
			message: `Piopiy rejected the App ID or App Secret (${codes}${said})`,
			description:
				'Check the App ID and App Secret in the Piopiy API credential (Piopiy dashboard > Apps). No call was placed.',
		};
	}
	if (httpCode === 404) {
		return {
			message: `Piopiy has no such endpoint (${codes}${said})`,
			description:
				'Check the Base URL in the Piopiy API credential: it should be https://rest.telecmi.com unless you use a proxy. No call was placed.',
		};
	}
	if (code === 429) {
		return {
			message: `Piopiy is limiting the request rate (${codes}${said})`,
			description: 'Piopiy refused the request, so no call was placed. Slow down with the batching options and run it again.',
		};
	}
	if (httpCode !== undefined && httpCode >= 500) {
		return {
			message: `Piopiy's server failed while handling ${what} (${codes}${said})`,
			description: CHECK_RECORDS,
		};
	}
	if (code !== undefined && code >= 400) {
		return {
			message: `Piopiy refused ${what} (${codes}${said})`,
			description:
				'Piopiy did not accept a number or an option of this request, so no call was placed. Check the numbers (country code first) and the options against what your Piopiy plan allows.',
		};
	}
	return {
		message: `Piopiy gave an answer this node does not understand for ${what} (${codes}${said})`,
		description: failure.mayHaveBeenPlaced
			? CHECK_RECORDS
			: 'The request was not acted on. Try again later or report it to Piopiy support.',
	};
}
