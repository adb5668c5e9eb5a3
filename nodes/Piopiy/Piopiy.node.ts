import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationSubtitle, resourceProperties } from './operation';
import { requestOptionsProperty } from './requestOptions';
import { OPERATIONS, RESOURCES } from './resources';
import { runOperation } from './runOperation';

/**
 * The Piopiy node: its description is assembled from the resources (resources/<resource>/), each
 * operation bringing its own fields; execute() hands the items to the run engine (runOperation.ts).
 * docs/ARCHITECTURE.md draws the layers.
 */
export class Piopiy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Piopiy',
		name: 'piopiy',
		icon: { light: 'file:../shared/piopiy.svg', dark: 'file:../shared/piopiy.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(RESOURCES),
		description: 'Place phone calls through Piopiy (TeleCMI) cloud telephony',
		defaults: { name: 'Piopiy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'piopiyApi', required: true }],
		properties: [
			...resourceProperties(RESOURCES),
			// Last, and for every operation: how the run talks to Piopiy (timeout, retries, pace).
			requestOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, OPERATIONS);
	}
}
