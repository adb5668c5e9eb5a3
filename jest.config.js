'use strict';
// Unit and engine tests. The end-to-end tests against a real n8n (test/e2e) have their own command.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	// Builds dist/ when a source is newer (see the file for why it builds rather than refuses).
	globalSetup: '<rootDir>/test/harness/global-setup.js',
	testTimeout: 60000,
};
