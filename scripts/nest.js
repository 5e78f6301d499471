// Runs the Nest CLI (`npm run nest -- build`, `npm run nest -- start -- serve`) with nest-cli.json.
// The Nest CLI reads tsconfig through TypeScript's JavaScript API, which TypeScript 7 (the
// project's compiler: a native `tsc` only) does not have; so the CLI is given the TypeScript 6
// it depends on itself. It only parses tsconfig with it: swc compiles (nest-cli.json builder),
// and the type check stays TypeScript 7's `tsc --noEmit` (npm run typecheck).
const Module = require('node:module');
const { dirname, join } = require('node:path');

const cli = dirname(require.resolve('@nestjs/cli/package.json'));
const typescriptApi = require.resolve('typescript', { paths: [cli] });
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'typescript' ? typescriptApi : resolveFilename.call(this, request, ...rest);
};
import(join(cli, 'bin', 'nest.js'));
