'use strict';
/**
 * Issue 9, items 3 and 9: what Piopiy's answer may be, and what the node makes of it. At most 1 MB
 * of an answer is read, counted after decompression: a 50 MB answer or a gzip bomb is stopped at
 * once, with the cap in the error, and never becomes an item. Answers in another charset, with
 * "__proto__" keys, as a JSON list, or nested deep are described as what they are.
 */
const zlib = require('node:zlib');

const { useServers, maskCall, placed, sendJson, WHAT, CHECK_RECORDS } = require('./support');

const MB = 1024 * 1024;
const TOO_LARGE = `Piopiy's answer for ${WHAT} could not be understood (HTTP 200, an answer larger than 1 MB, the most the node reads)`;

/** A success body of exactly `size` bytes. */
function successOfSize(size) {
	const head = JSON.stringify(placed('sized-answer', { pad: '' }));
	return `${head.slice(0, -2)}${'x'.repeat(size - head.length)}"}`;
}

/** Answers with `total` bytes of JSON, written as the socket takes them; records how far it got. */
function hugeAnswer(total, progress) {
	return (_req, res) => {
		res.writeHead(200, { 'content-type': 'application/json', 'content-length': total });
		const chunk = Buffer.alloc(64 * 1024, 0x20);
		const first = Buffer.from(JSON.stringify(placed('huge')).slice(0, -1) + ',"pad":"');
		res.write(first);
		progress.written = first.length;
		const pump = () => {
			while (progress.written + chunk.length < total - 2) {
				progress.written += chunk.length;
				if (!res.write(chunk)) return res.once('drain', pump);
			}
			res.end(Buffer.from(' '.repeat(total - 2 - progress.written) + '"}'));
			progress.finished = true;
			return undefined;
		};
		res.on('close', () => {
			progress.closed = true;
		});
		pump();
	};
}

describe('the answer is read up to 1 MB', () => {
	const server = useServers();

	test('a 50 MB answer: stopped after about 1 MB, the cap in the error, no item made of it', async () => {
		const progress = { written: 0 };
		const piopiy = await server(hugeAnswer(50 * MB, progress));
		const { item, ms } = await maskCall(piopiy.url, { requestOptions: { timeout: 10 } });

		expect(item.error).toBe(TOO_LARGE);
		expect(item.request_id).toBeUndefined();
		expect(item.details).toMatchObject({ httpCode: '200', mayHaveBeenPlaced: true });
		expect(item.details.description).toContain(CHECK_RECORDS);
		expect(JSON.stringify(item).length).toBeLessThan(5000);
		expect(ms).toBeLessThan(6000);
		// The connection was closed long before the 50 MB were through.
		expect(progress.finished).toBeUndefined();
		expect(progress.written).toBeLessThan(20 * MB);
	});

	test('exactly 1 MB is read; one byte more is refused', async () => {
		const exact = await server((_req, res) => sendJson(res, 200, successOfSize(MB)));
		const over = await server((_req, res) => sendJson(res, 200, successOfSize(MB + 1)));
		// A generous timeout: this test is about size, and a loaded machine reads 1 MB slowly.
		const fits = (await maskCall(exact.url, { requestOptions: { timeout: 20 } })).item;
		expect(fits.request_id).toBe('sized-answer');
		expect(fits.pad).toHaveLength(MB - JSON.stringify(placed('sized-answer', { pad: '' })).length);
		expect((await maskCall(over.url, { requestOptions: { timeout: 20 } })).item.error).toBe(TOO_LARGE);
	});

	test('a gzip bomb (1 MB that unzips to 1 GB) stops after 1 MB unzipped, in moments and with little CPU', async () => {
		const member = zlib.gzipSync(Buffer.alloc(MB));
		const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
		expect(bomb.length).toBeLessThan(1.1 * MB);
		const piopiy = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
			res.end(bomb);
		});
		const cpu = process.cpuUsage();
		const { item } = await maskCall(piopiy.url, { requestOptions: { timeout: 30 } });
		const used = process.cpuUsage(cpu);

		// Stopped by the size cap, not by the timeout, and without unzipping the gigabyte (CPU time, not
		// wall time, so that a loaded machine does not change the verdict).
		expect(item.error).toBe(TOO_LARGE);
		expect((used.user + used.system) / 1000).toBeLessThan(2000);
	});

	test('a deflate answer over the cap is stopped the same way; a small gzip answer is read as usual', async () => {
		const deflated = zlib.deflateSync(Buffer.from(successOfSize(3 * MB)));
		const big = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
			res.end(deflated);
		});
		expect((await maskCall(big.url)).item.error).toBe(TOO_LARGE);

		const small = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			res.end(zlib.gzipSync(JSON.stringify(placed('zipped'))));
		});
		expect((await maskCall(small.url)).item).toMatchObject({ request_id: 'zipped', cmi_code: 200 });
	});

	test('a gzip answer that does not unzip', async () => {
		const piopiy = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			res.end(Buffer.concat([zlib.gzipSync('{"request_id":"x"}').subarray(0, 12), Buffer.from('not gzip at all')]));
		});
		const { item } = await maskCall(piopiy.url);
		expect(item.error).toBe(`Piopiy's answer for ${WHAT} could not be understood (HTTP 200, a compressed answer that does not decompress)`);
		expect(item.details.mayHaveBeenPlaced).toBe(true);
	});
});

