'use strict';
/**
 * What a user sees of the package besides the node: package.json's metadata, the links in the codex files and
 * the credential (all to the one repository, and to README sections that exist), the README as npm shows it
 * (a user's manual of at most 30 KB; absolute image URLs to files in .github/screenshots/; every link into the repository to a
 * file and section that exist, docs/ included; the Quick start's commands; every operation of the node listed;
 * the sections community-node users look for), the CHANGELOG entry
 * of the version, and a Compatibility table that names exactly the n8n releases and Node versions the
 * tests exercise (scripts/n8n/config.js, scripts/n8n/compat.js, .github/workflows/ci.yml).
 */
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const YAML = require('yaml');

const root = path.join(__dirname, '..');
const pkg = require('../package.json');
const { N8N_RELEASES } = require('../scripts/n8n/config');
const { compatTarget } = require('../scripts/n8n/compat');

const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const CHANGELOG = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
const HOME = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
const headings = [...README.matchAll(/^#{1,6} (.+)$/gm)].map(([, text]) => text);
const anchors = new Set(['readme', ...headings.map(anchor)]);
/** The section anchors of a Markdown file in this repository (headings inside code blocks are not headings). */
const anchorsOf = (file) => {
	const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
	return new Set(['readme', ...[...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchor(heading))]);
};
/** Every link target in the README: inline links and images, and reference definitions. */
const links = [...README.matchAll(/\]\(([^)\s]+)\)/g), ...README.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map(([, url]) => url);

/** A link into this repository's README: HOME#section, with that section present. */
function expectReadmeLink(url) {
	const [base, fragment] = url.split('#');
	expect([url, base]).toEqual([url, HOME]);
	expect([url, anchors.has(fragment)]).toEqual([url, true]);
}

describe('package.json', () => {
	test('names one GitHub repository for repository, homepage and bugs, and an author n8n accepts', () => {
		expect(HOME).toMatch(/^https:\/\/github\.com\/[\w.-]+\/n8n-nodes-piopiy$/);
		expect(pkg.repository).toEqual({ type: 'git', url: `git+${HOME}.git` });
		expect(pkg.homepage).toBe(`${HOME}#readme`);
		expect(pkg.bugs).toEqual({ url: `${HOME}/issues` });
		expect(pkg.author.name).toMatch(/\S/);
		expect(pkg.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
		expect(pkg.author.url).toBe(HOME.replace(/\/n8n-nodes-piopiy$/, ''));
	});

	test('the version has its CHANGELOG entry, and so has 0.1.0', () => {
		expect(pkg.version).toBe('0.2.0');
		const versions = [...CHANGELOG.matchAll(/^## \[([^\]]+)\]/gm)].map(([, version]) => version);
		expect(versions).toEqual(['0.2.0', '0.1.0']);
	});
});

describe('documentation links', () => {
	test("the codex files' documentation links go to sections of this repository's README", () => {
		for (const file of ['nodes/Piopiy/Piopiy.node.json', 'nodes/PiopiyTrigger/PiopiyTrigger.node.json']) {
			const { resources } = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
			const urls = [...resources.primaryDocumentation, ...resources.credentialDocumentation].map((link) => link.url);
			expect(urls.length).toBe(2);
			urls.forEach(expectReadmeLink);
		}
	});

	test("the credential's documentation link goes to the README's credential section", () => {
		const { PiopiyApi } = require('../dist/credentials/PiopiyApi.credentials.js');
		const { documentationUrl } = new PiopiyApi();
		expectReadmeLink(documentationUrl);
		expect(documentationUrl).toBe(`${HOME}#credentials-piopiy-api`);
	});
});

describe('README', () => {
	test('images load from the repository (npm shows the README without the repository files)', () => {
		const images = [...README.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(([, url]) => url);
		expect(images.length).toBeGreaterThan(0);
		const raw = `${HOME.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/`;
		for (const url of images) {
			expect([url, url.startsWith(raw)]).toEqual([url, true]);
			expect([url, fs.existsSync(path.join(root, url.slice(raw.length)))]).toEqual([url, true]);
		}
		// kept where `n8n-node build` does not copy them into dist/: its glob (@n8n/node-cli 0.48.3,
		// dist/commands/build.js copyStaticFiles) leaves out dot folders such as .github/
		const glob = createRequire(require.resolve('@n8n/node-cli/eslint'))('fast-glob');
		const copied = glob.sync(['**/*.{png,svg}', '**/__schema__/**/*.json'], { cwd: root, ignore: ['dist', 'node_modules'] });
		expect(copied).toEqual(expect.arrayContaining(['nodes/shared/piopiy.svg']));
		expect(images.map((url) => url.slice(raw.length)).filter((file) => copied.includes(file))).toEqual([]);
		// and no link that only works inside the repository
		const relative = links.filter((url) => !/^(https?:\/\/|#)/.test(url));
		expect(relative).toEqual([]);
	});

	test('is a user manual of at most 30 KB (npm shows it whole; what is not for users is in docs/)', () => {
		expect(Buffer.byteLength(README)).toBeLessThanOrEqual(30000);
	});

	test("every link into this repository names a file that exists, and a section of it that exists", () => {
		const inRepo = links.filter((url) => url.startsWith('#') || url.startsWith(`${HOME}/`) || url.startsWith(`${HOME}#`));
		expect(inRepo.length).toBeGreaterThan(20);
		for (const url of inRepo) {
			const [target, fragment] = url.startsWith('#')
				? ['README.md', url.slice(1)]
				: url.startsWith(`${HOME}#`)
					? ['README.md', url.slice(HOME.length + 1)]
					: url.slice(HOME.length + 1).replace(/^(blob|tree)\/main\//, '').split('#');
			if (['issues', 'releases'].includes(target)) continue;
			expect([url, fs.existsSync(path.join(root, target))]).toEqual([url, true]);
			if (fragment !== undefined) expect([url, anchorsOf(target).has(fragment)]).toEqual([url, true]);
		}
		// the documents that hold what moved out of the README are linked from it
		const documents = new Set(links.map((url) => url.split('#')[0]));
		for (const doc of ['reference', 'performance', 'queue-mode', 'security', 'piopiy-api', 'development']) {
			expect([doc, documents.has(`${HOME}/blob/main/docs/${doc}.md`)]).toEqual([doc, true]);
		}
	});

	test("keeps the Quick start's two commands and names the whole suite's command", () => {
		const quickStart = README.slice(README.indexOf('## Quick start'), README.indexOf('\n## ', README.indexOf('## Quick start') + 3));
		expect(quickStart).toContain('npm install && npm run demo');
		expect(quickStart).toContain('npm install && npm test');
		expect(quickStart).toContain('`bash .ci/run`');
		expect(fs.existsSync(path.join(root, '.ci', 'run'))).toBe(true);
	});

	test('lists every operation the Piopiy node offers, each with a section of its own', () => {
		const { Piopiy } = require('../dist/nodes/Piopiy/Piopiy.node.js');
		// Every version's Operation lists (version 2 has one per Authentication), each name once.
		const versions = Object.values(new Piopiy().nodeVersions);
		const operations = new Set(
			versions
				.flatMap((version) => version.description.properties)
				.filter((property) => property.name === 'operation')
				.flatMap((property) => property.options.map((option) => option.name)),
		);
		const section = README.slice(README.indexOf('## Operations'), README.indexOf('\n### ', README.indexOf('## Operations')));
		const rows = section
			.split('\n')
			.filter((line) => /^\| \[/.test(line))
			.map((line) => line.match(/^\| \[([^\]]+)\]\(#([^)]+)\)/).slice(1));
		expect(rows.map(([name]) => name).sort()).toEqual([...operations].sort());
		for (const [name, fragment] of rows) {
			expect([name, anchors.has(fragment)]).toEqual([name, true]);
			expect([name, fragment.startsWith(anchor(name))]).toEqual([name, true]);
		}
	});

	test('has the sections community-node users look for', () => {
		for (const section of ['Installation', 'Compatibility', 'Resources', 'Version history']) expect(headings).toContain(section);
		const installation = README.slice(README.indexOf('## Installation'), README.indexOf('\n## ', README.indexOf('## Installation') + 3));
		expect(installation).toContain('(https://docs.n8n.io/integrations/community-nodes/installation/)');
		const history = README.slice(README.indexOf('## Version history'));
		expect(history).toContain(`**${pkg.version}**`);
	});

	test('the Compatibility table names exactly the n8n releases and engine versions the tests run', () => {
		const section = README.slice(README.indexOf('## Compatibility'), README.indexOf('\n## ', README.indexOf('## Compatibility') + 3));
		const rows = section.split('\n').filter((line) => line.startsWith('| '));
		const n8nRows = rows.filter((row) => row.startsWith('| n8n |'));
		const claimed = n8nRows.map((row) => row.match(/\*\*(\d+\.\d+\.\d+)\*\*/)[1]).sort();
		// the releases the e2e and the compat e2e start (scripts/n8n/config.js), and the compat target among them
		expect(claimed).toEqual(Object.keys(N8N_RELEASES).sort());
		const oldest = compatTarget();
		expect(claimed).toContain(oldest.n8n);
		const engines = n8nRows.map((row) => [...row.matchAll(/n8n-core (\d+\.\d+\.\d+) \/ n8n-workflow (\d+\.\d+\.\d+)/g)].map((m) => `${m[1]}+${m[2]}`)).flat().sort();
		expect(engines).toEqual([`${oldest['n8n-core']}+${oldest['n8n-workflow']}`, `${pkg.devDependencies['n8n-core']}+${pkg.devDependencies['n8n-workflow']}`].sort());
		expect(README).toContain(`**${oldest.n8n} or later**`);
		expect(section).not.toMatch(/\b1\.x\b/);
	});

	test('the Node.js versions claimed are the ones CI runs, and package.json engines says the same', () => {
		const ci = YAML.parse(fs.readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8'));
		const majors = ci.jobs.test.strategy.matrix.node;
		expect(majors).toEqual(['20', '24']);
		expect(pkg.engines).toEqual({ node: '^20.20.0 || ^24.0.0' });
		const nodeRow = README.split('\n').find((line) => line.startsWith('| Node.js |'));
		expect([...nodeRow.matchAll(/\*\*(\d+)\*\*/g)].map(([, major]) => major)).toEqual(majors);
	});
});
