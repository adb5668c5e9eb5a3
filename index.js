// n8n loads this package through the "n8n" field of package.json, not through this file,
// so package.json names no "main" and npm leaves this file out of the published tarball.
module.exports = {};
