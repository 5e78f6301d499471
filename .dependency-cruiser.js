/**
 * The architecture rules that review should not have to catch (ARCHITECTURE §2, ADR 0006):
 * - the kernel, every domain/ folder and every module's index.ts are pure: nothing they reach,
 *   directly or through other files, is NestJS, a database driver, node I/O or infrastructure;
 * - a module is reached from outside only through its two public surfaces: index.ts (pure) and
 *   its *.module.ts files (the Nest wiring and the services it exports);
 * - src/infrastructure sits below the modules: it imports none of them, nor operations/, the
 *   app module, main.ts or the CLI;
 * - no cycles.
 * Checked by test/integration/architecture.int-spec.ts (part of npm test).
 */
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

/** Every folder of src/ is a module, except the kernel, infrastructure and operations. */
const notModules = new Set(['event-sourcing', 'infrastructure', 'operations']);
const modules = readdirSync(join(__dirname, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !notModules.has(entry.name))
  .map((entry) => entry.name)
  .join('|');
const surface = `^src/(${modules})/(index|[^/]+\\.module)\\.ts$`;
module.exports = {
  forbidden: [
    {
      name: 'pure-domain',
      comment:
        'src/event-sourcing, */domain/ and each module index.ts are pure: they reach no NestJS, database driver, node I/O or infrastructure, not even through other files.',
      severity: 'error',
      // A capability folder inside a module (src/banking/dunning/) keeps its domain/ pure as well.
      from: {
        path: `^src/(event-sourcing/(?!testing/)|[^/]+/domain/|[^/]+/[^/]+/domain/|(${modules})/index\\.ts$)`,
      },
      to: {
        reachable: true,
        path: '(^|/)node_modules/(@nestjs|better-sqlite3|pg|@kurrent|fastify|@fastify|pino|prom-client)/|^(node:)?(fs|net|http|https|child_process)$|^src/infrastructure/',
      },
    },
    {
      name: 'modules-through-index',
      comment:
        'A module is reached from another module only through its index.ts (pure) or its *.module.ts (Nest wiring).',
      severity: 'error',
      from: { path: `^src/(${modules})/` },
      to: { path: `^src/(${modules})/.+`, pathNot: [surface, '^src/$1/'] },
    },
    {
      name: 'outside-through-index',
      comment:
        'The app module, main.ts, the CLI, operations/ and infrastructure reach a module only through its index.ts or *.module.ts.',
      severity: 'error',
      from: { path: `^src/(?!(${modules})/)` },
      to: { path: `^src/(${modules})/.+`, pathNot: surface },
    },
    {
      name: 'infrastructure-below-modules',
      comment:
        'src/infrastructure is the bottom layer: it imports no module, nor operations/, the app module, main.ts or the CLI.',
      severity: 'error',
      from: { path: '^src/infrastructure/' },
      to: { path: `^src/((${modules}|operations)/|(app\\.module|main|cli)\\.ts$)` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
