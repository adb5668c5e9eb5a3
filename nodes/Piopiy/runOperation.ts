import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Operation } from './operation';
import { readRequestOptions, type RequestOptions } from './requestOptions';
import { newRunPace, openRun, piopiyApiRequest, type PiopiyRequest, type PiopiyRun } from './transport';

type NodeError = NodeApiError | NodeOperationError;

/**
 * Runs the chosen operation for every input item. All items are checked first and only then are
 * calls placed: a bad item found halfway down a contact list must not leave the first half called
 * and the second half not. Requests then go out through a sliding window (Request Options): at
 * most "Max Requests in Flight" wait for an answer at any moment, the next item is sent as soon as
 * one answers, in item order, and "Max Calls per Second" spaces the sends evenly. With "On Error:
 * Continue", each item yields exactly one output item, paired to it: Piopiy's answer, or the error
 * that item met. Without it, the run sends nothing more after the first failure, waits for the
 * requests already in flight, and says which items had placed their calls.
 */
export async function runOperation(
	context: IExecuteFunctions,
	operations: ReadonlyMap<string, Operation>,
): Promise<INodeExecutionData[][]> {
	return await run.call(context, operations);
}

async function run(this: IExecuteFunctions, operations: ReadonlyMap<string, Operation>): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	// None when the resource has no Operation list under this node's Authentication (imported JSON).
	const operationName = this.getNodeParameter('operation', 0, '') as string;
	const operation = operations.get(operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			operationName === ''
				? `No operation is chosen for the resource ${JSON.stringify(this.getNodeParameter('resource', 0, ''))}`
				: `The operation "${operationName}" is not known to this node`,
			{ description: "Choose a Resource and an Operation from the node's lists. No request was sent to Piopiy." },
		);
	}
	if (items.length === 0) return [[]];

	const continueOnFail = this.continueOnFail();
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const requests: Array<PiopiyRequest | undefined> = new Array(items.length);

	// Once per run: the Request Options, and the credential (read and decrypted once), whose API
	// generation decides which request each item becomes.
	let settings: RequestOptions;
	let piopiy: PiopiyRun;
	try {
		settings = readRequestOptions(this);
		piopiy = await openRun.call(this, {
			timeoutSeconds: settings.timeout,
			retries: settings.rateLimitRetries,
			retryWaitMs: settings.retryWait,
			maxRetryWaitSeconds: settings.maxRetryWait,
			pace: newRunPace(settings.callsPerSecond),
		});
	} catch (error) {
		if (!continueOnFail) throw asNodeError(this, error, 0);
		return [items.map((_, itemIndex) => errorItem(asNodeError(this, error, itemIndex), itemIndex))];
	}

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			requests[itemIndex] = operation.buildRequest(this, itemIndex, piopiy.target);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			results[itemIndex] = errorItem(nodeError, itemIndex);
		}
	}

	// n8n's own "Retry On Fail" runs the whole node again after a failure (and, with "Continue",
	// whenever the first item failed): every call already placed would be placed again.
	if (this.getNode().retryOnFail && requests.some((request) => request?.placesCall)) {
		const refusal = new NodeOperationError(
			this.getNode(),
			'Turn off "Retry On Fail" in this node\'s settings: it would place calls a second time',
			{
				description:
					'n8n\'s Retry On Fail runs the whole node again after an error, calling again every item whose call was already placed. This node retries by itself what is safe to retry (rate limits and refused connections: Request Options > Rate Limit Retries) and never re-sends a request that may have placed a call. No request was sent.',
			},
		);
		if (!continueOnFail) throw refusal;
		requests.forEach((request, itemIndex) => {
			if (request) results[itemIndex] = errorItem(refusal, itemIndex);
		});
		return [results as INodeExecutionData[]];
	}

	const pending = requests.flatMap((request, itemIndex) => (request ? [itemIndex] : []));
	if (pending.length === 0) return [results as INodeExecutionData[]];

	const placed: boolean[] = new Array(items.length).fill(false);
	let next = 0;
	let failure: NodeError | undefined;

	const send = async (itemIndex: number): Promise<void> => {
		const request = requests[itemIndex]!;
		// A request is never sent twice: let it go on long lists.
		requests[itemIndex] = undefined;
		try {
			const response = await piopiyApiRequest.call(this, request, itemIndex, piopiy);
			results[itemIndex] = { json: response, pairedItem: { item: itemIndex } };
			placed[itemIndex] = true;
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			results[itemIndex] = errorItem(nodeError, itemIndex);
			if (!continueOnFail) failure ??= nodeError;
		}
	};
	// The sliding window: each lane sends the next item in order as soon as its own answer is in,
	// so at most maxInFlight requests wait at any moment and none waits for a slower neighbour.
	// After a failure (without Continue) or a cancelled run, nothing more is sent; the requests
	// already in flight are waited for.
	const lane = async (): Promise<void> => {
		while (next < pending.length && !failure && !piopiy.signal?.aborted) await send(pending[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(settings.maxInFlight, pending.length) }, lane));

	const notSent = pending.slice(next);
	if (failure) throw withProgress(failure, results, placed, notSent, settings.maxInFlight > 1);
	if (notSent.length > 0) {
		const stopped = new NodeOperationError(this.getNode(), 'The run was stopped before this item was sent', {
			description: 'Nothing was sent for this item, so no call was placed.',
			itemIndex: notSent[0],
		});
		if (!continueOnFail) throw withProgress(stopped, results, placed, notSent, true);
		for (const itemIndex of notSent) results[itemIndex] = errorItem(stopped, itemIndex);
	}

	const { retriedItems, retries } = piopiy.policy.pace;
	if (retries > 0) {
		this.addExecutionHints({
			message: `Piopiy limited the request rate or refused the connection: ${retriedItems} ${retriedItems === 1 ? 'item was' : 'items were'} sent again (${retries} ${retries === 1 ? 'retry' : 'retries'} in all). Neither places a call, so no call was placed twice. To avoid the waits, lower Max Requests in Flight or set Max Calls per Second in Request Options.`,
			type: 'info',
			location: 'outputPane',
		});
	}

	return [results as INodeExecutionData[]];
}

