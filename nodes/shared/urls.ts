import { describeValue } from './values';

/** What stands in an error message for a part of a web address that may be a secret. */
const HIDDEN = '[hidden]';

/**
 * A web address quoted for an error message, as describeValue quotes any value, without what may
 * be a secret in it: the user info ("user:password@", or a token as the user name) and the values
 * of its query and fragment ("?apikey=...", the Piopiy Trigger's "?token=...", a signed URL). The
 * names in the query stay, so the message still says what is there. It reads the text as written,
 * not through a URL parser: the addresses refused are often ones no parser reads ("htps://",
 * "http//user:pw@host"). Everything is hidden before it is shortened, so a cut never leaves half
 * a password. Used wherever an error quotes an address: the credential's base URLs
 * (nodes/Piopiy/transport/index.ts), v2 file and action URLs (pcmo.ts), v3 URLs and the v3 fields
 * that take a URL or a file name (v3/checks.ts webUrl and text).
 */
export function describeUrl(value: unknown): string {
	if (typeof value === 'string') return describeValue(withoutSecrets(value));
	if (value !== null && typeof value === 'object') {
		// An object or list given for an address: each text in it hidden the same way.
		try {
			const hidden = JSON.stringify(value, (_key, entry: unknown) => (typeof entry === 'string' ? withoutSecrets(entry) : entry));
			return describeValue(JSON.parse(hidden));
		} catch {
			// A value JSON cannot carry (a cycle, a BigInt): describeValue names only its kind.
		}
	}
	return describeValue(value);
}

function withoutSecrets(text: string): string {
	const cut = text.search(/[?#]/);
	const address = cut === -1 ? text : text.slice(0, cut);
	// "https://" stays, as does "mailto:" (and "user:" in "user:pw@host", which is what a URL
	// parser takes for the scheme there too): the password after it does not.
	const scheme = /^\s*[a-z][a-z0-9+.-]*:[/\\]*/i.exec(address)?.[0] ?? '';
	// The user info ends at the last "@". Everything before it goes, slashes too: a password may
	// hold a "/" ("https://user:pa/ss@host"), and "http//user:pw@host" has no scheme to stop at.
	// Only an "@" right after a slash starts a path ("https://medium.com/@name").
	let rest = address.slice(scheme.length);
	const at = rest.lastIndexOf('@');
	if (at > 0 && rest[at - 1] !== '/' && rest[at - 1] !== '\\') rest = `${HIDDEN}${rest.slice(at)}`;
	const query = cut === -1 ? '' : text.slice(cut).split(/([?#&])/).map(nameOnly).join('');
	return `${scheme}${rest}${query}`;
}

/** One "name=value" of a query or fragment with its value hidden; a part without a name, hidden whole. */
function nameOnly(part: string): string {
	if (part === '' || /^[?#&]$/.test(part)) return part;
	const equals = part.indexOf('=');
	// "TOKEN==" is a bare base64 value, not the name TOKEN.
	if (equals > 0 && equals < part.length - 1 && part[equals + 1] !== '=') return `${part.slice(0, equals + 1)}${HIDDEN}`;
	return HIDDEN;
}
