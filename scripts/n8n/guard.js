'use strict';
/**
 * Process-group leader for a local n8n: `node guard.js <parent pid> <command> [args...]`.
 *
 * The launcher starts this file in a process group of its own; it starts n8n in the same group
 * and stays with it. When the launcher goes away without cleaning up (killed with SIGKILL, a
 * crashed test runner), the guard notices within a second and kills the whole group, n8n's task
 * runners included, so no n8n outlives the command that started it. On SIGTERM/SIGINT it passes the
 * signal on, waits for n8n to shut down and exits with it.
 */
const { spawn } = require('node:child_process');

const [parentPid, command, ...args] = process.argv.slice(2);
const parent = Number(parentPid);

const child = spawn(command, args, { stdio: 'inherit' });

function parentAlive() {
	try {
		process.kill(parent, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function killGroup() {
	try {
		process.kill(-process.pid, 'SIGKILL');
	} catch {
		process.exit(1);
	}
}

const watch = setInterval(() => {
	if (!parentAlive()) killGroup();
}, 1000);

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
	process.on(signal, () => {
		try {
			child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
		} catch {
			// already gone
		}
	});
}

child.on('error', (error) => {
	process.stderr.write(`guard: cannot start ${command}: ${error.message}\n`);
	clearInterval(watch);
	process.exit(127);
});

child.on('exit', (code, signal) => {
	clearInterval(watch);
	process.exit(code ?? (signal ? 128 : 1));
});
