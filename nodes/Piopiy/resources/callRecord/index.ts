import type { Resource } from '../../operation';
import * as getCallRecord from './getCallRecord.operation';

/** The records Piopiy keeps of calls. */
export const callRecord: Resource = {
	value: 'callRecord',
	name: 'Call Record',
	description: 'Read what Piopiy recorded about a call',
	defaultOperation: 'getCallRecord',
	operations: [getCallRecord.operation],
};
