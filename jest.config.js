/**
 * Unit specs sit beside the code; e2e and integration specs run against real Postgres and Redis.
 * Type errors in tests fail the run (issue #11): ts-jest type-checks through a language service, which needs
 * isolatedModules off (tsconfig.jest.json). Diagnostics are reported for test code only; src is type-checked by
 * `npm run typecheck` and would only be checked twice here (measured: unit project ~26 s CPU → ~100 s cold).
 */
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    { tsconfig: 'tsconfig.jest.json', diagnostics: { pathRegex: '(\\.spec|\\.e2e-spec|\\.int-spec)\\.ts$|/test/' } },
  ],
};

module.exports = {
  maxWorkers: 2,
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
