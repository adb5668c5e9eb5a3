import type { Operation, Resource } from '../operation';
import { call } from './call';
import { callRecord } from './callRecord';

/**
 * The node's resources, each owning its operations (one file per operation). Adding an operation:
 * write its file beside the others and add one line to its resource's index.ts; the Operation
 * list, the subtitle and the run engine all read from here.
 */
export const RESOURCES: Resource[] = [call, callRecord];

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
	RESOURCES.flatMap((resource) => resource.operations.map((operation) => [operation.value, operation] as const)),
);
