import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operations, router } from './actions/router';

export class Piopiy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Piopiy',
		name: 'piopiy',
		icon: { light: 'file:piopiy.svg', dark: 'file:piopiy.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ {"maskCall": "Mask Call", "dialerCall": "Dialer Call"}[$parameter["operation"]] }}',
		description: 'Place phone calls through Piopiy (TeleCMI) cloud telephony',
		defaults: { name: 'Piopiy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'piopiyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Dialer Call',
						value: 'dialerCall',
						action: 'Place a dialer call',
						description: 'Ring a customer first, then connect them to one of your agents',
					},
					{
						name: 'Mask Call',
						value: 'maskCall',
						action: 'Place a masked call',
						description:
							'Ring an agent first, then connect them to a customer; both see your Piopiy number, not each other’s',
					},
				],
				default: 'maskCall',
			},
			...operations.maskCall.description,
			...operations.dialerCall.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
