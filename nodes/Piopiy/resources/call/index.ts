import type { Resource } from '../../operation';
import * as customCall from './customCall.operation';
import * as dialerCall from './dialerCall.operation';
import * as hangUpCall from './hangUpCall.operation';
import * as maskCall from './maskCall.operation';
import * as orderConfirmationCall from './orderConfirmationCall.operation';
import * as transactionAlertCall from './transactionAlertCall.operation';

/** Calls: place one (each kind is an operation file here), or hang up a live one. */
export const call: Resource = {
	value: 'call',
	name: 'Call',
	description: 'Place a call, or hang up a live one',
	defaultOperation: 'maskCall',
	operations: [
		maskCall.operation,
		dialerCall.operation,
		transactionAlertCall.operation,
		orderConfirmationCall.operation,
		customCall.operation,
		hangUpCall.operation,
	],
};
