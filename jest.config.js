// unit: pure specs beside the code (src/**/*.spec.ts).
// integration: real SQLite files and real PostgreSQL (test/integration/*.int-spec.ts).
// e2e: the HTTP app over real stores (test/e2e/*.e2e-spec.ts).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
// NestJS 12 and a few of its dependencies ship ESM only; jest's module loader needs CommonJS.
const esmOnly = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'cookie',
  'content-disposition',
];
// Provides TEST_DATABASE_URL (given, or an embedded PostgreSQL started for the run).
const postgres = {
  globalSetup: '<rootDir>/test/setup/postgres-global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/postgres-global-teardown.ts',
};
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testEnvironment: 'node',
  // Sources import relative files as `./x.js` (module: node20); jest resolves them to `./x.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
module.exports = {
  // Real databases, processes and brokers on a shared 2-core machine: a test or hook that takes
  // longer than jest's 5 s default under load is not hanging (starting an app on PostgreSQL with
  // every read model's tables took over 30 s at load 8). A hang still fails, after 60 s.
  // (A global option: jest ignores testTimeout inside a project.)
  testTimeout: 60_000,
  // Two workers on the 2-core machines: jest's default (cores − 1) ran the suites in one process,
  // which grew to 4 GB and left the second core mostly idle (the Node 20 run took 29 minutes
  // alone). Suites use their own schemas, temp dirs, ports and broker names, so they run side by
  // side; a worker that grows past 1.5 GB is replaced after its file.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      ...postgres,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
    },
    {
      ...common,
      ...postgres,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
};
