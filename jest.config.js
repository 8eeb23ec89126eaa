/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['reflect-metadata'],
  // The generated Prisma client imports its siblings as './x.js' (right for the compiled service);
  // under jest the sources are .ts, so resolve those imports without the suffix.
  moduleNameMapper: { '^(\\.{1,2}/(?:internal/|models/)?[\\w.-]+)\\.js$': '$1' },
  testTimeout: 30_000,
  // Each test file starts its own server and database; two workers fit a 2-core machine.
  maxWorkers: process.env.CI ? 2 : '50%',
};
