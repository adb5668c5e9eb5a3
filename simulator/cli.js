#!/usr/bin/env node
'use strict';
/**
 * `npm run simulator`: a local Piopiy on 127.0.0.1 for trying the node in n8n without an account.
 *   npm run simulator -- --port 4010 --app-id 2222226 --secret sim-secret --errors body
 *   (--latency MS: answer each request after MS, as a distant Piopiy would; --quiet: no line per request)
 * Without --app-id and --secret it accepts the account of test/harness/constants.js (printed at start).
 * Point the Piopiy API credential's Base URL at the printed URL. Ctrl+C stops it.
 */
const { createPiopiySimulator } = require('./piopiy-simulator');

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

async function main() {
	const sim = createPiopiySimulator({
		port: Number(option('port', 0)),
		appId: option('app-id') === undefined ? undefined : Number(option('app-id')),
		appSecret: option('secret'),
		errorStyle: option('errors', 'http'),
		log: process.argv.includes('--quiet')
			? undefined
			: (request) => {
					const body = request.body && typeof request.body === 'object' ? { ...request.body, secret: '***' } : request.rawBody;
					console.log(`${new Date(request.time).toISOString()} ${request.method} ${request.path} -> ${request.status}`);
					console.log(`  received ${JSON.stringify(body)}`);
					console.log(`  answered ${JSON.stringify(request.answer)}`);
				},
	});
	sim.setLatency(Number(option('latency', 0)));
	const url = await sim.start();
	console.log(`Piopiy simulator listening on ${url}`);
	console.log(`Credential: App ID ${sim.appId}, App Secret "${sim.appSecret}", Base URL ${url}, Call Control Base URL ${url}`);
	const stop = async () => {
		await sim.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
