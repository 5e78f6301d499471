import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { documentsFileName } from '../../src/documents/documents.module.js';
import { startTestApp } from '../support/app.js';
import { upload } from '../support/binary-upload.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';

/** `kontor verify` checks the Beleg vault after the chain: a changed blob fails by name. */
describe('kontor verify over stored documents (CLI)', () => {
  let dataDir: string;
  let documentId: string;

  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kontor-verify-documents-'));
    const app = await startTestApp({ store: 'sqlite', dataDir, env: { LOG_LEVEL: 'silent' } });
    try {
      await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id: 'acme', name: 'ACME GmbH', baseCurrency: 'EUR' },
      });
      const stored = await upload(
        app,
        '/v1/books/acme/documents',
        'Beleg 1',
        'text/plain',
        app.adminKey,
      );
      documentId = stored.body.id;
    } finally {
      await app.close();
    }
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 with the documents intact', async () => {
    const run = await runCli(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });
    expect(run.stdout).toMatch(/^ok: 1 documents match their sha256 ids$/m);
    expect(run.status).toBe(0);
  });

  it('exits 1 naming the document whose bytes changed', async () => {
    const db = new Database(join(dataDir, documentsFileName));
    try {
      db.exec('DROP TRIGGER document_blobs_reject_update');
      db.prepare('UPDATE document_blobs SET bytes = ?').run(Buffer.from('Beleg 2'));
    } finally {
      db.close();
    }
    const run = await runCli(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });
    expect(run.stdout).toContain(`BROKEN document ${documentId} in book acme`);
    expect(run.status).toBe(1);
  });
});
