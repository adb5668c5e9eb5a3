'use strict';
// Unit and engine tests. The end-to-end tests against a real n8n (test/e2e, test/e2e-queue) have their own commands.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/e2e-queue/'],
	// Builds dist/ when a source is newer (see the file for why it builds rather than refuses).
	globalSetup: '<rootDir>/test/harness/global-setup.js',
	testTimeout: 60000,
};
