/**
 * Piopiy's v3 API, the "Voice Orchestrator" with an API token (docs/piopiy-api.md section 7): its
 * values, pipeline actions and request bodies, and the reading of the node's v2 options for it.
 */
export type { Json, JsonObject } from './checks';
export { V3_PHONE_PATTERN, v3PhoneNumber, v3PhoneNumberList } from './numbers';
export { UUID_PATTERN, uuid, callUuid, agentUuid, flowUuid, orgUuid, v3AppId } from './ids';
export { VARIABLE_NAME, PARAM_LIMITS, scalarMap, variables, metadata, paramData } from './maps';
export { CALL_LIMITS, callOptions } from './callOptions';
export {
	CONNECT_LIMITS,
	STRATEGIES,
	type Strategy,
	strategy,
	recording,
	connectOptions,
	connectParams,
	endpoint,
	endpoints,
	connectAction,
} from './connect';
export { PROMPT_LIMITS, DTMF_LIMITS, RETRY_LIMITS, prompt, onResult, dtmf, retries, inputKinds } from './prompts';
export {
	type V3Action,
	type V3ActionName,
	V3_ACTIONS,
	V3_ACTION_NAMES,
	MAX_PIPELINE_ACTIONS,
	play,
	playGetInput,
	input,
	param,
	record,
	hangup,
	pipelineAction,
	pipeline,
} from './actions';
export {
	HANGUP_LIMITS,
	DEFAULT_HANGUP_CAUSE,
	pcmoCallRequest,
	aiCallRequest,
	flowCallRequest,
	transferRequest,
	hangupRequest,
	failover,
} from './requests';
export {
	DEFAULT_V3_BASE_URL,
	V3_PATHS,
	type V3Path,
	type V3Request,
	V3BodyError,
	wirePath,
	buildBridgeCall,
	buildPcmoCall,
	buildAiCall,
	buildAiFailoverCall,
	buildFlowCall,
	buildTransfer,
	buildTransferTo,
	buildHangup,
} from './bodies';
export {
	GENERATION,
	V2_OPTION_DEFAULTS,
	strategyFor,
	extraParamsAsVariables,
	bridgeOptionsV3,
	type BridgeOptionsV3,
	pcmoCallOptionsV3,
	type PcmoCallOptionsV3,
} from './fromV2';