/** n8n's own errors (an expression that failed, say) pass as they are; anything else is wrapped. */
function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * The output item of a failed input item, under "On Error: Continue". Only the keys `error` and
 * `details` are used: n8n sends an item shaped so to the error output when "Continue (using error
 * output)" is chosen, and an item with the error object attached would lose its details.
 */
function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	const response = (error as { errorResponse?: IDataObject }).errorResponse;
	if (response) {
		for (const key of ['httpCode', 'piopiyCode', 'piopiyMessage', 'networkCode', 'mayHaveBeenPlaced', 'retries']) {
			if (response[key] !== undefined) details[key] = response[key];
		}
	}
	details.itemIndex = itemIndex;
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

/**
 * When a run stops at an item, say which calls were already placed (they are not undone), which
 * may have been, and, when several requests were in flight, which other items failed without
 * placing a call and which were never sent: what a person needs before running the list again.
 */
function withProgress(
	error: NodeError,
	results: Array<INodeExecutionData | undefined>,
	placed: boolean[],
	notSent: number[],
	concurrent: boolean,
): NodeError {
	const done: number[] = [];
	const uncertain: number[] = [];
	const refused: number[] = [];
	results.forEach((result, itemIndex) => {
		const details = result?.json.details as IDataObject | undefined;
		if (placed[itemIndex]) done.push(itemIndex);
		else if (!details || details.itemIndex === error.context.itemIndex) return;
		else if (details.mayHaveBeenPlaced === true) uncertain.push(itemIndex);
		else refused.push(itemIndex);
	});
	const notes: string[] = [];
	if (uncertain.length > 0) {
		notes.push(`Other items whose calls may or may not have been placed (check the call records): ${ranges(uncertain)}.`);
	}
	if (concurrent && refused.length > 0) notes.push(`Other items that failed without placing a call: ${ranges(refused)}.`);
	if (concurrent && notSent.length > 0) notes.push(`Items never sent: ${ranges(notSent)}.`);
	if (concurrent && done.length > 0) notes.push(`Items whose calls were placed: ${ranges(done)}.`);
	if (done.length > 0) {
		notes.push(
			`${done.length} of ${results.length} items had already placed their calls before this one failed; they are not undone.`,
		);
	}
	if (notes.length > 0) {
		const note = notes.join(' ');
		error.description = error.description ? `${error.description} ${note}` : note;
	}
	return error;
}

/** [0,1,2,3,7,9,10] -> "0-3, 7, 9-10", shortened when long. */
function ranges(indices: number[]): string {
	const parts: string[] = [];
	for (let i = 0; i < indices.length; i++) {
		const first = indices[i];
		while (i + 1 < indices.length && indices[i + 1] === indices[i] + 1) i++;
		parts.push(first === indices[i] ? `${first}` : `${first}-${indices[i]}`);
	}
	return parts.length > 12 ? `${parts.slice(0, 12).join(', ')} and more` : parts.join(', ');
}
