/**
 * The audit API end to end: correlation ids from requests on every event they cause, the audit
 * trail's filters and permissions, streamed exports (checksum, recorded in the log), verify
 * against a kept digest. On SQLite and PostgreSQL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { startTestApp, TestApp, TestStore } from '../support/app.js';

jest.setTimeout(30_000);

describe.each<TestStore>(['sqlite', 'postgres'])('audit API on %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let auditor: string;
  const book = `audit-${randomUUID().slice(0, 8)}`;
  const otherBook = `other-${randomUUID().slice(0, 8)}`;
  let lastPosition = 0;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    auditor = await app.createKey('Anna Auditor', ['auditor']);
    for (const id of [book, otherBook]) {
      const opened = await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id, name: 'ACME GmbH', baseCurrency: 'EUR' },
      });
      expect(opened.status).toBe(201);
      for (const [code, type] of [
        ['1200', 'asset'],
        ['6310', 'expense'],
      ]) {
        const account = await app.request('POST', `/v1/books/${id}/accounts`, {
          key: accountant,
          body: { code, name: `Account ${code}`, type },
        });
        expect(account.status).toBe(201);
        lastPosition = account.body.position;
      }
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  async function post(headers: Record<string, string> = {}) {
    const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      headers,
      body: {
        effectiveDate: '2026-02-01',
        description: 'Rent February',
        lines: [
          { account: '6310', debit: '1200.00' },
          { account: '1200', credit: '1200.00' },
        ],
      },
    });
    expect(response.status).toBe(201);
    lastPosition = response.body.position;
    return response;
  }

  function audit(query: string, key = auditor) {
    return app.request('GET', `/v1/audit?consistentWith=${lastPosition}&${query}`, { key });
  }

  it('puts the request’s X-Correlation-Id on the events it caused, and echoes it', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const response = await post({ 'x-correlation-id': correlationId });
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    const trail = await audit(`correlationId=${correlationId}`);
    expect(trail.status).toBe(200);
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({
      position: response.body.position,
      type: 'JournalEntryPosted',
      streamId: `book-${book}`,
      book,
      actor: { name: 'Erika Accountant' },
      correlationId,
      summary: `Erika Accountant posted ${response.body.id} 1,200.00 EUR: Rent February`,
    });
    expect(trail.body.items[0].recordedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('generates a correlation id when none is given, echoes it, and records it', async () => {
    const response = await post();
    const generated = response.headers.get('x-correlation-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = await app.store.readAll({
      from: BigInt(response.body.position),
      limit: 1,
    });
    expect(event!.metadata.correlationId).toBe(generated);
    expect(
      (await audit(`correlationId=${generated}`)).body.items.map(
        (item: { position: number }) => item.position,
      ),
    ).toEqual([response.body.position]);
  });

  it('combines filters with AND and pages with the cursor, newest last', async () => {
    const all = await audit(
      `book=${book}&type=JournalEntryPosted&actor=Erika%20Accountant&limit=1000`,
    );
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    const first = await audit(
      `book=${book}&type=JournalEntryPosted&actor=Erika%20Accountant&limit=1`,
    );
    expect(first.body.items).toEqual(all.body.items.slice(0, 1));
    const second = await audit(
      `book=${book}&type=JournalEntryPosted&actor=Erika%20Accountant&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).toEqual(all.body.items.slice(1, 2));
    const positions = all.body.items.map((item: { position: number }) => item.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect((await audit(`book=${otherBook}&type=JournalEntryPosted`)).body.items).toEqual([]);
    expect((await audit('from=2000-01-01&to=2000-01-31')).body.items).toEqual([]);
  });

  it('matches actor= by person as segregation of duties does: case-folded, invisible characters ignored', async () => {
    const exact = await audit(`book=${book}&type=JournalEntryPosted&actor=Erika%20Accountant`);
    expect(exact.body.items.length).toBeGreaterThanOrEqual(2);
    for (const lookAlike of ['ERIKA ACCOUNTANT', 'erika  accountant ', 'Erika\u200b Accountant']) {
      const response = await audit(
        `book=${book}&type=JournalEntryPosted&actor=${encodeURIComponent(lookAlike)}`,
      );
      expect(response.body.items).toEqual(exact.body.items);
    }
    expect(
      (await audit(`book=${book}&type=JournalEntryPosted&actor=Erik%20Accountant`)).body.items,
    ).toEqual([]);
  });

  it('needs audit:read; a book-restricted key sees only its books; bad filters are 400', async () => {
    expect((await audit('', accountant)).status).toBe(403);
    const restricted = await app.createKey('Rita Restricted', ['auditor'], [otherBook]);
    const seen = await audit('limit=1000', restricted);
    expect(seen.status).toBe(200);
    expect(seen.body.items.length).toBeGreaterThan(0);
    expect(seen.body.items.every((item: { book: string }) => item.book === otherBook)).toBe(true);
    expect((await audit(`book=${book}`, restricted)).status).toBe(403);
    for (const query of ['from=yesterday', 'to=2026-02-30', 'limit=0', 'cursor=abc', 'unknown=1']) {
      const response = await audit(query);
      expect({ query, status: response.status, type: response.body.type }).toEqual({
        query,
        status: 400,
        type: '/problems/validation',
      });
    }
  });

  it.each(['csv', 'jsonl'])(
    'exports %s with the header and data lines only, its sha256 recorded and returned by GET /v1/audit/exports/:id',
    async (format) => {
      await post();
      const response = await app.request(
        'GET',
        `/v1/audit/export?format=${format}&book=${book}&consistentWith=${lastPosition}`,
        { key: auditor },
      );
      expect(response.status).toBe(200);
      const file = response.body as string;
      const exportId = response.headers.get('kontor-export-id')!;
      expect(response.headers.get('x-kontor-export-id')).toBe(exportId);
      const body = file;
      const sha256 = createHash('sha256').update(body).digest('hex');
      const rows =
        format === 'csv'
          ? (parse(body, { columns: true }) as { position: string }[])
          : body
              .trimEnd()
              .split('\n')
              .map((line) => JSON.parse(line));
      const expected = (await audit(`book=${book}&limit=1000`)).body.items.filter(
        (item: { position: number }) =>
          item.position <= Number(response.headers.get('x-kontor-until-position')),
      );
      expect(rows.map((row: { position: string | number }) => Number(row.position))).toEqual(
        expected.map((item: { position: number }) => item.position),
      );
      expect(file).not.toContain('kontor-audit-export');
      const lines = file.trimEnd().split(format === 'csv' ? '\r\n' : '\n');
      expect(lines).toHaveLength(rows.length + (format === 'csv' ? 1 : 0));
      const record = await app.request('GET', `/v1/audit/exports/${exportId}`, { key: auditor });
      expect(record.status).toBe(200);
      expect(record.body).toMatchObject({
        id: exportId,
        status: 'completed',
        format,
        rowCount: rows.length,
        sha256,
        filter: { book },
        book,
        actor: { name: 'Anna Auditor' },
      });
      const unknown = await app.request('GET', `/v1/audit/exports/nope`, { key: auditor });
      expect(unknown.status).toBe(404);

      const recorded = (await app.store.readStream('audit-exports')).filter(
        (event) => (event.data as { exportId: string }).exportId === exportId,
      );
      expect(recorded.map((event) => event.type)).toEqual([
        'AuditTrailExportStarted',
        'AuditTrailExported',
      ]);
      expect(recorded[1]!.data).toMatchObject({
        format,
        completed: true,
        rowCount: rows.length,
        sha256,
        filter: { book },
      });
      expect(recorded[1]!.metadata).toMatchObject({ actor: { name: 'Anna Auditor' }, book });
      expect(
        (await app.request('GET', `/v1/audit/export?format=xml`, { key: auditor })).status,
      ).toBe(400);
      expect(
        (await app.request('GET', `/v1/audit/export?format=csv`, { key: accountant })).status,
      ).toBe(403);
    },
  );

  it('verifies the log against a kept digest', async () => {
    const digest = await app.request('GET', '/v1/audit/digest', { key: auditor });
    expect(digest.status).toBe(200);
    await post();
    const kept = `${digest.body.hash}@${digest.body.position}`;
    const verified = await app.request('GET', `/v1/audit/verify?digest=${kept}`, { key: auditor });
    expect(verified.body).toMatchObject({
      ok: true,
      headPosition: digest.body.position,
      digest: { matches: true },
    });
    const wrong = await app.request(
      'GET',
      `/v1/audit/verify?digest=${'0'.repeat(64)}@${digest.body.position}`,
      { key: auditor },
    );
    expect(wrong.body).toMatchObject({ ok: false, digest: { matches: false } });
    expect((await app.request('GET', '/v1/audit/verify?digest=xyz', { key: auditor })).status).toBe(
      400,
    );
    const whole = await app.request('GET', '/v1/audit/verify', { key: auditor });
    expect(whole.body).toMatchObject({ ok: true });
    expect(whole.body.headPosition).toBeGreaterThan(digest.body.position);
  });
});
