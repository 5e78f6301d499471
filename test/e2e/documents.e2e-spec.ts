import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { documentsFileName, verifyDocumentBlobs } from '../../src/documents/documents.module.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { download, upload } from '../support/binary-upload.js';

/** API.md "Incoming invoices and documents": the Beleg vault over HTTP, on both stores. */
const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('documents (Belege) over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let book: string;

  beforeAll(async () => {
    app = await startTestApp({ store, env: { LOG_LEVEL: process.env.E2E_LOG ?? 'silent' } });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    book = `doc-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('stores bytes once under their sha256 and serves them back unchanged', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(300_000)]);
    const id = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const path = `/v1/books/${book}/documents?fileName=beleg.pdf`;
    const first = await upload(app, path, bytes, 'application/pdf', accountant);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id,
      size: bytes.byteLength,
      contentType: 'application/pdf',
    });
    const head = await app.store.headPosition();
    const again = await upload(app, path, bytes, 'application/pdf', accountant);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await app.store.headPosition()).toBe(head);

    const read = await download(app, `/v1/books/${book}/documents/${id}`, accountant);
    expect(read.status).toBe(200);
    expect(read.contentType).toBe('application/pdf');
    expect(read.bytes.equals(bytes)).toBe(true);

    const list = await app.request('GET', `/v1/books/${book}/documents`, { key: accountant });
    expect(list.body.items).toContainEqual({ ...first.body, fileName: 'beleg.pdf' });
    const events = await app.store.readStream(`documents-${book}`);
    expect(events.filter((e) => (e.data as { documentId: string }).documentId === id)).toHaveLength(
      1,
    );
  });

  it('refuses more than 20 MiB with 413 and stores nothing', async () => {
    const head = await app.store.headPosition();
    const tooLarge = await upload(
      app,
      `/v1/books/${book}/documents`,
      Buffer.alloc(20 * 1024 * 1024 + 1, 1),
      'application/octet-stream',
      accountant,
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.type).toBe('/problems/payload-too-large');
    expect(await app.store.headPosition()).toBe(head);
  });

  it('answers 404 for an unknown document and book, and refuses non-JSON elsewhere (415)', async () => {
    const unknown = `sha256:${'0'.repeat(64)}`;
    expect((await download(app, `/v1/books/${book}/documents/${unknown}`, accountant)).status).toBe(
      404,
    );
    expect((await download(app, `/v1/books/${book}/documents/x`, accountant)).status).toBe(404);
    const noBook = await upload(app, '/v1/books/nope/documents', 'x', 'text/plain', accountant);
    expect(noBook.status).toBe(404);
    const elsewhere = await upload(app, '/v1/books', 'x', 'application/xml', app.adminKey);
    expect(elsewhere.status).toBe(415);
  });

  it('links documents from a journal entry; an unknown id is a 422 and posts nothing', async () => {
    const stored = await upload(
      app,
      `/v1/books/${book}/documents`,
      'Quittung 42',
      'text/plain',
      accountant,
    );
    const entry = {
      effectiveDate: '2026-03-01',
      description: 'Büromaterial',
      lines: [
        { account: '4930', debit: '10.00' },
        { account: '1000', credit: '10.00' },
      ],
    };
    const posted = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: { ...entry, documents: [stored.body.id] },
    });
    expect(posted.body).toMatchObject({ status: 'posted' });
    expect(posted.status).toBe(201);
    const events = await app.store.readStream(`book-${book}`);
    const recorded = events.find(
      (e) => (e.data as { entryId?: string }).entryId === posted.body.id,
    );
    expect((recorded!.data as { documents?: string[] }).documents).toEqual([stored.body.id]);

    const head = await app.store.headPosition();
    const unknown = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: { ...entry, documents: [`sha256:${'a'.repeat(64)}`] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toContain('sha256:aaaa');
    expect(await app.store.headPosition()).toBe(head);
  });
});

describe('the vault on sqlite', () => {
  it('refuses to change or delete a stored blob in the database', async () => {
    const app = await startTestApp({ store: 'sqlite', env: { LOG_LEVEL: 'silent' } });
    const book = `doc-${randomUUID().slice(0, 8)}`;
    await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    await upload(app, `/v1/books/${book}/documents`, 'Beleg', 'text/plain', app.adminKey);
    const db = new Database(join(app.dataDir, documentsFileName));
    try {
      expect(() => db.prepare('DELETE FROM document_blobs').run()).toThrow(/never deleted/);
      expect(() => db.prepare("UPDATE document_blobs SET content_type = 'x'").run()).toThrow(
        /immutable/,
      );
    } finally {
      db.close();
      await app.close();
    }
  });
  it('names a tampered blob and fails', async () => {
    const app = await startTestApp({ store: 'sqlite', env: { LOG_LEVEL: 'silent' } });
    try {
      const book = `doc-${randomUUID().slice(0, 8)}`;
      await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
      });
      const stored = await upload(
        app,
        `/v1/books/${book}/documents`,
        'Beleg',
        'text/plain',
        app.adminKey,
      );
      expect(await verifyDocumentBlobs(app.config)).toEqual({
        ok: true,
        lines: ['ok: 1 documents match their sha256 ids'],
      });
      const db = new Database(join(app.dataDir, documentsFileName));
      try {
        db.exec('DROP TRIGGER document_blobs_reject_update');
        db.prepare('UPDATE document_blobs SET bytes = ?').run(Buffer.from('Belex'));
      } finally {
        db.close();
      }
      const checked = await verifyDocumentBlobs(app.config);
      expect(checked.ok).toBe(false);
      expect(checked.lines[0]).toContain(`BROKEN document ${stored.body.id} in book ${book}`);
    } finally {
      await app.close();
    }
  });
});
