import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventCatalogMarkdown } from './event-catalog.markdown.js';

describe('docs/events.md', () => {
  it('is the current rendering of the event schemas (node scripts/render-event-catalog.js)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');
    expect(committed).toBe(renderEventCatalogMarkdown());
  });
});
