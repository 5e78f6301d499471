import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { ConflictError, newId } from '../../src/event-sourcing/index.js';
import { PostDocument, registerDocumentType } from '../../src/ledger/index.js';
import { BookCommandOutcome, RunBookCommand } from '../../src/ledger/ledger.module.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/** PostDocument through the CommandBus (the way billing and banking run it), on both stores. */
const stores: TestStore[] = ['sqlite', 'postgres'];

registerDocumentType({
  type: 'E2eInvoiceIssued',
  description: 'A test document (e2e only).',
  schema: {
    type: 'object',
    required: ['customer'],
    additionalProperties: false,
    properties: { customer: { type: 'string' } },
  },
});

describe.each(stores)('PostDocument over %s', (store) => {
  let app: TestApp;
  let bus: CommandBus;
  let approver: string;
  let compliance: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    bus = app.app.get(CommandBus);
    approver = await app.createKey('Paula Approver', ['approver']);
    compliance = await app.createKey('Clara Compliance', ['compliance']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `doc-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    return id;
  }

  function invoice(book: string, amount: string, overrides: Partial<PostDocument> = {}) {
    const documentId = `inv-${randomUUID()}`;
    const command: PostDocument = {
      type: 'PostDocument',
      bookId: book,
      document: { type: 'E2eInvoiceIssued', id: documentId, data: { customer: 'c-1' } },
      numbering: { series: 'RE-2027' },
      entry: {
        entryId: `entry-${documentId}`,
        effectiveDate: '2027-02-01',
        description: 'Invoice',
        lines: [
          { account: '1400', debit: amount, party: 'c-1' },
          { account: '8400', credit: amount, taxCode: 'USt0' },
        ],
      },
      ...overrides,
    };
    return command;
  }

  function run(command: PostDocument, name = 'Erika Accountant'): Promise<BookCommandOutcome> {
    return bus.execute(
      new RunBookCommand(
        command,
        { actor: { id: 'k-erika', name }, correlationId: newId(), commandId: newId() },
        { id: 'k-erika', name, roles: ['accountant'] },
      ),
    );
  }

  it('numbers concurrent documents 1..N without gap or duplicate, each with its entry in the same append', async () => {
    const book = await openBook();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => run(invoice(book, '10.00'))),
    );
    const numbers = outcomes.map((outcome) => {
      expect(outcome.status).toBe('done');
      return outcome.status === 'done' ? outcome.result.number : undefined;
    });
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 30 }, (_, index) => `RE-2027-${String(index + 1).padStart(5, '0')}`),
    );
    const events = await app.store.readStream(`book-${book}`, { fromRevision: 0, limit: 1000 });
    const documents = events.filter((event) => event.type === 'E2eInvoiceIssued');
    expect(documents).toHaveLength(30);
    for (const document of documents) {
      const next = events.find((event) => event.revision === document.revision + 1)!;
      expect(next.type).toBe('JournalEntryPosted');
      expect(next.position).toBeGreaterThan(document.position);
      expect(next.data).toMatchObject({
        entryId: (document.data as any).entryId,
        reference: (document.data as any).number,
        metadata: {
          documentType: 'E2eInvoiceIssued',
          documentId: (document.data as any).documentId,
        },
      });
    }
    const done = outcomes[0]!;
    if (done.status !== 'done') throw new Error('not done');
    const entry = await app.request(
      'GET',
      `/v1/books/${book}/journal-entries/${done.result.entryId}?consistentWith=${done.result.position}`,
      { key: app.adminKey },
    );
    expect(entry.status).toBe(200);
    expect(entry.body.reference).toBe(done.result.number);
  });

  it('answers a repeat with the original, refuses a known document id with another entry (409)', async () => {
    const book = await openBook();
    const command = invoice(book, '20.00');
    const first = await run(command);
    const again = await run(command);
    expect(again).toMatchObject({ status: 'done', result: { repeated: true } });
    if (first.status !== 'done' || again.status !== 'done') throw new Error('not done');
    expect(again.result).toMatchObject({
      entryId: first.result.entryId,
      documentId: command.document.id,
      number: first.result.number,
      position: first.result.position,
    });
    const other = { ...command, entry: { ...command.entry, entryId: 'entry-other' } };
    await expect(run(other)).rejects.toBeInstanceOf(ConflictError);
    const events = await app.store.readStream(`book-${book}`, { fromRevision: 0, limit: 100 });
    expect(events.filter((event) => event.type === 'E2eInvoiceIssued')).toHaveLength(1);
  });

  it('holds a gated invoice.issue over minAmount for approval and runs it exactly once when approved', async () => {
    const book = await openBook();
    const policy = await app.request('POST', `/v1/books/${book}/approval-policies`, {
      key: compliance,
      body: {
        name: 'Large invoices',
        action: 'invoice.issue',
        condition: { minAmount: '1000.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
      },
    });
    expect(policy.status).toBe(201);
    const gate = { action: 'invoice.issue' };
    const small = await run(invoice(book, '999.99', { gate }));
    expect(small).toMatchObject({ status: 'done', result: { number: 'RE-2027-00001' } });

    const large = invoice(book, '5000.00', { gate });
    const held = await run(large);
    expect(held.status).toBe('pending_approval');
    if (held.status !== 'pending_approval') throw new Error('not held');
    const before = await app.store.readStream(`book-${book}`, { fromRevision: 0, limit: 100 });
    expect(before.some((event) => (event.data as any).documentId === large.document.id)).toBe(
      false,
    );

    const approved = await app.request('POST', `/v1/approvals/${held.approvalId}/approve`, {
      key: approver,
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(approved.body.result).toMatchObject({
      status: 'executed',
      documentId: large.document.id,
      number: 'RE-2027-00002',
      entryId: large.entry.entryId,
    });
    // Running the held command again (a retried reaction) appends nothing.
    expect(await run(large)).toMatchObject({ status: 'done', result: { repeated: true } });
    const after = await app.store.readStream(`book-${book}`, { fromRevision: 0, limit: 100 });
    expect(
      after.filter((event) => (event.data as any).documentId === large.document.id),
    ).toHaveLength(1);
    expect(after.filter((event) => event.type === 'E2eInvoiceIssued')).toHaveLength(2);
  });

  it('keeps taxCode and party on journal lines posted over HTTP and shows them', async () => {
    const book = await openBook();
    const posted = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: app.adminKey,
      body: {
        effectiveDate: '2027-03-01',
        description: 'Sale',
        lines: [
          { account: '1400', debit: '50.00', party: 'c-9' },
          { account: '8400', credit: '50.00', taxCode: 'USt0' },
        ],
      },
    });
    expect(posted.status).toBe(201);
    expect(posted.body.lines).toEqual([
      { account: '1400', debit: '50.00', currency: 'EUR', party: 'c-9' },
      { account: '8400', credit: '50.00', currency: 'EUR', taxCode: 'USt0' },
    ]);
    const shown = await app.request(
      'GET',
      `/v1/books/${book}/journal-entries/${posted.body.id}?consistentWith=${posted.body.position}`,
      { key: app.adminKey },
    );
    expect(shown.body.lines).toEqual([
      { lineNo: 0, account: '1400', debit: '50.00', currency: 'EUR', party: 'c-9' },
      { lineNo: 1, account: '8400', credit: '50.00', currency: 'EUR', taxCode: 'USt0' },
    ]);
    const malformed = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: app.adminKey,
      body: {
        effectiveDate: '2027-03-01',
        description: 'Sale',
        lines: [
          { account: '1400', debit: '50.00', party: 'c 9' },
          { account: '8400', credit: '50.00' },
        ],
      },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'lines[0].party' })]);
  });

  it('lists the registered document type in the event catalog', async () => {
    const catalog = await app.request('GET', '/v1/events/schemas', { key: app.adminKey });
    expect(catalog.status).toBe(200);
    const items = Array.isArray(catalog.body) ? catalog.body : catalog.body.items;
    expect(items.map((item: { type: string }) => item.type)).toContain('E2eInvoiceIssued');
  });
});
