import { createHash } from 'crypto';

/**
 * Keeps the credential out of everything the node hands back. Piopiy's v2 API takes the App ID and
 * App Secret inside the request body (v3 the API token in a header), and an API (or a proxy in
 * front of it) that echoes a request back in an error would otherwise put the secret into output
 * items, error messages and the run's saved data, where anyone who can see executions can read it.
 *
 * An echo is not always the secret as typed: a proxy may hand the request back base64-encoded,
 * percent-encoded, in hex, upper-cased, or inside a JSON string (where `"` and `\` are escaped).
 * Each of those forms is searched for too, in the secret and in its JSON-escaped form (the way it
 * sits in the request body).
 *
 * The search is plain string search, never a regular expression built from the secret: such a
 * pattern grows with the secret until it no longer compiles (from about 8,000 characters), and the
 * engine's error then quotes the pattern, and so the secret (issue 17, test/hostile/long-secrets.test.js).
 * Instead each text is read once the way the secret is compared with it (`readable`: lower case,
 * %xx decoded, "+" as a space), so one search finds the secret as typed, in another letter case
 * and percent- or form-encoded; hex and base64 are searched for as they are. A text costs a few
 * string searches, whatever the secret's length; what is searched for is prepared once per credential.
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
 * Redactors by credential, so the searches are prepared once per credential rather than once per
 * request. Keyed by a hash: the map holds no secret as a key. Bounded: a run uses one credential.
 */
const built = new Map<string, Redactor>();
const MAX_BUILT = 8;

/**
 * One redactor for the App ID and every secret of a credential (the App Secret and the API token),
 * applied in one walk over the value.
 */
export function credentialRedactor(appId: unknown, secrets: unknown[]): Redactor {
	const texts = secrets.map((secret) => (typeof secret === 'string' ? secret : ''));
	const id = typeof appId === 'number' || typeof appId === 'string' ? String(appId).trim() : '';
	const key = createHash('sha256').update(JSON.stringify([id, ...texts])).digest('hex');
	let redactor = built.get(key);
	if (!redactor) {
		redactor = buildRedactor(id, texts);
		if (built.size >= MAX_BUILT) built.delete(built.keys().next().value as string);
		built.set(key, redactor);
	}
	return redactor;
}

/** Where a secret sits in a text: [start, end) spans of the text as given. */
type Span = [number, number];

/** What is searched for in each text, for one credential; prepared once. */
interface Needles {
	/** In the text read by `readable`: each form as typed or percent-encoded, in any letter case. */
	readable: string[];
	/** In the text with A-Z in lower case: each form in hex. */
	hex: string[];
	/** In the text as given: each form in base64 and base64url. */
	base64: Base64Needle[];
	/** The length of the shortest needle: a shorter text holds none. */
	shortest: number;
}

/** The characters that depend on the secret alone, and how many around them may mix in its edges. */
interface Base64Needle {
	middle: string;
	before: number;
	after: number;
	alphabet: RegExp;
}

