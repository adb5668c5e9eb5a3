import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, VersionedNodeType } from 'n8n-workflow';

import { CREDENTIAL_TYPES, operationSubtitle, resourceProperties, resourcePropertiesByAuthentication } from './operation';
import { requestOptionsProperty } from './requestOptions';
import { OPERATIONS, RESOURCES } from './resources';
import { runOperation } from './runOperation';

/**
 * The Piopiy node: its description is assembled from the resources (resources/<resource>/), each
 * operation bringing its own fields; execute() hands the items to the run engine (runOperation.ts).
 * docs/ARCHITECTURE.md draws the layers.
 *
 * Two versions, each with a description of its own, as n8n's Airtable and Slack nodes have:
 * - 1, every workflow saved with 0.2.0: one Piopiy API credential, whose API field decides v2 or
 *   v3, and every operation and field listed, as then.
 * - 2, new nodes: an Authentication chooses the credential type, and with it the API, and the node
 *   lists only what that API has (operation.ts, resourcePropertiesByAuthentication).
 * One description with `@version` conditions would not do: n8n drops a saved value whose field is
 * hidden (NodeHelpers.getNodeParameters, run on every workflow it loads), and it fills in the
 * Authentication's default before deciding what is hidden, in version 1 too, so a field hidden
 * under App ID and App Secret would lose its value in every version 1 workflow.
 */
const SUBTITLE = operationSubtitle(RESOURCES);

const baseDescription: INodeTypeBaseDescription = {
	displayName: 'Piopiy',
	name: 'piopiy',
	icon: { light: 'file:../shared/piopiy.svg', dark: 'file:../shared/piopiy.dark.svg' },
	group: ['output'],
	subtitle: SUBTITLE,
	description: 'Place phone calls through Piopiy (TeleCMI) cloud telephony',
	// Version 1 stays what the editor adds: n8n 2.41's editor folds a node's `authentication` into its
	// "Connect to" credential flow, which the end-to-end editor test does not drive yet. Version 2 is
	// complete and tested in n8n's engine (test/authentication.test.js, test/description-per-api.test.js).
	defaultVersion: 1,
};

/*
 * Each version's description spells out its icon and subtitle although baseDescription has them:
 * n8n's community-node lint (icon-validation, require-node-description-fields) reads them from the
 * class's own description literal and does not follow a spread.
 */

/** Version 1: the Piopiy API credential decides the API; every operation and field is listed. */
class PiopiyV1 implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription,
		icon: { light: 'file:../shared/piopiy.svg', dark: 'file:../shared/piopiy.dark.svg' },
		subtitle: SUBTITLE,
		version: 1,
		defaults: { name: 'Piopiy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPES.v2, required: true }],
		// Last, and for every operation: how the run talks to Piopiy (timeout, retries, pace).
		properties: [...resourceProperties(RESOURCES), requestOptionsProperty],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, OPERATIONS);
	}
}

/** Version 2: the Authentication chooses the credential type and the API; only what it has is listed. */
class PiopiyV2 implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription,
		icon: { light: 'file:../shared/piopiy.svg', dark: 'file:../shared/piopiy.dark.svg' },
		subtitle: SUBTITLE,
		version: 2,
		defaults: { name: 'Piopiy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// As n8n's own nodes do: App ID and App Secret unless API Token is chosen.
		credentials: [
			{ name: CREDENTIAL_TYPES.v2, required: true, displayOptions: { hide: { authentication: [CREDENTIAL_TYPES.v3] } } },
			{ name: CREDENTIAL_TYPES.v3, required: true, displayOptions: { show: { authentication: [CREDENTIAL_TYPES.v3] } } },
		],
		properties: [...resourcePropertiesByAuthentication(RESOURCES), requestOptionsProperty],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, OPERATIONS);
	}
}

export class Piopiy extends VersionedNodeType {
	constructor() {
		super({ 1: new PiopiyV1(), 2: new PiopiyV2() }, baseDescription);
	}
}
