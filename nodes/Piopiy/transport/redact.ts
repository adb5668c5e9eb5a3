import { createHash } from 'crypto';

/**
 * Keeps the credential out of everything the node hands back. Piopiy's v2 API takes the App ID and
 * App Secret inside the request body, and an API (or a proxy in front of it) that echoes a request
 * back in an error would otherwise put the secret into output items, error messages and the run's
 * saved data, where anyone who can see executions can read it.
 *
 * An echo is not always the secret as typed: a proxy may hand the request back base64-encoded,
 * percent-encoded, in hex, upper-cased, or inside a JSON string (where `"` and `\` are escaped).
 * Each of those forms is searched for too, in the secret and in its JSON-escaped form (the way it
 * sits in the request body).
 */
const REDACTED = '[redacted]';
/** Keys that hold a credential, whatever their value. */
const CREDENTIAL_KEY = /^(app_?id|secret|app_?secret)$/i;
/**
 * A shorter secret is only redacted where a whole string equals it: searching for two or three
 * characters inside every string would mangle ordinary text.
 */
const MIN_SECRET_TO_SEARCH = 4;
/**
 * Piopiy's answers are a few levels deep. Deeper than this, a value is not walked (the walk is
 * recursive) and not kept: it is replaced by words saying so, never by "[redacted]", which would
 * pass a loss of data off as a secret removed.
 */
export const MAX_ANSWER_DEPTH = 64;
const TOO_DEEP = `[not kept: nested more than ${MAX_ANSWER_DEPTH} levels deep]`;

export type Redactor = (value: unknown) => unknown;

/**
 * Redactors by credential, so the patterns are built once per credential rather than once per
 * request. Keyed by a hash: the map holds no secret as a key. Bounded: a run uses one credential.
 */
const built = new Map<string, Redactor>();
const MAX_BUILT = 8;

export function secretRedactor(appId: unknown, appSecret: unknown): Redactor {
	const secret = typeof appSecret === 'string' ? appSecret : '';
	const id = typeof appId === 'number' || typeof appId === 'string' ? String(appId).trim() : '';
	const key = createHash('sha256').update(`${id}\u0000${secret}`).digest('hex');
	let redactor = built.get(key);
	if (!redactor) {
		redactor = buildRedactor(id, secret);
		if (built.size >= MAX_BUILT) built.delete(built.keys().next().value as string);
		built.set(key, redactor);
	}
	return redactor;
}

function buildRedactor(id: string, secret: string): Redactor {
	// The App ID as a whole number only: as a substring it could be part of a phone number.
	const idPattern = /^\d{3,}$/.test(id) ? new RegExp(`(?<!\\d)${id}(?!\\d)`, 'g') : undefined;
	const secretPatterns = secret.length >= MIN_SECRET_TO_SEARCH ? encodedForms(secret) : [];

	const text = (value: string): string => {
		let result = value;
		if (secretPatterns.length) {
			for (const pattern of secretPatterns) result = result.replace(pattern, REDACTED);
		} else if (secret !== '' && result === secret) {
			result = REDACTED;
		}
		if (idPattern) result = result.replace(idPattern, REDACTED);
		return result;
	};

	const walk = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return text(value);
		if (value === null || typeof value !== 'object') return value;
		if (depth >= MAX_ANSWER_DEPTH) return TOO_DEEP;
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

/**
 * Patterns for the secret as it may come back: as typed, in any letter case; percent-encoded
 * (wholly or in part, %xx in either case, "+" for a space); in hex; in base64 and base64url at
 * each of the three alignments it can have inside a longer encoded text. Each for the secret and
 * for its JSON-escaped forms (once, twice, and with non-ASCII as \uXXXX).
 */
function encodedForms(secret: string): RegExp[] {
	const once = JSON.stringify(secret).slice(1, -1);
	const forms = unique([
		secret,
		once,
		JSON.stringify(once).slice(1, -1),
		once.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
	]);
	const patterns: RegExp[] = [];
	for (const form of forms) {
		const bytes = Buffer.from(form, 'utf8');
		patterns.push(...base64Forms(bytes, 'base64', '[A-Za-z0-9+/]'), ...base64Forms(bytes, 'base64url', '[A-Za-z0-9_-]'));
		patterns.push(new RegExp(bytes.toString('hex'), 'gi'));
		patterns.push(new RegExp([...form].map(percentEncodable).join(''), 'giu'));
	}
	return patterns;
}

/** One character, or its UTF-8 bytes percent-encoded ("+" for a space, as in forms). */
function percentEncodable(char: string): string {
	const encoded = [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
	const alternatives = [escapeRegExp(char), encoded];
	if (char === ' ') alternatives.push('\\+');
	return `(?:${alternatives.join('|')})`;
}

/**
 * The secret inside a longer base64 text starts at one of three offsets within a 3-byte group.
 * For each, the characters that depend on the secret alone are searched for, together with the
 * group before and after them, which mix the secret's first and last bytes with their neighbours.
 */
function base64Forms(bytes: Buffer, encoding: 'base64' | 'base64url', alphabet: string): RegExp[] {
	const patterns: RegExp[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(encoding).replace(/=+$/, '');
		const start = offset === 0 ? 0 : 4;
		const whole = Math.floor((offset + bytes.length) / 3) * 4;
		const middle = encoded.slice(start, whole);
		if (middle.length < 4) continue;
		const before = offset === 0 ? '' : `(?:${alphabet}{4})?`;
		const after = (offset + bytes.length) % 3 === 0 ? '' : `${alphabet}{0,4}={0,2}`;
		patterns.push(new RegExp(`${before}${escapeRegExp(middle)}${after}`, 'g'));
	}
	return patterns;
}

/** Escapes the characters a pattern gives a meaning to (and only those: the patterns use the "u" flag). */
function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}
