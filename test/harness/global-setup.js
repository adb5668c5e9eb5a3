'use strict';
/**
 * jest's globalSetup (jest.config.js). The tests load the built package from dist/, as n8n does, so
 * a bare `npx jest` after editing a source would test the previous build and pass or fail for
 * reasons no longer in the code. When dist/ is missing or older than anything it is built from
 * (nodes/, credentials/, package.json, tsconfig.json), this builds it first instead of refusing:
 * the build is what a refusal would tell you to run (`n8n-node build`), it takes seconds, and it is
 * swapped into dist/ whole (fresh-dist.js says why). A failed build stops the run with the compiler's
 * errors. `npm test` builds before jest, so there dist/ is fresh and nothing is built twice.
 */
const { buildIfStale } = require('./fresh-dist');

module.exports = async function globalSetup() {
	buildIfStale({ log: (line) => process.stdout.write(`\n${line}\n`) });
};
