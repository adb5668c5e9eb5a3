'use strict';
/**
 * A small client for a running n8n: its editor REST API (cookie login, as the editor uses it) and
 * its public API (X-N8N-API-KEY). Every request has a timeout; errors carry the status and body.
 */
const crypto = require('node:crypto');

const REQUEST_TIMEOUT_MS = 30_000;

class N8nClient {
	constructor(url) {
		this.url = url.replace(/\/+$/, '');
		this.cookie = undefined;
		this.apiKey = undefined;
		// n8n binds its login cookie to this header (it hashes it into the token).
		this.browserId = crypto.randomUUID();
	}

	async request(method, path, { body, headers = {}, expect = [200], timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				accept: 'application/json',
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...headers,
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		let json;
		try {
			json = text === '' ? undefined : JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (expect && !expect.includes(response.status)) {
			const error = new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 1000)}`);
			error.status = response.status;
			error.body = json ?? text;
			throw error;
		}
		return { status: response.status, json, text, headers: response.headers };
	}

	/** The editor's REST API (/rest/...), logged in. Returns the `data` n8n wraps answers in. */
	async rest(method, path, body, options = {}) {
		if (!this.cookie) throw new Error('not logged in');
		const { json } = await this.request(method, `/rest${path}`, {
			body,
			headers: { cookie: this.cookie, 'browser-id': this.browserId },
			...options,
		});
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	/** The public API (/api/v1/...), with the API key made by createApiKey(). */
	async api(method, path, body, options = {}) {
		if (!this.apiKey) throw new Error('no API key');
		const { json } = await this.request(method, `/api/v1${path}`, {
			body,
			headers: { 'x-n8n-api-key': this.apiKey },
			...options,
		});
		return json;
	}

	keepCookie(response) {
		const cookies = response.headers.getSetCookie?.() ?? [];
		const auth = cookies.map((cookie) => cookie.split(';')[0]).find((pair) => pair.startsWith('n8n-auth='));
		if (!auth) throw new Error('n8n set no n8n-auth cookie');
		this.cookie = auth;
	}

	/** Whether the instance still waits for its owner account. */
	async needsOwnerSetup() {
		const { json } = await this.request('GET', '/rest/settings');
		return Boolean(json?.data?.userManagement?.showSetupOnFirstLoad);
	}

	/** Creates the owner account on a fresh instance, or logs in when it exists. */
	async ensureOwner(owner) {
		if (await this.needsOwnerSetup()) {
			const response = await this.request('POST', '/rest/owner/setup', {
				body: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName, password: owner.password },
				headers: { 'browser-id': this.browserId },
			});
			this.keepCookie(response);
			return 'created';
		}
		await this.login(owner);
		return 'existing';
	}

	async login(owner) {
		const response = await this.request('POST', '/rest/login', {
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
			headers: { 'browser-id': this.browserId },
		});
		this.keepCookie(response);
	}

	/** An API key with every scope the instance offers to this user, for the public API. */
	async createApiKey(label = `piopiy-e2e-${Date.now()}`) {
		const scopes = await this.rest('GET', '/api-keys/scopes');
		const created = await this.rest('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = created.rawApiKey ?? created.apiKey;
		if (!this.apiKey) throw new Error(`n8n made no API key: ${JSON.stringify(created).slice(0, 300)}`);
		return this.apiKey;
	}
}

module.exports = { N8nClient };
