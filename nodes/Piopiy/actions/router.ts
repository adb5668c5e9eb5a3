import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { piopiyApiRequest, type PiopiyRequest } from '../transport';
import * as dialerCall from './dialerCall.operation';
import * as maskCall from './maskCall.operation';

type NodeError = NodeApiError | NodeOperationError;

interface Operation {
	description: INodeProperties[];
	buildRequest(this: IExecuteFunctions, itemIndex: number): PiopiyRequest;
}

export const operations: Record<string, Operation> = { maskCall, dialerCall };

/**
 * Runs the chosen operation for every input item. All items are checked first and only then are
 * calls placed: a bad item found halfway down a contact list must not leave the first half called
 * and the second half not. With "On Error: Continue", each item yields exactly one output item,
 * paired to it: Piopiy's answer, or the error that item met.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known to this node`);
	}

	const continueOnFail = this.continueOnFail();
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const requests: Array<PiopiyRequest | undefined> = new Array(items.length);

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			requests[itemIndex] = operation.buildRequest.call(this, itemIndex);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			results[itemIndex] = errorItem(nodeError, itemIndex);
		}
	}

	let placed = 0;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const request = requests[itemIndex];
		if (!request) continue;
		try {
			const response = await piopiyApiRequest.call(this, request, itemIndex);
			results[itemIndex] = { json: response, pairedItem: { item: itemIndex } };
			placed++;
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw withProgress(nodeError, placed, items.length);
			results[itemIndex] = errorItem(nodeError, itemIndex);
		}
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
		for (const key of ['httpCode', 'piopiyCode', 'piopiyMessage', 'networkCode', 'mayHaveBeenPlaced']) {
			if (response[key] !== undefined) details[key] = response[key];
		}
	}
	details.itemIndex = itemIndex;
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

/** When a run stops at an item, say how many calls earlier items had already placed. */
function withProgress(error: NodeError, placed: number, total: number): NodeError {
	if (placed > 0) {
		const note = `${placed} of ${total} items had already placed their calls before this one failed; they are not undone.`;
		error.description = error.description ? `${error.description} ${note}` : note;
	}
	return error;
}
