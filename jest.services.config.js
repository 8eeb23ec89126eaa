/**
 * The suites that need this machine's services (Redis, PostgreSQL): `npm run test:services`, which
 * points REDIS_URL and DATABASE_URL at them. The default `npm test` leaves them out.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/services/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
