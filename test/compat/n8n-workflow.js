'use strict';
/**
 * n8n-workflow as the oldest supported n8n has it (scripts/n8n/compat.js), for test/compat/jest.config.js.
 *
 * The test harness builds a run's starting data with `createRunExecutionData`, which n8n-workflow gained
 * after 1.83; in older n8n the server wrote that object out itself. Where the helper is missing, this adds
 * one that returns the shape n8n 1.x's server passed to WorkflowExecute (no `version`, no resume token).
 * The package under test never calls it. Everything else is n8n-workflow's own export, unchanged (the same
 * classes, so `instanceof` checks between n8n-core and the node keep working).
 */
const path = require('node:path');
const { engineDir } = require('../../scripts/n8n/compat');

const workflow = require(path.join(engineDir(), 'node_modules', 'n8n-workflow'));

function createRunExecutionData(options = {}) {
	const executionData = options.executionData ?? {};
	return {
		startData: options.startData ?? {},
		resultData: { runData: {}, ...options.resultData },
		executionData: {
			contextData: executionData.contextData ?? {},
			nodeExecutionStack: executionData.nodeExecutionStack ?? [],
			metadata: executionData.metadata ?? {},
			waitingExecution: executionData.waitingExecution ?? {},
			waitingExecutionSource: executionData.waitingExecutionSource ?? {},
		},
	};
}

module.exports = typeof workflow.createRunExecutionData === 'function' ? workflow : { ...workflow, createRunExecutionData };
