// One jest run for all tiers; one embedded PostgreSQL per run (test/setup/global-setup.ts).
/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@cairn/([a-z-]+)$': '<rootDir>/libs/$1/src' },
};
module.exports = {
  testTimeout: 60000,
  // Two files at a time, whatever the machine: on 2 cores jest's default (cores − 1) ran every file
  // one after another, and most of a file's time is starting its app and waiting on PostgreSQL, not
  // CPU. Measured cold (fresh cache, same commit): 718 s with one worker, 295 s with two, all passing.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    // Three tiers: unit specs beside the code; service specs beside the code too (*.db.spec.ts: the
    // real modules on the real database, no HTTP — test/support/service-context.ts); end-to-end in test/.
    {
      ...common,
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/architecture.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.db\\.spec\\.ts$'],
    },
    { ...common, displayName: 'service', rootDir: __dirname, testMatch: ['<rootDir>/libs/**/*.db.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: __dirname, testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
