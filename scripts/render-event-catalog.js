// Writes docs/events.md from the event schemas (src/**/domain/*.schemas.ts), through the build.
// `node scripts/render-event-catalog.js` (add `--check` to fail when the file is out of date).
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

require('./build-if-needed.js');
const root = join(__dirname, '..');
const { renderEventCatalogMarkdown } = require(
  join(root, 'dist', 'src', 'subscriptions', 'application', 'event-catalog.markdown.js'),
);
const target = join(root, 'docs', 'events.md');
const markdown = renderEventCatalogMarkdown();

if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== markdown) {
    console.error('docs/events.md is out of date: run node scripts/render-event-catalog.js');
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, markdown);
  console.log(`wrote ${target}`);
}
