import { createHash, timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { PCMO_ACTIONS, sayAndHangUp } from '../shared/pcmo';
import { bridgeOption, inboundAnswer, type Param } from './inboundAnswer';
import { ANSWER_TIMEOUT, AnswerGuard, answerTimeoutOf, sendJson, type HttpResponse } from './answerGuard';
import { CALL_EVENT_STATUSES, classify, EVENTS, eventItem, type PiopiyEvent } from './events';

/**
 * Piopiy Trigger: one webhook URL for what Piopiy posts (answer URL of an inbound call, keypresses,
 * call records, live events). Each request becomes one item; the events not chosen are answered
 * and dropped. Requests that need an answer (an inbound call, a keypress) always get a valid PCMO
 * action list, at once from this node, or from the workflow with a fallback when it fails or is
 * slow. Piopiy signs nothing: the URL's path is random by default, and a shared token can be
 * required as ?token=... (the Webhook Token of a Piopiy API or Piopiy Token API credential).
 */

type Respond = 'immediately' | 'lastNode' | 'responseNode';

/** The credential type whose Webhook Token each Authentication requires: either type holds one. */
const TOKEN_CREDENTIALS: Record<string, string | undefined> = { queryToken: 'piopiyApi', queryTokenV3: 'piopiyTokenApi' };

const DEFAULT_FALLBACK = 'Sorry, we cannot take your call right now. Please try again later.';
const DEFAULT_KEYPRESS_REPLY = 'Thank you. Goodbye.';

export class PiopiyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Piopiy Trigger',
		name: 'piopiyTrigger',
		icon: { light: 'file:../shared/piopiy.svg', dark: 'file:../shared/piopiy.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Piopiy posts an inbound call, a keypress, a call record or a call event',
		defaults: { name: 'Piopiy Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'piopiyApi',
				required: true,
				displayOptions: { show: { authentication: ['queryToken'] } },
			},
			{
				name: 'piopiyTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['queryTokenV3'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode:
					'={{ ["lastNode", "responseNode"].includes($parameter["respond"]) ? $parameter["respond"] : "onReceived" }}',
				responseData: 'firstEntryJson',
				path: '={{ $parameter["path"] }}',
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['inboundCall'],
				options: EVENTS,
				description:
					'Which of the requests Piopiy posts start the workflow. Others are answered (an inbound call with the fallback, a keypress with the keypress reply) and dropped.',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: '',
				placeholder: 'e.g. piopiy-orders-9f2c7e1d',
				description:
					'The end of the webhook URL. Leave empty for a random one. Piopiy signs nothing, so a hard-to-guess path (and the token below) is what keeps others out.',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				default: 'none',
				options: [
					{ name: 'None', value: 'none', description: 'Rely on the secret path' },
					{
						name: 'Token in Query (App ID and Secret Credential)',
						value: 'queryToken',
						description:
							"Require ?token= followed by the Webhook Token of a Piopiy API credential on every request; others get 401 and start nothing",
					},
					{
						name: 'Token in Query (API Token Credential)',
						value: 'queryTokenV3',
						description:
							"Require ?token= followed by the Webhook Token of a Piopiy Token API credential on every request; others get 401 and start nothing",
					},
				],
				description: 'How requests are checked to come from your Piopiy setup',
			},
			{
				displayName: 'Respond',
				name: 'respond',
				type: 'options',
				default: 'immediately',
				options: [
					{
						name: 'Immediately',
						value: 'immediately',
						description: 'This node answers at once with the actions set below; the workflow runs afterwards',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description: 'The first item of the last node carries the actions, as {"pcmo": [...]}',
					},
					{
						name: "Using 'Respond to Webhook' Node",
						value: 'responseNode',
						description: 'A Respond to Webhook node (version 1) answers with the action list',
					},
				],
				description:
					'How inbound calls and keypresses are answered. Piopiy waits on the answer with the caller on the line.',
				displayOptions: { show: { events: ['inboundCall', 'keypress'] } },
			},
			{
				displayName:
					'The answer must be a PCMO action list such as [{"action":"bridge","from":918044000000,"connect":[{"type":"pstn","number":919876543210}]}], or an object with it under "pcmo". If the workflow fails, answers anything else or takes longer than Answer Timeout, Piopiy gets the fallback instead. n8n\'s Respond to Webhook node answers only from version 1 for triggers other than its own (copy it from the example workflows).',
				name: 'workflowAnswerNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { events: ['inboundCall', 'keypress'], respond: ['lastNode', 'responseNode'] } },
			},
			{
				displayName: 'Answer Inbound Calls With',
				name: 'answerWith',
				type: 'options',
				default: 'agents',
				options: [
					{
						name: 'Connect to Agents',
						value: 'agents',
						description: 'Bridge the caller to your agents; they see your Piopiy number, not the caller’s',
					},
					{ name: 'Custom Actions', value: 'actions', description: 'A PCMO action list of your own, as JSON' },
				],
				description: 'What Piopiy does with an inbound call',
				displayOptions: { show: { events: ['inboundCall'], respond: ['immediately'] } },
			},
			{
				displayName: 'Agent Numbers',
				name: 'agentNumbers',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. +91 90000 00001, +91 90000 00002',
				description: 'The agents to connect the caller to, with country code, separated by commas',
				hint: 'They ring one after another, or all at once with Options > Ring Type > Group',
				displayOptions: { show: { events: ['inboundCall'], respond: ['immediately'], answerWith: ['agents'] } },
			},
			{
				displayName: 'Actions (JSON)',
				name: 'answerActions',
				type: 'json',
				required: true,
				default: '[\n  {"action": "speak", "text": "Thank you for calling."},\n  {"action": "hangup"}\n]',
				description: 'The PCMO action list Piopiy runs for every inbound call',
				displayOptions: { show: { events: ['inboundCall'], respond: ['immediately'], answerWith: ['actions'] } },
			},
			{
				displayName: 'Fallback Message',
				name: 'fallbackMessage',
				type: 'string',
				default: DEFAULT_FALLBACK,
				description:
					'Said to an inbound caller, before Piopiy hangs up, whenever no valid answer can be given: the workflow failed or was too slow, or the agent numbers are not valid',
				displayOptions: { show: { events: ['inboundCall'] } },
			},
			{
				displayName: 'Keypress Reply',
				name: 'keypressReply',
				type: 'string',
				default: DEFAULT_KEYPRESS_REPLY,
				description:
					'Said after the keys are received, before Piopiy hangs up. Leave empty to hang up at once. With the answer from the workflow, this is the fallback.',
				displayOptions: { show: { events: ['keypress'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					ANSWER_TIMEOUT.property,
					{
						displayName: 'Call Event Statuses',
						name: 'callEventStatuses',
						type: 'multiOptions',
						default: [],
						options: CALL_EVENT_STATUSES.map((status) => ({ name: status, value: status })),
						description: 'Only these live event statuses start the workflow. None chosen: all do.',
					},
					{
						displayName: 'Caller ID Shown to Agents',
						name: 'callerId',
						type: 'string',
						default: '',
						placeholder: 'The Piopiy number called',
						description: 'Connect to Agents: the number the agents see. Leave empty for the Piopiy number that was called.',
					},
					bridgeOption('duration'),
					{
						displayName: 'Greeting',
						name: 'greeting',
						type: 'string',
						default: '',
						placeholder: 'e.g. Please wait while we connect you.',
						description: 'Connect to Agents: said to the caller before the agents ring',
					},
					bridgeOption('loop'),
					{
						displayName: 'Record',
						name: 'record',
						type: 'boolean',
						default: false,
						description: 'Whether to record the connected call (Connect to Agents)',
					},
					bridgeOption('ringTimeout'),
					bridgeOption('ringType'),
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Piopiy has no API to register webhook URLs: they are set in its dashboard (see the README).
			// Activation therefore registers nothing; it checks the answer settings instead, so a typo
			// in an agent number stops the activation rather than a caller's call.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = checkSettings(<T>(name: string, fallback: T) => this.getNodeParameter(name, fallback) as T);
				if (problem) throw new NodeOperationError(this.getNode(), problem.message, { description: problem.description });
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject() as unknown as HttpResponse;
		const query = (this.getQueryData() ?? {}) as IDataObject;
		const param = <T>(name: string, fallback: T) => this.getNodeParameter(name, fallback) as T;

		const tokenCredential = TOKEN_CREDENTIALS[param<string>('authentication', 'none')];
		if (tokenCredential) {
			const credentials = await this.getCredentials<{ webhookToken?: string }>(tokenCredential);
			const expected = typeof credentials.webhookToken === 'string' ? credentials.webhookToken : '';
			if (expected === '') {
				this.logger.error('Piopiy Trigger: Authentication is "Token in Query" but the credential has no Webhook Token; every request is refused');
			}
			if (expected === '' || !sameSecret(query.token, expected)) {
				sendJson(res, 401, { message: 'Unauthorized' });
				return { noWebhookResponse: true };
			}
		}

		const body = this.getBodyData() as IDataObject;
		const event = classify(body);
		const events = param<string[]>('events', []);
		// What the trigger does not recognise starts the workflow only when "Other" is chosen.
		if (!event || (event === 'other' && !events.includes('other'))) {
			sendJson(res, 400, {
				message:
					'This is not a request Piopiy is known to send: expected an inbound call, a keypress, a call record or a call event. Choose "Other" in Events to receive it anyway.',
			});
			return { noWebhookResponse: true };
		}

		const item = eventItem(event, body, query);
		const options = param<IDataObject>('options', {});
		const chosen =
			events.includes(event) && (event !== 'callEvent' || statusChosen(item.status, options.callEventStatuses));
		const workflowData = chosen ? [[{ json: item }]] : undefined;

		// Records, events and others need no answer beyond "received".
		if (event === 'callRecord' || event === 'callEvent' || event === 'other') {
			sendJson(res, 200, { status: 'received' });
			return { noWebhookResponse: true, workflowData };
		}

		const fallback =
			event === 'inboundCall'
				? sayAndHangUp(param('fallbackMessage', DEFAULT_FALLBACK))
				: sayAndHangUp(param('keypressReply', DEFAULT_KEYPRESS_REPLY));
		const respond = param<Respond>('respond', 'immediately');

		if (chosen && respond !== 'immediately') {
			// Checked at activation; a value that still does not pass (a test URL, say) waits the default.
			const timeout = answerTimeoutOf(options);
			if ('problem' in timeout) this.logger.error(`Piopiy Trigger: ${timeout.problem}; waiting ${ANSWER_TIMEOUT.spec.fallback} seconds instead`);
			const seconds = 'seconds' in timeout ? timeout.seconds : (ANSWER_TIMEOUT.spec.fallback as number);
			const guard = new AnswerGuard(res, fallback, (reason) =>
				this.logger.warn(`Piopiy Trigger answered ${describe(event, item)} with the fallback: ${reason}`),
			);
			guard.startTimer(seconds * 1000);
			return { workflowData };
		}

		let answer = fallback;
		if (chosen && event === 'inboundCall') {
			const built = inboundAnswer(param, item.to);
			if ('problem' in built) this.logger.error(`Piopiy Trigger answered ${describe(event, item)} with the fallback: ${built.problem}`);
			else answer = built.actions;
		}
		sendJson(res, 200, answer);
		return { noWebhookResponse: true, workflowData };
	}
}

/** Compares the token given with the expected one in constant time (hashes first: lengths may differ). */
function sameSecret(given: unknown, expected: string): boolean {
	if (typeof given !== 'string') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}

function statusChosen(status: unknown, chosen: unknown): boolean {
	if (!Array.isArray(chosen) || chosen.length === 0) return true;
	return typeof status === 'string' && chosen.includes(status);
}

function describe(event: PiopiyEvent, item: IDataObject): string {
	const call = item.cmiuuid ?? item.cmuuid;
	return `the ${event === 'inboundCall' ? 'inbound call' : 'keypress'}${call ? ` of call ${String(call)}` : ''}${item.from !== undefined ? ` from ${String(item.from)}` : ''}`;
}

/**
 * The settings checked when the workflow is activated: what this node answers on its own must be
 * valid, or the problem is reported then rather than to a caller.
 */
function checkSettings(param: Param): { message: string; description: string } | undefined {
	const events = param<string[]>('events', []);
	if (!Array.isArray(events) || events.length === 0) {
		return { message: 'Choose at least one event', description: 'Events: the requests from Piopiy that start the workflow.' };
	}
	for (const [name, fallback] of [
		['fallbackMessage', DEFAULT_FALLBACK],
		['keypressReply', DEFAULT_KEYPRESS_REPLY],
	]) {
		const text = param(name, fallback);
		if (text.trim() !== '' && !PCMO_ACTIONS.speak.safeParse({ action: 'speak', text }).success) {
			return { message: `The ${name === 'fallbackMessage' ? 'Fallback Message' : 'Keypress Reply'} cannot be spoken`, description: 'Shorten it.' };
		}
	}
	const respond = param<Respond>('respond', 'immediately');
	if ((events.includes('inboundCall') || events.includes('keypress')) && respond !== 'immediately') {
		const timeout = answerTimeoutOf(param<IDataObject>('options', {}) ?? {});
		if ('problem' in timeout) {
			return {
				message: `Invalid ${timeout.problem}`,
				description:
					"Answer Timeout is how long a caller waits on the line for the workflow's answer before hearing the fallback: a whole number of seconds from 1 to 30.",
			};
		}
	}
	if (events.includes('inboundCall') && respond === 'immediately') {
		// 919999999999 stands in for the number called, which is known only when a call comes in.
		const built = inboundAnswer(param, 919999999999);
		if ('problem' in built) {
			return {
				message: `The answer to inbound calls is not valid: ${built.problem}`,
				description: 'Fix it under "Answer Inbound Calls With", then activate the workflow again. Callers would hear the Fallback Message until then.',
			};
		}
	}
	return undefined;
}

