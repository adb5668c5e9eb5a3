import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsDescription } from './actions/requestOptions';
import { operations, router } from './actions/router';

export class Piopiy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Piopiy',
		name: 'piopiy',
		icon: { light: 'file:piopiy.svg', dark: 'file:piopiy.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ {"maskCall": "Mask Call", "dialerCall": "Dialer Call", "transactionAlertCall": "Transaction Alert Call", "orderConfirmationCall": "Order Confirmation Call", "customCall": "Custom Call", "hangUpCall": "Hang Up Call", "getCallRecord": "Get Call Record"}[$parameter["operation"]] }}',
		description: 'Place phone calls through Piopiy (TeleCMI) cloud telephony',
		defaults: { name: 'Piopiy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'piopiyApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call', value: 'call', description: 'Place a call, or hang up a live one' },
					{ name: 'Call Record', value: 'callRecord', description: 'Read what Piopiy recorded about a call' },
				],
				default: 'call',
				description: 'What to work on: calls, or the records Piopiy keeps of them',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['call'] } },
				options: [
					{
						name: 'Custom Call',
						value: 'customCall',
						action: 'Place a call with custom actions',
						description: 'Call a number and run your own list of Piopiy actions (speak, play, collect keys, connect, record, hang up)',
					},
					{
						name: 'Dialer Call',
						value: 'dialerCall',
						action: 'Place a dialer call',
						description: 'Ring a customer first, then connect them to one of your agents',
					},
					{
						name: 'Hang Up Call',
						value: 'hangUpCall',
						action: 'Hang up a call',
						description: 'End a live call by its call ID',
					},
					{
						name: 'Mask Call',
						value: 'maskCall',
						action: 'Place a masked call',
						description:
							'Ring an agent first, then connect them to a customer; both see your Piopiy number, not each other’s',
					},
					{
						name: 'Order Confirmation Call',
						value: 'orderConfirmationCall',
						action: 'Place an order confirmation call',
						description: 'Call a customer, read out the order and collect the key they press to confirm or cancel it',
					},
					{
						name: 'Transaction Alert Call',
						value: 'transactionAlertCall',
						action: 'Place a transaction alert call',
						description: 'Call a number, say a message (or play a recording), then hang up',
					},
				],
				default: 'maskCall',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['callRecord'] } },
				options: [
					{
						name: 'Get Call Record',
						value: 'getCallRecord',
						action: 'Get a call record',
						description: 'Get the call detail record of a call by its request ID or call ID',
					},
				],
				default: 'getCallRecord',
			},
			...operations.maskCall.description,
			...operations.dialerCall.description,
			...operations.transactionAlertCall.description,
			...operations.orderConfirmationCall.description,
			...operations.customCall.description,
			...operations.hangUpCall.description,
			...operations.getCallRecord.description,
			// Last, and for every operation: how the run talks to Piopiy (timeout, retries, batching).
			requestOptionsDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
