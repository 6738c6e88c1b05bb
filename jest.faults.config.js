/** `npm run test:faults`: the fault suite runs its own PostgreSQL and Redis and kills real processes, one file at a time. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  testTimeout: 420_000,
  maxWorkers: 1,
};
