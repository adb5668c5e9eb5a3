/**
 * Where in a value a problem is, in the words the user sees. Every error about a bad value goes
 * through here, from a node field, the trigger's settings or a workflow's answer to an inbound call:
 * - ["options", "duration"] -> "Options > Duration (Seconds)" (labels from the fields, when known);
 * - ["customerNumbers", 2] -> "Customer Numbers (number 3)";
 * - ["actions", "action", 1, "text"] -> "Actions > Action (number 2) > Text" (a fixed collection);
 * - keys no field describes (inside a JSON action list) stay as they are: "(number 1) > action".
 */

/** A field, a collection's option, or one of a fixed collection's groups (which has `values`). */
interface Labelled {
	name: string;
	displayName: string;
	options?: unknown[];
	values?: unknown[];
}

export function issuePath(path: ReadonlyArray<string | number>, fields: readonly Labelled[] = []): string {
	let text = '';
	let level: readonly Labelled[] | undefined = fields;
	for (const step of path) {
		if (typeof step === 'number') {
			text += ` (number ${step + 1})`;
			continue;
		}
		const field: Labelled | undefined = level?.find((candidate) => candidate.name === step);
		// An empty key (a JSON object may have one) is shown as "", so the path still says where.
		text += `${text === '' ? '' : ' > '}${field?.displayName ?? (step === '' ? '""' : step)}`;
		level = (field?.values ?? field?.options)?.filter(
			(option): option is Labelled =>
				typeof option === 'object' && option !== null && 'displayName' in option && ('type' in option || 'values' in option),
		);
	}
	return text;
}

/** "Agent Numbers (number 2): ..." / "Actions (JSON) (number 1) > action: ...": a problem inside one named value. */
export function issueText(label: string, issue: { path: ReadonlyArray<string | number>; message: string }): string {
	const where = issuePath(issue.path);
	const joined = where === '' ? label : where.startsWith(' (') ? `${label}${where}` : `${label} > ${where}`;
	return `${joined}: ${issue.message}`;
}
