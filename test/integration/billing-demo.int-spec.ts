import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { runDemo } from '../../src/operations/demo.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';

describe('kontor demo: billing', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kontor-billing-demo-'));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds three issued invoices (one reverse charge), a full credit note and an open draft', async () => {
    const config = loadConfig({
      KONTOR_STORE: 'sqlite',
      KONTOR_DATA_DIR: dataDir,
      KONTOR_ADMIN_KEY: 'a'.repeat(40),
      LOG_LEVEL: 'silent',
    });
    const book = await runDemo(config, { book: 'demo-billing' });
    const store = await SqliteEventStore.open(join(dataDir, 'events.db'), { readOnly: true });
    try {
      const events = await store.readStream(`book-${book}`, { limit: 1000 });
      const numbers = (type: string) =>
        events
          .filter((event) => event.type === type)
          .map((event) => (event.data as { number: string }).number);
      expect(numbers('InvoiceIssued')).toEqual(['RE-2026-00001', 'RE-2026-00002', 'RE-2026-00003']);
      expect(numbers('CreditNoteIssued')).toEqual([expect.stringMatching(/^GS-\d{4}-00001$/)]);
      const reverseCharge = events.find(
        (event) => (event.data as { number?: string }).number === 'RE-2026-00002',
      )!.data as { totals: { taxes: { vatCategory: string; amountMinor: string }[] } };
      expect(reverseCharge.totals.taxes).toEqual([
        expect.objectContaining({ vatCategory: 'AE', amountMinor: '0' }),
      ]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
