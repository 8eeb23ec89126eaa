// Timestamps are stored as UTC in columns without a zone. The suite runs in a zone off UTC by a
// fraction of an hour, so code that reads them as local time fails (test/sessions/direct-reads.test.ts).
process.env.TZ = 'America/St_Johns';

/**
 * What every lane shares. Jest does not pass a root config's project options down to its projects,
 * so each lane spreads this.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // otplib's dependencies and jose ship only ES modules. Node ≥ 20.19 requires them natively; jest on
    // Node 20 does not, so they are compiled to CommonJS like our own sources.
    '/node_modules/(@scure/base|@noble/hashes|jose)/.+\\.js$': ['@swc/jest'],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@scure/base|@noble/hashes|jose)/)'],
  setupFiles: ['reflect-metadata'],
  // The generated Prisma client imports its siblings as './x.js' (right for the compiled service);
  // under jest the sources are .ts, so resolve those imports without the suffix.
  moduleNameMapper: { '^(\\.{1,2}/(?:internal/|models/)?[\\w.-]+)\\.js$': '$1' },
  // Every lane's temporary files live in one directory per run, removed at the end.
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/**
 * Lanes that start test servers. Jest runs a global setup once per run for the lanes selected (one
 * module named by several lanes runs once), so `--selectProjects unit` never builds the template.
 */
const withDatabase = {
  ...shared,
  // One migrated PGlite database per run, copied for each test server (test/support/pglite-template.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};

// A test file lives in exactly one lane: a suffix names the unit and browser lanes, test/deploy is
// the deploy lane, the rest is integration. test/services needs a running Redis (and PostgreSQL):
// `npm run test:services`, with jest.services.config.js.
const DEPLOY = '<rootDir>/test/deploy/';
const SERVICES = '<rootDir>/test/services/';
const UNIT = '\\.unit\\.test\\.ts$';
const BROWSER = '\\.browser\\.test\\.ts$';

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // Pure modules: no database, no server, no browser. Only this run's temporary directory.
      globalSetup: '<rootDir>/test/support/run-directory-setup.ts',
      testMatch: ['**/*.unit.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', DEPLOY, SERVICES],
    },
    {
      ...withDatabase,
      displayName: 'integration',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', DEPLOY, SERVICES, UNIT, BROWSER],
    },
    {
      ...withDatabase,
      displayName: 'browser',
      testMatch: ['**/*.browser.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', DEPLOY, SERVICES],
    },
    {
      ...withDatabase,
      displayName: 'deploy',
      testMatch: ['<rootDir>/test/deploy/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
  testTimeout: 30_000,
  // Each test file starts its own server and database; two workers fit a 2-core machine.
  maxWorkers: process.env.CI ? 2 : '50%',
};
