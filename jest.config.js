/** Unit specs beside the code; integration and e2e suites under test/. */
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
// NestJS 12 ships ESM only; jest's module loader needs it as CommonJS.
const transformIgnorePatterns = ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|cookie)/)'];
const common = { transform: { '^.+\\.(t|j|mj)s$': swc }, transformIgnorePatterns, testEnvironment: 'node' };
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
  ],
};
