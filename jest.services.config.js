/**
 * The suites that need this machine's services (Redis, PostgreSQL): `npm run test:services`, which
 * points REDIS_URL and DATABASE_URL at them. The default `npm test` leaves them out.
 * One config of its own, not a lane: the integration lane's settings, on test/services alone.
 */
const { projects, ...runSettings } = require('./jest.config');

const integration = projects.find((project) => project.displayName === 'integration');

/** @type {import('jest').Config} */
module.exports = {
  ...runSettings,
  ...integration,
  displayName: 'services',
  testMatch: ['<rootDir>/test/services/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
