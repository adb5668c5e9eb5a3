import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { wholeNumber } from '../../shared/values';
import { readParameters } from '../validation';

/**
 * How the node talks to Piopiy over a whole run: how long to wait for an answer, how to ride out
 * rate limits, and how fast to work through a long list. Shown for every operation (no
 * displayOptions), because these settings are about the run, not about one kind of request.
 */
export const requestOptionsDescription: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Request Option',
	default: {},
	description: 'Timeout, rate-limit retries and batching. Read once per run, from the first item.',
	options: [
		{
			displayName: 'Batch Interval (Ms)',
			name: 'batchInterval',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600000 },
			default: 0,
			description:
				'Time to wait after each batch before sending the next, in milliseconds. With Items per Batch at 1, this is the pause between two calls.',
		},
		{
			displayName: 'Items per Batch',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 1,
			description:
				'How many requests are sent to Piopiy at the same time. The next batch starts once every request of this one has its answer. 1 sends them one after another.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWait',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 60,
			description:
				'The longest single wait before a retry. If Piopiy asks (Retry-After) to wait longer than this, the item fails at once instead.',
		},
		{
			displayName: 'Rate Limit Retries',
			name: 'rateLimitRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'How many times an item is sent again after Piopiy answers 429 Too Many Requests or refuses the connection. Neither places a call, so a retry cannot place a second one. Other failures are never retried.',
		},
		{
			displayName: 'Retry Wait (Ms)',
			name: 'retryWait',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 60000 },
			default: 1000,
			description:
				'Wait before the first retry when Piopiy does not say how long to wait (no Retry-After), in milliseconds. It doubles with each further retry, up to Max Retry Wait.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 30,
			description:
				'How long to wait for Piopiy to answer one request. A request that times out is not retried: the call may have been placed anyway.',
		},
	],
};

const schema = z.object({
	requestOptions: z
		.object({
			timeout: wholeNumber(1, 600, 'seconds').default(30),
			rateLimitRetries: wholeNumber(0, 10, 'retries').default(3),
			retryWait: wholeNumber(0, 60000, 'milliseconds').default(1000),
			maxRetryWait: wholeNumber(1, 3600, 'seconds').default(60),
			batchSize: wholeNumber(1, 100, 'items').default(1),
			batchInterval: wholeNumber(0, 3600000, 'milliseconds').default(0),
		})
		.default({}),
});

export type RequestOptions = z.output<typeof schema>['requestOptions'];

/**
 * Reads the Request Options once for the run, from item 0 (batching and pacing cannot differ
 * from item to item). A bad value stops the run before any request is sent.
 */
export function readRequestOptions(context: IExecuteFunctions): RequestOptions {
	try {
		return readParameters(context, 0, [requestOptionsDescription], schema).requestOptions;
	} catch (error) {
		const problem =
			error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error);
		problem.description =
			'Request Options apply to the whole run and are read once, from the first item. No request was sent to Piopiy for any item.';
		throw problem;
	}
}
