import { wholeNumber } from '../values';
import { flag, optionalObject } from './checks';

/**
 * Call-level `options` of v3's ai, pcmo and flow calls (docs/piopiy-api.md section 7): only these
 * three keys, in this order on the wire (the order every SDK capture shows).
 */
export const CALL_LIMITS = {
	maxDurationSec: { min: 30, max: 7200 },
	ringTimeoutSec: { min: 5, max: 120 },
};

export const callOptions = optionalObject('the call options', {
	fields: {
		max_duration_sec: wholeNumber(CALL_LIMITS.maxDurationSec.min, CALL_LIMITS.maxDurationSec.max, 'seconds'),
		record: flag,
		ring_timeout_sec: wholeNumber(CALL_LIMITS.ringTimeoutSec.min, CALL_LIMITS.ringTimeoutSec.max, 'seconds'),
	},
	hints: {
		machine_detection: 'machine detection is an option of a connect action (params.options), not of the call',
		recording: 'recording settings belong to a connect action (params.options); the call has "record": true',
		duration: 'v3 calls it "max_duration_sec"',
		timeout: 'v3 calls it "ring_timeout_sec"',
	},
});