function buildRedactor(id: string, secrets: string[]): Redactor {
	const exact = secrets.filter((secret) => secret !== '' && secret.length < MIN_SECRET_TO_SEARCH);
	const needles = needlesFor(secrets.filter((secret) => secret.length >= MIN_SECRET_TO_SEARCH));
	// The App ID as a whole number only: as a substring it could be part of a phone number.
	const idNumber = /^\d{3,}$/.test(id) ? id : undefined;

	const text = (value: string): string => {
		if (exact.includes(value)) return REDACTED;
		let result = replaceSpans(value, spansIn(value, needles));
		// After the secrets, so an App ID next to a secret ending in a digit is still a whole number.
		if (idNumber) result = replaceSpans(result, wholeNumberSpans(result, idNumber));
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
 * The secret as it may come back: as typed, in any letter case; percent-encoded (wholly or in
 * part, %xx in either case, "+" for a space); in hex; in base64 and base64url at each of the three
 * alignments it can have inside a longer encoded text. Each for the secret and for its JSON-escaped
 * forms (once, twice, and with non-ASCII as \uXXXX).
 */
function needlesFor(secrets: string[]): Needles {
	const needles: Needles = { readable: [], hex: [], base64: [], shortest: Infinity };
	for (const secret of secrets) {
		const once = JSON.stringify(secret).slice(1, -1);
		const forms = unique([
			secret,
			once,
			JSON.stringify(once).slice(1, -1),
			once.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
		]);
		for (const form of forms) {
			// The form as typed, and with its own %xx read as what they encode: a secret holding "%41"
			// may come back as "%41" (from a proxy that left it alone) or as "%2541".
			needles.readable.push(readable(form, false).text, readable(form, true).text);
			const bytes = Buffer.from(form, 'utf8');
			needles.hex.push(bytes.toString('hex'));
			needles.base64.push(...base64Needles(bytes, 'base64', BASE64), ...base64Needles(bytes, 'base64url', BASE64URL));
		}
	}
	needles.readable = unique(needles.readable);
	needles.hex = unique(needles.hex);
	for (const needle of [...needles.readable, ...needles.hex, ...needles.base64.map(({ middle }) => middle)]) {
		needles.shortest = Math.min(needles.shortest, needle.length);
	}
	return needles;
}

const BASE64 = /[A-Za-z0-9+/]/;
const BASE64URL = /[A-Za-z0-9_-]/;

/**
 * The secret inside a longer base64 text starts at one of three offsets within a 3-byte group.
 * For each, the characters that depend on the secret alone are searched for, together with the
 * group before and after them, which mix the secret's first and last bytes with their neighbours.
 */
function base64Needles(bytes: Buffer, encoding: 'base64' | 'base64url', alphabet: RegExp): Base64Needle[] {
	const needles: Base64Needle[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(encoding).replace(/=+$/, '');
		const whole = Math.floor((offset + bytes.length) / 3) * 4;
		const middle = encoded.slice(offset === 0 ? 0 : 4, whole);
		if (middle.length < 4) continue;
		needles.push({ middle, before: offset === 0 ? 0 : 4, after: (offset + bytes.length) % 3 === 0 ? 0 : 4, alphabet });
	}
	return needles;
}

/** Every place in `text` where a form of a secret sits (spans may overlap). */
function spansIn(text: string, needles: Needles): Span[] {
	const spans: Span[] = [];
	if (text.length < needles.shortest) return spans;
	const view = readable(text, true);
	for (const needle of needles.readable) {
		for (const [at, end] of occurrences(view.text, needle)) spans.push(view.spanOf(at, end));
	}
	// Hex needs A-Z in lower case only; the readable view is that whenever it kept every position.
	const lower = view.identical ? view.text : text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
	for (const needle of needles.hex) for (const span of occurrences(lower, needle)) spans.push(span);
	for (const needle of needles.base64) for (const span of base64Spans(text, needle)) spans.push(span);
	return spans;
}

/** A base64 needle in `text`, each occurrence with the edge groups that mix in its first and last bytes. */
function base64Spans(text: string, { middle, before, after, alphabet }: Base64Needle): Span[] {
	const spans: Span[] = [];
	let last = 0;
	for (let at = text.indexOf(middle); at !== -1; at = text.indexOf(middle, last)) {
		let start = at;
		if (before && at - before >= last && inAlphabet(text, at - before, at, alphabet)) start = at - before;
		let end = at + middle.length;
		for (let taken = 0; taken < after && end < text.length && alphabet.test(text[end]); taken++) end++;
		for (let taken = 0; after && taken < 2 && text[end] === '='; taken++) end++;
		spans.push([start, end]);
		last = end;
	}
	return spans;
}

/** A digit string standing alone in `text`, not inside a longer number. */
function wholeNumberSpans(text: string, digits: string): Span[] {
	const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
	const spans: Span[] = [];
	for (let at = text.indexOf(digits); at !== -1; ) {
		const end = at + digits.length;
		if (!isDigit(text[at - 1]) && !isDigit(text[end])) {
			spans.push([at, end]);
			at = text.indexOf(digits, end);
		} else {
			at = text.indexOf(digits, at + 1);
		}
	}
	return spans;
}

/**
 * A text read the way the secret is compared with it: each character in lower case (so the secret
 * upper-cased still matches), "+" read as the space it stands for in a form, and, with `decode`,
 * each %xx sequence read as the character its UTF-8 bytes encode. `spanOf` maps a stretch of the
 * result back to the stretch of the text it was read from.
 */
interface Readable {
	text: string;
	/** True when the result is as long as the text and each character maps to itself. */
	identical: boolean;
	spanOf(start: number, end: number): Span;
}

function readable(text: string, decode: boolean): Readable {
	// Most texts have no % and keep their length in lower case: one native pass, nothing to map.
	const lower = text.toLowerCase();
	if (lower.length === text.length && !(decode && text.includes('%'))) {
		const folded = /[+ς]/.test(lower) ? lower.replace(/\+/g, ' ').replace(/ς/g, 'σ') : lower;
		return { text: folded, identical: true, spanOf: (start, end) => [start, end] };
	}
	// Character by character, each unit of the result with the stretch of the text it was read
	// from (the result is never longer than the text: foldChar keeps a character's length).
	const parts: string[] = [];
	const from = new Int32Array(text.length);
	const to = new Int32Array(text.length);
	let length = 0;
	for (let at = 0; at < text.length; ) {
		const decoded = decode ? percentDecoded(text, at) : undefined;
		const char = decoded?.char ?? String.fromCodePoint(text.codePointAt(at) as number);
		const next = decoded?.next ?? at + char.length;
		const folded = foldChar(char);
		for (let unit = 0; unit < folded.length; unit++, length++) {
			from[length] = at;
			to[length] = next;
		}
		parts.push(folded);
		at = next;
	}
	return { text: parts.join(''), identical: false, spanOf: (start, end) => [from[start], to[end - 1]] };
}

/**
 * One character compared without its letter case: its lower case when that is one character too
 * (İ lower-cases to two), the final sigma as the other sigma, and "+" as a space.
 */
function foldChar(char: string): string {
	if (char === '+') return ' ';
	const lower = char.toLowerCase();
	if (lower.length !== char.length) return char;
	return lower === 'ς' ? 'σ' : lower;
}

/** The character a %xx sequence at `at` encodes in UTF-8 (one to four %xx), if it is one. */
function percentDecoded(text: string, at: number): { char: string; next: number } | undefined {
	const first = byteAt(text, at);
	if (first === undefined) return undefined;
	if (first < 0x80) return { char: String.fromCharCode(first), next: at + 3 };
	const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc2 ? 2 : 0;
	if (length === 0 || first > 0xf4) return undefined;
	let codePoint = first & (0xff >> (length + 1));
	for (let index = 1; index < length; index++) {
		const byte = byteAt(text, at + index * 3);
		if (byte === undefined || (byte & 0xc0) !== 0x80) return undefined;
		codePoint = (codePoint << 6) | (byte & 0x3f);
	}
	if (codePoint > 0x10ffff) return undefined;
	return { char: String.fromCodePoint(codePoint), next: at + length * 3 };
}

function byteAt(text: string, at: number): number | undefined {
	if (text[at] !== '%') return undefined;
	const hex = text.slice(at + 1, at + 3);
	return /^[0-9a-fA-F]{2}$/.test(hex) ? parseInt(hex, 16) : undefined;
}

/** Where `needle` occurs in `text`, left to right, not overlapping. */
function occurrences(text: string, needle: string): Span[] {
	const spans: Span[] = [];
	for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
		spans.push([at, at + needle.length]);
	}
	return spans;
}

/** Whether every character of text[start, end) is in `alphabet`. */
function inAlphabet(text: string, start: number, end: number, alphabet: RegExp): boolean {
	for (let at = start; at < end; at++) if (!alphabet.test(text[at])) return false;
	return true;
}

/** The text with each span (overlapping ones joined) replaced by "[redacted]". */
function replaceSpans(text: string, spans: Span[]): string {
	if (spans.length === 0) return text;
	spans.sort((a, b) => a[0] - b[0]);
	let result = '';
	let kept = 0;
	for (let index = 0; index < spans.length; ) {
		const start = spans[index][0];
		let end = spans[index][1];
		for (index++; index < spans.length && spans[index][0] <= end; index++) end = Math.max(end, spans[index][1]);
		result += text.slice(kept, start) + REDACTED;
		kept = end;
	}
	return result + text.slice(kept);
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}
