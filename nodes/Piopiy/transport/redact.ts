/**
 * Keeps the credential out of everything the node hands back. Piopiy's v2 API takes the App ID and
 * App Secret inside the request body, and an API (or a proxy in front of it) that echoes a request
 * back in an error would otherwise put the secret into output items, error messages and the run's
 * saved data, where anyone who can see executions can read it.
 */
const REDACTED = '[redacted]';
/** Keys that hold a credential, whatever their value. */
const CREDENTIAL_KEY = /^(app_?id|secret|app_?secret)$/i;
/**
 * A shorter secret is only redacted where a whole string equals it: searching for two or three
 * characters inside every string would mangle ordinary text.
 */
const MIN_SECRET_TO_SEARCH = 4;
/** Piopiy's answers are shallow; anything nested deeper than this is dropped, not walked. */
const MAX_DEPTH = 32;

export function secretRedactor(appId: unknown, appSecret: unknown): (value: unknown) => unknown {
	const secret = typeof appSecret === 'string' ? appSecret : '';
	const id = typeof appId === 'number' || typeof appId === 'string' ? String(appId).trim() : '';
	// The App ID as a whole number only: as a substring it could be part of a phone number.
	const idPattern = /^\d{3,}$/.test(id) ? new RegExp(`(?<!\\d)${id}(?!\\d)`, 'g') : undefined;

	const text = (value: string): string => {
		let result = value;
		if (secret.length >= MIN_SECRET_TO_SEARCH) result = result.split(secret).join(REDACTED);
		else if (secret !== '' && result === secret) result = REDACTED;
		if (idPattern) result = result.replace(idPattern, REDACTED);
		return result;
	};

	const walk = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return text(value);
		if (value === null || typeof value !== 'object') return value;
		if (depth >= MAX_DEPTH) return REDACTED;
		if (Array.isArray(value)) return value.map((entry) => walk(entry, depth + 1));
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) {
			// defineProperty, not assignment: a "__proto__" key in Piopiy's JSON must stay a plain key.
			Object.defineProperty(copy, text(key), {
				value: CREDENTIAL_KEY.test(key) ? REDACTED : walk(entry, depth + 1),
				enumerable: true,
				writable: true,
				configurable: true,
			});
		}
		return copy;
	};

	return (value) => walk(value, 0);
}
