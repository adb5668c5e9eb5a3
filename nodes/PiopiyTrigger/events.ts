import type { IDataObject } from 'n8n-workflow';

/**
 * What Piopiy posts (docs/piopiy-api.md#6-webhooks), told apart by its documented fields, since one trigger URL
 * may be given to Piopiy for several purposes:
 * - call record (CDR): `type: "cdr"`;
 * - keypress, to an input action's action_url: `dtmf` (with the call id as `cmuuid`, sic);
 * - live call event: `type: "event"`, or a `status` (stream events come without a type);
 * - inbound call, to the answer URL: `from` and `to` and none of the above;
 * - other: any other JSON object, such as what Piopiy's v3 API posts to an on_result URL, which is
 *   not documented (docs/piopiy-api.md section 7.7). A v3 result that carries the keys as `dtmf`
 *   or `digits` (at the top, or inside `result` or `data`) is read as a keypress.
 */
export type PiopiyEvent = 'inboundCall' | 'keypress' | 'callRecord' | 'callEvent' | 'other';

export const EVENTS: Array<{ value: PiopiyEvent; name: string; description: string }> = [
	{
		value: 'callEvent',
		name: 'Call Event',
		description: 'A live event of a call: started, ringing, answered, bridged, hung up (the Event URL)',
	},
	{
		value: 'callRecord',
		name: 'Call Record',
		description: 'The call detail record (CDR) Piopiy posts when a call ends (the CDR URL)',
	},
	{
		value: 'inboundCall',
		name: 'Inbound Call',
		description: 'Someone calls your Piopiy number; this node answers with the actions to take (the Answer URL)',
	},
	{
		value: 'keypress',
		name: 'Keypress',
		description: 'The keys a person pressed during a call (the Keypress URL of an Order Confirmation Call)',
	},
	{
		value: 'other',
		name: 'Other',
		description:
			"Any other request with a JSON body, passed on as it came: what Piopiy's v3 API posts to a Result URL is not documented",
	},
];

/** Live event statuses Piopiy documents. */
export const CALL_EVENT_STATUSES = [
	'out_started',
	'ringing',
	'out_answered',
	'out_bridged',
	'in_answered',
	'hangup',
	'stream_connected',
	'STREAM_DISCONNECTED',
];

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

export function classify(body: unknown): PiopiyEvent | undefined {
	if (!isObject(body)) return undefined;
	if (body.type === 'cdr') return 'callRecord';
	if (keysPressed(body) !== undefined) return 'keypress';
	if (body.type === 'event' || typeof body.status === 'string') return 'callEvent';
	if (body.from !== undefined && body.to !== undefined) return 'inboundCall';
	return 'other';
}

/** The keys pressed: v2's `dtmf`; for v3, whose post is not documented, also `digits`, or either inside `result` or `data`. */
function keysPressed(body: IDataObject): unknown {
	for (const at of [body, body.result, body.data]) {
		if (!isObject(at)) continue;
		for (const key of ['dtmf', 'digits']) {
			const value = at[key];
			if (typeof value === 'string' || typeof value === 'number') return value;
			if (at === body && key === 'dtmf' && value !== undefined) return value;
		}
	}
	return undefined;
}

/**
 * Fields of the item that the trigger sets itself. A body's own keys of these names are dropped:
 * Piopiy sends none of them, and a forged `"event": "callRecord"` in an inbound call's body must
 * not steer a Switch on `$json.event`.
 */
export const TRIGGER_FIELDS = ['event', 'cdr_kind', 'extra_params_raw'];

/**
 * The item a request becomes: `event`, then every field Piopiy sent as it sent it (except those of
 * TRIGGER_FIELDS), with `extra_params` parsed from its JSON string into an object ({} when there is
 * none; when it is not valid JSON, {} and the text kept as `extra_params_raw`). A keypress has no
 * extra_params of its own: they come from the `extra_params` query parameter the Order Confirmation
 * Call adds to its Keypress URL. A keypress also gets `cmiuuid`, always its `cmuuid` (Piopiy's
 * spelling there), and a call record `cdr_kind`: in_answered, in_missed, out_answered or out_missed.
 */
export function eventItem(event: PiopiyEvent, body: IDataObject, query: IDataObject): IDataObject {
	// fromEntries and spread define keys: a "__proto__" key in the body stays a plain key.
	const sent = Object.fromEntries(Object.entries(body).filter(([key]) => !TRIGGER_FIELDS.includes(key)));
	const item: IDataObject = { event, ...sent };
	if (event === 'keypress' && body.cmuuid !== undefined) item.cmiuuid = body.cmuuid;
	// A v3-shaped keypress gets the keys where a v2 one has them, as text.
	if (event === 'keypress' && body.dtmf === undefined) item.dtmf = String(keysPressed(body));
	if (event === 'callRecord' && typeof body.direction === 'string' && typeof body.status === 'string') {
		item.cdr_kind = `${body.direction === 'inbound' ? 'in' : 'out'}_${body.status}`;
	}

	const given = body.extra_params !== undefined ? body.extra_params : query.extra_params;
	if (isObject(given)) {
		item.extra_params = given;
	} else if (typeof given === 'string' && given.trim() !== '') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(given);
		} catch {
			parsed = undefined;
		}
		item.extra_params = isObject(parsed) ? parsed : {};
		if (!isObject(parsed)) item.extra_params_raw = given;
	} else {
		item.extra_params = {};
	}
	return item;
}
