'use strict';
/**
 * What a process group is doing, read from /proc (Linux): its processes, and the TCP ports they
 * listen on with the address each is bound to. The e2e uses it to prove that n8n and its task
 * runners bind 127.0.0.1 only and that nothing of the group is left after stop().
 */
const fs = require('node:fs');

/** The pids whose process group is `pgid`. */
function groupMembers(pgid) {
	const pids = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command name (which may hold spaces) start after the last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const state = fields[0];
			if (Number(fields[2]) === pgid && state !== 'Z') pids.push(Number(entry));
		} catch {
			// the process ended while we looked
		}
	}
	return pids;
}

function socketInodes(pid) {
	const inodes = new Set();
	let fds = [];
	try {
		fds = fs.readdirSync(`/proc/${pid}/fd`);
	} catch {
		return inodes;
	}
	for (const fd of fds) {
		try {
			const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
			if (match) inodes.add(match[1]);
		} catch {
			// closed meanwhile
		}
	}
	return inodes;
}

function hexToAddress(hex) {
	if (hex.length === 8) {
		return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
	}
	// IPv6: four little-endian 32-bit words.
	const words = [];
	for (let w = 0; w < 4; w++) {
		const word = hex.slice(w * 8, w * 8 + 8);
		const bytes = [3, 2, 1, 0].map((i) => word.slice(i * 2, i * 2 + 2)).join('');
		words.push(bytes.slice(0, 4), bytes.slice(4, 8));
	}
	const full = words.map((part) => part.replace(/^0+(?=.)/, '').toLowerCase()).join(':');
	if (full === '0:0:0:0:0:0:0:1') return '::1';
	if (full === '0:0:0:0:0:0:0:0') return '::';
	const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(full);
	if (mapped) {
		const n = (parseInt(mapped[1], 16) << 16) | parseInt(mapped[2], 16);
		return `::ffff:${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}`;
	}
	return full;
}

/** [{pid, address, port}] for every listening TCP socket of the group. */
function listeningSockets(pgid) {
	const byInode = new Map();
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let lines = [];
		try {
			lines = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
		} catch {
			continue;
		}
		for (const line of lines) {
			const cols = line.trim().split(/\s+/);
			if (cols[3] !== '0A') continue; // LISTEN
			const [addressHex, portHex] = cols[1].split(':');
			byInode.set(cols[9], { address: hexToAddress(addressHex), port: parseInt(portHex, 16) });
		}
	}
	const found = [];
	for (const pid of groupMembers(pgid)) {
		for (const inode of socketInodes(pid)) {
			const socket = byInode.get(inode);
			if (socket) found.push({ pid, ...socket });
		}
	}
	return found;
}

/** Resident memory of the group's processes together, in MB. */
function groupRssMb(pgid) {
	return rssMb(groupMembers(pgid));
}

/** Resident memory of the given processes together, in MB (shared pages count once per process). */
function rssMb(pids) {
	let kb = 0;
	for (const pid of pids) {
		try {
			const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (match) kb += Number(match[1]);
		} catch {
			// ended meanwhile
		}
	}
	return Math.round(kb / 1024);
}

/**
 * The processes working in `dir` or naming it on their command line, as [{pid, cmdline}]: how
 * servers that leave their process group (PostgreSQL's children) are found.
 */
function processesUnder(dir) {
	const found = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
			if (cwd === dir || cwd.startsWith(`${dir}/`) || cmdline.includes(dir)) found.push({ pid: Number(entry), cmdline });
		} catch {
			// ended meanwhile, or not ours to read
		}
	}
	return found;
}

/**
 * CPU time the group's processes have used so far (user + system), in ms: on a shared machine, what
 * a piece of work costs is better told by this than by the clock.
 */
function groupCpuMs(pgid) {
	let ticks = 0;
	for (const pid of groupMembers(pgid)) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			// utime and stime: fields 14 and 15 of /proc/<pid>/stat, counted from the state (field 3).
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// ended meanwhile
		}
	}
	// Linux reports these in clock ticks of 1/100 s (USER_HZ) on every common platform.
	return ticks * 10;
}

function isLoopback(address) {
	return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

module.exports = { groupMembers, listeningSockets, groupRssMb, groupCpuMs, rssMb, processesUnder, isLoopback };
