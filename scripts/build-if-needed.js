// Compiles with tsc when dist/ is missing or older than any source file, so `npm start` and
// `npx kontor` work straight after `npm ci`.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'dist', 'src', 'cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

// TypeScript 7's package.json "exports" hide bin/tsc from require.resolve; its package.json is exported.
function tscPath() {
  return join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
}

const sources = ['src', 'bench', 'sim'].map((d) => join(root, d)).filter(existsSync);
const stale =
  !existsSync(marker) || Math.max(...sources.map(newestMtime)) > statSync(marker).mtimeMs;
if (stale) {
  execFileSync(process.execPath, [tscPath(), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
    cwd: root,
  });
}
