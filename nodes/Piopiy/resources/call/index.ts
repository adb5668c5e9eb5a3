import type { Resource } from '../../operation';
import * as aiAgentCall from './aiAgentCall.operation';
import * as customCall from './customCall.operation';
import * as dialerCall from './dialerCall.operation';
import * as flowCall from './flowCall.operation';
import * as hangUpCall from './hangUpCall.operation';
import * as maskCall from './maskCall.operation';
import * as orderConfirmationCall from './orderConfirmationCall.operation';
import * as transactionAlertCall from './transactionAlertCall.operation';
import * as transferCall from './transferCall.operation';

/** Calls: place one (each kind is an operation file here), or transfer or hang up a live one. */
export const call: Resource = {
	value: 'call',
	name: 'Call',
	description: 'Place a call, or transfer or hang up a live one',
	defaultOperation: 'maskCall',
	operations: [
		maskCall.operation,
		dialerCall.operation,
		transactionAlertCall.operation,
		orderConfirmationCall.operation,
		customCall.operation,
		hangUpCall.operation,
		aiAgentCall.operation,
		flowCall.operation,
		transferCall.operation,
	],
};
