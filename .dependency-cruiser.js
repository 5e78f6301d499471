/**
 * The architecture rules that review should not have to catch (ARCHITECTURE §2):
 * - the kernel and every domain/ folder import no framework, driver or I/O;
 * - modules meet only through each other's index.ts.
 * Checked by test/architecture.int-spec.ts (part of npm test).
 */
const modules = 'ledger|approvals|audit|subscriptions|access|einvoice';
module.exports = {
  forbidden: [
    {
      name: 'pure-domain',
      comment:
        'src/event-sourcing and */domain/ are pure: no NestJS, no database driver, no node I/O.',
      severity: 'error',
      from: { path: '^src/(event-sourcing/(?!testing/)|[^/]+/domain/)' },
      to: {
        path: '(^|/)node_modules/(@nestjs|better-sqlite3|pg|@kurrent|fastify|pino|prom-client)/|^(fs|net|http|https|child_process)$|^src/infrastructure/',
      },
    },
    {
      name: 'modules-through-index',
      comment:
        'A module is reached only through its index.ts (access also offers roles.ts: the pure role vocabulary for other domains).',
      severity: 'error',
      from: { path: `^src/(${modules})/` },
      to: {
        path: `^src/(${modules})/.+`,
        pathNot: [`^src/(${modules})/index\\.ts$`, '^src/access/roles\\.ts$', '^src/$1/'],
      },
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
