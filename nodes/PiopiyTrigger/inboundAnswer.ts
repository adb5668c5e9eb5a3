import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { BRIDGE, bridgeInput } from '../shared/bridge';
import { named, relabel } from '../shared/fields';
import { issueText } from '../shared/issues';
import { pcmoActionList, type PcmoAction } from '../shared/pcmo';
import { phoneNumber, phoneNumberList } from '../shared/phoneNumber';

/**
 * How the trigger answers an inbound call on its own ("Respond: Immediately"): a bridge to the
 * agents, built from the same bridge settings as Mask Call's (nodes/shared/bridge.ts), or a custom
 * action list. Both go through the PCMO action schemas before Piopiy gets them.
 */
const AGENT_BRIDGE = {
	duration: relabel(BRIDGE.duration, { description: 'Connect to Agents: the longest the connected call may last' }),
	loop: relabel(BRIDGE.loop, { description: 'Connect to Agents: how many times the agents are tried when nobody answers' }),
	ringTimeout: relabel(BRIDGE.timeout, {
		displayName: 'Ring Timeout (Seconds)',
		description: 'Connect to Agents: how long each agent rings',
	}),
	ringType: relabel(BRIDGE.ringType, { description: 'Connect to Agents: how the agents ring' }),
};

/** The trigger's option for one bridge setting (Options > Duration, Loop, Ring Timeout, Ring Type). */
export function bridgeOption(name: keyof typeof AGENT_BRIDGE): INodeProperties {
	return named<unknown>(name, AGENT_BRIDGE[name]).property;
}

export type Param = <T>(name: string, fallback: T) => T;

/**
 * The answer to an inbound call when this node answers: the bridge to the agents (with the
 * greeting and recording asked for), or the custom action list, checked like any other.
 * `calledNumber` is the Piopiy number called, the caller ID agents see unless one is set.
 */
export function inboundAnswer(param: Param, calledNumber: unknown): { actions: PcmoAction[] } | { problem: string } {
	if (param<string>('answerWith', 'agents') === 'actions') {
		const parsed = pcmoActionList.safeParse(param<unknown>('answerActions', ''));
		if (parsed.success) return { actions: parsed.data };
		return { problem: issueText('Actions (JSON)', parsed.error.issues[0]) };
	}

	const options = param<IDataObject>('options', {});
	const agents = phoneNumberList.safeParse(param<unknown>('agentNumbers', ''));
	if (!agents.success) return { problem: issueText('Agent Numbers', agents.error.issues[0]) };
	const callerIdGiven = typeof options.callerId === 'string' && options.callerId.trim() !== '';
	const callerId = phoneNumber.safeParse(callerIdGiven ? options.callerId : calledNumber);
	if (!callerId.success) {
		return {
			problem: callerIdGiven
				? issueText('Options > Caller ID Shown to Agents', callerId.error.issues[0])
				: `the number called (${JSON.stringify(calledNumber)}) cannot be the caller ID; set Options > Caller ID Shown to Agents`,
		};
	}

	const actions: unknown[] = [];
	if (typeof options.greeting === 'string' && options.greeting.trim() !== '') {
		actions.push({ action: 'speak', text: options.greeting });
	}
	if (options.record === true) actions.push({ action: 'record' });
	actions.push(bridgeInput(callerId.data, agents.data, { ...options, timeout: options.ringTimeout }));
	const checked = pcmoActionList.safeParse(actions);
	if (checked.success) return { actions: checked.data };
	return { problem: issueText('the bridge to the agents', checked.error.issues[0]) };
}

