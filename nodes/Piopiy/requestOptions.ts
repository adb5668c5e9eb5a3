import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { collectionSpec, named, numberSpec, schemaOf, type ValuesOf } from '../shared/fields';
import { readParameters } from './parameters';
import { MAX_RETRY_WAIT_SECONDS } from './transport/errors';

/**
 * How the node talks to Piopiy over a whole run: how long to wait for an answer, how to ride out
 * rate limits, and how fast to work through a long list. Shown for every operation (no
 * displayOptions), because these settings are about the run, not about one kind of request.
 */
const spec = collectionSpec(
	{
		displayName: 'Request Options',
		placeholder: 'Add Request Option',
		description: 'Timeout, rate-limit retries and pace. Read once per run, from the first item.',
	},
	{
		callsPerSecond: numberSpec({
			displayName: 'Max Calls per Second',
			min: 0,
			max: 100,
			decimals: 3,
			default: 0,
			unit: 'calls per second',
			description:
				'The most requests sent to Piopiy per second, spread out evenly: 2 sends one every half second, 0.5 one every 2 seconds. 0 means no limit (only Max Requests in Flight applies).',
		}),
		maxInFlight: numberSpec({
			displayName: 'Max Requests in Flight',
			min: 1,
			max: 100,
			default: 20,
			unit: 'requests',
			description:
				'How many requests may wait for Piopiy\'s answer at the same time. The next item is sent as soon as one answers, in item order. 1 sends them one after another.',
		}),
		maxRetryWait: numberSpec({
			displayName: 'Max Retry Wait (Seconds)',
			min: 1,
			max: MAX_RETRY_WAIT_SECONDS,
			default: 60,
			unit: 'seconds',
			description:
				'The longest single wait before a retry. If Piopiy asks (Retry-After) to wait longer than this, the item fails at once instead.',
		}),
		rateLimitRetries: numberSpec({
			displayName: 'Rate Limit Retries',
			min: 0,
			max: 10,
			default: 3,
			unit: 'retries',
			description:
				'How many times an item is sent again after Piopiy answers 429 Too Many Requests or refuses the connection. Neither places a call, so a retry cannot place a second one. Other failures are never retried.',
		}),
		retryWait: numberSpec({
			displayName: 'Retry Wait (Ms)',
			min: 0,
			max: 60000,
			default: 1000,
			unit: 'milliseconds',
			description:
				'Wait before the first retry when Piopiy does not say how long to wait (no Retry-After), in milliseconds. It doubles with each further retry, up to Max Retry Wait.',
		}),
		timeout: numberSpec({
			displayName: 'Timeout (Seconds)',
			min: 1,
			max: 600,
			default: 30,
			unit: 'seconds',
			description:
				'How long to wait for Piopiy to answer one request. A request that times out is not retried: the call may have been placed anyway.',
		}),
	},
);

/** The Request Options field, its property and schema from the specs above (test/field-specs.test.js checks them). */
export const requestOptionsField = named('requestOptions', spec);
export const requestOptionsProperty = requestOptionsField.property;
const schema = schemaOf({ requestOptions: spec });

export type RequestOptions = ValuesOf<typeof spec.specs>;

/**
 * Reads the Request Options once for the run, from item 0 (the window and the pace cannot differ
 * from item to item). A bad value stops the run before any request is sent.
 */
export function readRequestOptions(context: IExecuteFunctions): RequestOptions {
	try {
		return readParameters(context, 0, [requestOptionsProperty], schema).requestOptions;
	} catch (error) {
		const problem =
			error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error);
		problem.description =
			'Request Options apply to the whole run and are read once, from the first item. No request was sent to Piopiy for any item.';
		throw problem;
	}
}
