// Timestamps are stored as UTC in columns without a zone. The suite runs in a zone off UTC by a
// fraction of an hour, so code that reads them as local time fails (test/sessions/direct-reads.test.ts).
process.env.TZ = 'America/St_Johns';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/services needs a running Redis (and PostgreSQL): `npm run test:services`, with jest.services.config.js.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/services/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // otplib's dependencies and jose ship only ES modules. Node ≥ 20.19 requires them natively; jest on
    // Node 20 does not, so they are compiled to CommonJS like our own sources.
    '/node_modules/(@scure/base|@noble/hashes|jose)/.+\\.js$': ['@swc/jest'],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@scure/base|@noble/hashes|jose)/)'],
  setupFiles: ['reflect-metadata'],
  // One migrated PGlite database per run, copied for each test server (test/support/pglite-template.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The generated Prisma client imports its siblings as './x.js' (right for the compiled service);
  // under jest the sources are .ts, so resolve those imports without the suffix.
  moduleNameMapper: { '^(\\.{1,2}/(?:internal/|models/)?[\\w.-]+)\\.js$': '$1' },
  testTimeout: 30_000,
  // Each test file starts its own server and database; two workers fit a 2-core machine.
  maxWorkers: process.env.CI ? 2 : '50%',
};
