'use strict';
// The package's node and credential classes, for programmatic use and tests:
//   const { Piopiy, PiopiyTrigger, PiopiyApi } = require('n8n-nodes-piopiy');
// n8n does not load this file: its loader reads the "n8n" field of package.json and loads each file
// named there, taking the class named after the file. This file reads the same field and does the
// same, so it exports exactly what n8n loads and follows the build. It needs dist/ (npm run build).
// Only relative requires and no Node globals, like the code n8n's community-package rules check.
const { n8n } = require('./package.json');

for (const file of [...n8n.nodes, ...n8n.credentials]) {
	const className = file.slice(file.lastIndexOf('/') + 1).replace(/\.(node|credentials)\.js$/, '');
	module.exports[className] = require(`./${file}`)[className];
}
