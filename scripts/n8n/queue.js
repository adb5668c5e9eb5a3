'use strict';
/**
 * n8n in queue mode on this machine, for the queue-mode e2e and `npm run benchmark:queue`:
 * PostgreSQL 15 and Redis (scripts/n8n/services.js), one main (`n8n start`: editor, API, enqueues
 * executions), workers (`n8n worker`: run them) and a webhook processor (`n8n webhook`: serves
 * /webhook/*), all on 127.0.0.1 and free ports, sharing the database and one encryption key. Every
 * n8n process has its own user folder, as separate machines or containers would, and the package is
 * installed in each the way an operator does it (placePackage, mode `npm`).
 *
 * Everything is under `workDir`; stop() ends every process it started and removes the folder.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { startN8n, freePort } = require('./launcher');
const { ensureDebianPackages, startPostgres, startRedis } = require('./services');

/**
 * @param {object} options
 * @param {string} options.workDir             created if missing; removed by stop()
 * @param {string} options.packageFile         the package to install on every n8n process (a tarball, or a registry spec)
 * @param {number} [options.workers]           how many workers to start now (default 2); more with startWorker()
 * @param {Array<object>} [options.credentials] imported by the main before it starts
 * @param {object} [options.env]               n8n settings for every n8n process (e.g. QUEUE_WORKER_LOCK_DURATION)
 * @param {string[]} [options.workerArgs]      e.g. ['--concurrency=10']
 * @param {string} [options.logsDir]           where stop() copies every server's log before removing workDir
 * @param {(line: string) => void} [options.log]
 */
async function startQueueStack(options) {
	const log = options.log ?? (() => {});
	const workDir = path.resolve(options.workDir);
	fs.mkdirSync(workDir, { recursive: true });
	// PostgreSQL runs as its own user and must be able to reach its folder inside this one.
	fs.chmodSync(workDir, 0o711);

	const stack = { workDir, workers: [], started: [] };
	const track = (handle) => {
		stack.started.push(handle);
		return handle;
	};
	let stopping;
	stack.stop = async () => {
		stopping ??= (async () => {
			const n8ns = stack.started.filter((handle) => handle.command);
			const others = stack.started.filter((handle) => !handle.command);
			// n8n first (they hold connections to both), all at once; then Redis and PostgreSQL.
			await Promise.all(n8ns.map((handle) => handle.stop().catch((error) => log(`stopping ${handle.name}: ${error.message}`))));
			for (const handle of others.reverse()) await handle.stop().catch((error) => log(`stopping ${handle.name}: ${error.message}`));
			if (options.logsDir) keepLogs(stack.started, options.logsDir, log);
			if (!process.env.PIOPIY_E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
		})();
		return stopping;
	};

	try {
		ensureDebianPackages(log);
		stack.postgres = track(await startPostgres({ dir: path.join(workDir, 'postgres'), log }));
		stack.redis = track(await startRedis({ dir: path.join(workDir, 'redis'), log }));

		// The webhook processor's address is every process's idea of the public webhook URL.
		const mainPort = await freePort();
		const webhookPort = await freePort(undefined, [mainPort]);
		stack.env = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(stack.redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(stack.postgres.port),
			DB_POSTGRESDB_DATABASE: stack.postgres.database,
			DB_POSTGRESDB_USER: stack.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('base64url'),
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			...options.env,
		};
		const packageSource = { mode: 'npm', file: options.packageFile };

		let workerCount = 0;
		stack.startWorker = async ({ withPackage = true } = {}) => {
			const name = `worker-${++workerCount}`;
			const worker = track(
				await startN8n({
					name: `n8n ${name}`,
					command: 'worker',
					args: options.workerArgs ?? [],
					userFolder: path.join(workDir, name),
					packageSource: withPackage ? packageSource : { mode: 'none' },
					extraEnv: stack.env,
					log,
				}),
			);
			worker.label = name;
			/** The ids of the executions this worker started, read from its log ("Worker started execution 12 (job 12)"). */
			worker.executionIds = () => startedIn(worker.logFile).map((started) => started.executionId);
			/** The queue's job id of an execution this worker started. */
			worker.jobIdOf = (executionId) => startedIn(worker.logFile).find((started) => started.executionId === String(executionId))?.jobId;
			stack.workers.push(worker);
			return worker;
		};

		// All side by side: whichever process comes first migrates the fresh database while the others
		// wait for n8n's migration lock. All settle before a failure is thrown, so stop() sees every
		// process started.
		const results = await Promise.allSettled([
			startN8n({
				name: 'n8n main',
				command: 'start',
				userFolder: path.join(workDir, 'main'),
				port: mainPort,
				packageSource,
				credentials: options.credentials,
				importAlongside: true,
				extraEnv: stack.env,
				log,
			}).then(track),
			startN8n({
				name: 'n8n webhook processor',
				command: 'webhook',
				userFolder: path.join(workDir, 'webhook'),
				port: webhookPort,
				packageSource,
				extraEnv: stack.env,
				log,
			}).then(track),
			...Array.from({ length: options.workers ?? 2 }, () => stack.startWorker()),
		]);
		const failed = results.find((result) => result.status === 'rejected');
		if (failed) throw failed.reason;
		stack.main = results[0].value;
		stack.webhook = results[1].value;
		return stack;
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

/** Copies each server's log to `dir` (emptied first) as <name>.log, for a look after the run. */
function keepLogs(handles, dir, log) {
	try {
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const handle of handles) {
			const name = (handle.label ?? handle.name).replace(/^n8n /, '').replace(/[^a-zA-Z0-9-]+/g, '-');
			if (fs.existsSync(handle.logFile)) fs.copyFileSync(handle.logFile, path.join(dir, `${name}.log`));
		}
	} catch (error) {
		log(`could not keep the logs in ${dir}: ${error.message}`);
	}
}

function startedIn(logFile) {
	let text = '';
	try {
		text = fs.readFileSync(logFile, 'utf8');
	} catch {
		return [];
	}
	return [...text.matchAll(/Worker started execution (\d+) \(job (\d+)\)/g)].map((match) => ({ executionId: match[1], jobId: match[2] }));
}

module.exports = { startQueueStack };