describe('answers that are not what they seem', () => {
	const server = useServers();

	test('Latin-1 text with its charset is read in it; bytes that are not UTF-8 become U+FFFD, never a crash', async () => {
		const latin1 = await server((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json; charset=ISO-8859-1' });
			res.end(Buffer.from(JSON.stringify(placed('latin-1', { note: 'Café Zürich' })), 'latin1'));
		});
		expect((await maskCall(latin1.url)).item).toMatchObject({ request_id: 'latin-1', note: 'Café Zürich' });

		const broken = await server((_req, res) => {
			res.writeHead(422, { 'content-type': 'application/json' });
			res.end(Buffer.concat([Buffer.from('{"cmi_code":422,"message":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' number"}')]));
		});
		expect((await maskCall(broken.url)).item.error).toBe(`Piopiy refused ${WHAT} (HTTP 422, Piopiy code 422: bad \ufffd\ufffd\ufffd number)`);
	});

	test('"__proto__" and "constructor" keys stay plain keys of the item; nothing is polluted', async () => {
		const text =
			'{"request_id":"proto-1","cmi_code":200,"__proto__":{"polluted":"yes","cmi_code":500},"constructor":{"prototype":{"polluted":"yes"}},"data":{"__proto__":{"request_id":"not-this"},"status":"progress"}}';
		const piopiy = await server((_req, res) => sendJson(res, 200, text));
		const { item } = await maskCall(piopiy.url);

		expect(item).toEqual(JSON.parse(text));
		expect(Object.prototype.hasOwnProperty.call(item, '__proto__')).toBe(true);
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
		expect({}.polluted).toBeUndefined();
		expect(item.polluted).toBeUndefined();
	});

	test('a request_id only under "__proto__" is no request_id', async () => {
		const piopiy = await server((_req, res) => sendJson(res, 200, '{"__proto__":{"request_id":"hidden","cmi_code":200}}'));
		expect((await maskCall(piopiy.url)).item.error).toBe(
			`Piopiy's answer for ${WHAT} could not be understood (HTTP 200, an answer without a request_id)`,
		);
	});

	test('a JSON list and a bare JSON value are described as such, not as "not JSON"', async () => {
		const list = await server((_req, res) => sendJson(res, 200, [placed('in-a-list')]));
		const number = await server((_req, res) => sendJson(res, 200, '42'));
		expect((await maskCall(list.url)).item.error).toBe(
			`Piopiy's answer for ${WHAT} could not be understood (HTTP 200, a JSON list instead of Piopiy’s JSON object)`,
		);
		expect((await maskCall(number.url)).item.error).toBe(
			`Piopiy's answer for ${WHAT} could not be understood (HTTP 200, a single JSON value instead of Piopiy’s JSON object)`,
		);
	});

	test('an answer nested 40 levels deep is kept whole; deeper than 64 levels it is cut there, and says so (not "[redacted]")', async () => {
		const nest = (levels) => {
			let value = { end: 'here' };
			for (let i = 0; i < levels; i++) value = { a: value };
			return value;
		};
		const depth = (value) => {
			let levels = 0;
			while (value && typeof value === 'object') {
				value = value.a ?? value.end;
				levels++;
			}
			return { levels, last: value };
		};
		const forty = await server((_req, res) => sendJson(res, 200, placed('deep-40', { data: nest(40) })));
		const deep = await server((_req, res) => sendJson(res, 200, placed('deep-300', { data: nest(300) })));

		const kept = (await maskCall(forty.url)).item;
		expect(kept.data).toEqual(nest(40));

		const cut = (await maskCall(deep.url)).item;
		expect(cut.request_id).toBe('deep-300');
		// The item itself is level 0, `data` level 1: levels 1 to 63 are kept, level 64 says why it is not.
		expect(depth(cut.data)).toEqual({ levels: 63, last: '[not kept: nested more than 64 levels deep]' });
		expect(JSON.stringify(cut)).not.toContain('[redacted]');
	});
});
