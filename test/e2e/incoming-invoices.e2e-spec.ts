import { randomUUID } from 'node:crypto';
import {
  asCii,
  asPdf,
  asUbl,
  reverseChargeInvoice,
  supplierInvoice,
} from '../support/incoming-invoices.js';
import { CommandBus } from '@nestjs/cqrs';
import { PDFDocument } from 'pdf-lib';
import { newId } from '../../src/event-sourcing/index.js';
import { PostDocument } from '../../src/ledger/index.js';
import { RunBookCommand } from '../../src/ledger/ledger.module.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { download, upload } from '../support/binary-upload.js';

/** API.md "Incoming invoices (Eingangsrechnungen)": receive, refuse, book, four-eyes, open items. */
const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('incoming invoices over %s', (store) => {
  let app: TestApp;
  let accountant: string;

  beforeAll(async () => {
    app = await startTestApp({ store, env: { LOG_LEVEL: process.env.E2E_LOG ?? 'silent' } });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `pay-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'Müller & Söhne KG', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    return id;
  }

  const receive = (
    book: string,
    bytes: Buffer | string,
    type = 'application/xml',
    key = accountant,
  ) => upload(app, `/v1/books/${book}/incoming-invoices`, bytes, type, key);

  const get = (path: string, key = accountant) => app.request('GET', path, { key });

  /** A payment of the supplier allocated in full to the incoming invoice (payables to bank). */
  async function payThrough(book: string, supplier: string, invoiceId: string, minor: bigint) {
    const amount = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
    const command: PostDocument = {
      type: 'PostDocument',
      bookId: book,
      document: {
        type: 'PaymentReceived',
        id: `pay-${randomUUID()}`,
        data: {
          partyId: supplier,
          date: '2026-12-10',
          amountMinor: String(minor),
          currency: 'EUR',
          bankAccount: '1200',
          allocations: [{ invoiceId, amountMinor: String(minor), discountMinor: '0' }],
          discountMinor: '0',
          controlAccount: '1600',
        },
      },
      entry: {
        entryId: newId(),
        effectiveDate: '2026-12-10',
        description: 'Zahlung an Lieferant',
        lines: [
          { account: '1600', debit: amount, party: supplier },
          { account: '1200', credit: amount },
        ],
      },
    };
    const actor = { id: 'k-erika', name: 'Erika Accountant' };
    const outcome = await app.app
      .get(CommandBus)
      .execute(
        new RunBookCommand(
          command,
          { actor, correlationId: newId(), commandId: newId() },
          { ...actor, roles: ['accountant'] },
        ),
      );
    return outcome.status === 'done' ? outcome.result.position : 0n;
  }

  const bookIt = (book: string, id: string, body: unknown = {}, key = accountant) =>
    app.request('POST', `/v1/books/${book}/incoming-invoices/${id}/book`, { key, body });

  /** The entry's lines as [account, debit, credit]. */
  async function entryLines(book: string, booked: { body: { entryId: string; position: number } }) {
    const entry = await get(
      `/v1/books/${book}/journal-entries/${booked.body.entryId}?consistentWith=${booked.body.position}`,
    );
    return entry.body.lines.map((l: any) => [l.account, l.debit ?? null, l.credit ?? null]);
  }

  it('receives UBL, CII and a ZUGFeRD PDF; finds the supplier by VAT id and keeps the original', async () => {
    const book = await openBook();
    const ubl = asUbl(supplierInvoice('RE-1'));
    const first = await receive(book, ubl);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'received',
      number: 'RE-1',
      issueDate: '2026-11-30',
      dueDate: '2026-12-14',
      totals: { net: '1317.89', tax: '243.14', gross: '1561.03', payable: '1561.03' },
      currency: 'EUR',
      validation: { valid: true, errors: [] },
      sequence: 1,
      syntax: 'ubl',
    });
    const cii = await receive(book, asCii(supplierInvoice('RE-2')));
    const pdf = await receive(book, await asPdf(supplierInvoice('RE-3')), 'application/pdf');
    expect([cii.status, pdf.status]).toEqual([201, 201]);
    expect(cii.body).toMatchObject({ syntax: 'cii', container: 'xml', sequence: 2 });
    expect(pdf.body).toMatchObject({
      syntax: 'cii',
      container: 'pdf',
      sequence: 3,
      number: 'RE-3',
    });
    expect(new Set([first.body.supplier, cii.body.supplier, pdf.body.supplier]).size).toBe(1);

    const party = await get(`/v1/books/${book}/parties/${first.body.supplier}`);
    expect(party.body).toMatchObject({
      kind: 'supplier',
      name: 'Kontor Beispiel GmbH',
      vatId: 'DE123456789',
      iban: 'DE02120300000000202051',
    });
    const original = await download(
      app,
      `/v1/books/${book}/documents/${first.body.documentId}`,
      accountant,
    );
    expect(original.bytes.equals(ubl)).toBe(true);
    expect(original.contentType).toBe('application/xml');

    const detail = await get(`/v1/books/${book}/incoming-invoices/${first.body.id}`);
    expect(detail.body.lines[0]).toMatchObject({ name: 'Beratung', netAmount: '1187.5' });
    expect(detail.body.lines[0].text).toContain('Beratung');
    const listed = await get(`/v1/books/${book}/incoming-invoices?status=received`);
    expect(listed.body.items.map((i: { number: string }) => i.number)).toEqual([
      'RE-1',
      'RE-2',
      'RE-3',
    ]);
  });

  it('refuses duplicates (409) and what is no invoice (422), storing nothing', async () => {
    const book = await openBook();
    const ubl = asUbl(supplierInvoice('RE-9'));
    expect((await receive(book, ubl)).status).toBe(201);
    const head = await app.store.headPosition();
    const sameBytes = await receive(book, ubl);
    expect(sameBytes.status).toBe(409);
    const sameNumber = await receive(book, asCii(supplierInvoice('RE-9')));
    expect(sameNumber.status).toBe(409);
    expect(sameNumber.body.detail).toContain('already sent invoice number RE-9');

    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Invoice>&lol2;</Invoice>';
    const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
    const plainPdf = await PDFDocument.create();
    plainPdf.addPage();
    const noInvoicePdf = Buffer.from(await plainPdf.save());
    for (const [body, type] of [
      ['not xml at all', 'application/xml'],
      [bomb, 'application/xml'],
      [deep, 'application/xml'],
      ['<Order xmlns="urn:x"/>', 'application/xml'],
      [noInvoicePdf, 'application/pdf'],
      ['<Invoice/>', 'application/pdf'],
      ['%PDF-1.7 no invoice', 'application/pdf'],
      ['"%PDF-1.7"', 'application/json'],
    ] as const) {
      const refused = await receive(book, body, type);
      expect(refused.status).toBe(422);
      expect(refused.body.type).toBe('/problems/invalid-invoice');
    }
    expect(await app.store.headPosition()).toBe(head);
  });

  it('reports each failed rule with its BR id and still receives the invoice', async () => {
    const book = await openBook();
    const broken = asUbl(supplierInvoice('RE-77'))
      .toString('utf8')
      .replace(
        /<cbc:PayableAmount currencyID="EUR">[^<]*</,
        '<cbc:PayableAmount currencyID="EUR">10.00<',
      );
    const received = await receive(book, broken);
    expect(received.status).toBe(201);
    expect(received.body.totals.payable).toBe('10');
    expect(received.body.validation.valid).toBe(false);
    expect(received.body.validation.errors.map((e: { rule: string }) => e.rule)).toContain(
      'BR-CO-16',
    );
  });

  it('books by default per VAT rate, opens a payable, and refuses a second booking', async () => {
    const book = await openBook();
    const received = await receive(book, asUbl(supplierInvoice('RE-5')));
    const booked = await bookIt(book, received.body.id, {});
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'booked', id: received.body.id });
    const lines = await entryLines(book, booked);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['3400', '1257.39', null],
        ['3300', '60.50', null],
        ['1576', '238.90', null],
        ['1571', '4.24', null],
        ['1600', null, '1561.03'],
      ]),
    );
    const again = await bookIt(book, received.body.id, {});
    expect(again.status).toBe(409);
    const items = await get(
      `/v1/books/${book}/open-items?kind=payable&asOf=2026-12-31&consistentWith=${booked.body.position}`,
    );
    expect(items.body.items).toEqual([
      expect.objectContaining({ invoice: received.body.id, number: 'RE-5', dueDate: '2026-12-14' }),
    ]);
    const reconciliation = await get(
      `/v1/books/${book}/open-items/reconciliation?kind=payable&asOf=2026-12-31`,
    );
    expect(reconciliation.body).toMatchObject({
      ok: true,
      lines: [{ account: '1600', difference: '0.00' }],
    });
    const listed = await get(`/v1/books/${book}/incoming-invoices?status=booked`);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([received.body.id]);

    // Paid once its open item is settled (here by a payment document allocated to it).
    const paid = await payThrough(book, received.body.supplier, received.body.id, 156103n);
    const read = await get(
      `/v1/books/${book}/incoming-invoices/${received.body.id}?consistentWith=${paid}`,
    );
    expect(read.body.status).toBe('paid');
  });

  it('books to the supplier’s defaultExpenseAccount when the lines are omitted', async () => {
    const book = await openBook();
    const registered = await app.request('POST', `/v1/books/${book}/parties`, {
      key: accountant,
      body: {
        kind: 'supplier',
        name: 'Kontor Beispiel GmbH',
        address: {
          street: 'Friedrichstraße 1',
          postalCode: '10117',
          city: 'Berlin',
          country: 'DE',
        },
        vatId: 'DE123456789',
        defaultExpenseAccount: '4930',
      },
    });
    expect(registered.status).toBe(201);
    const received = await receive(book, asUbl(supplierInvoice('RE-8')));
    expect(received.body.supplier).toBe(registered.body.id);
    const booked = await bookIt(book, received.body.id, {});
    expect(booked.status).toBe(201);
    const expense = (await entryLines(book, booked)).filter(([, debit]: string[]) =>
      ['1257.39', '60.50'].includes(debit ?? ''),
    );
    expect(expense.map(([account]: string[]) => account)).toEqual(['4930', '4930']);
  });

  it('books a § 13b reverse-charge invoice with input and output VAT; the trial balance balances', async () => {
    const book = await openBook();
    const received = await receive(book, asUbl(reverseChargeInvoice()));
    expect(received.status).toBe(201);
    const booked = await bookIt(book, received.body.id, {
      lines: [{ account: '3120', taxCode: 'RC13b', costCenter: 'BAU' }],
    });
    expect(booked.status).toBe(201);
    const lines = await entryLines(book, booked);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['3120', '1000.00', null],
        ['1577', '190.00', null],
        ['1787', null, '190.00'],
        ['1600', null, '1000.00'],
      ]),
    );
    const trial = await get(
      `/v1/books/${book}/trial-balance?consistentWith=${booked.body.position}`,
    );
    const eur = trial.body.currencies.find((c: { currency: string }) => c.currency === 'EUR');
    expect(eur.totals.debit).toBe(eur.totals.credit);
  });

  it('refuses lines that do not add up to the net (422) and books nothing', async () => {
    const book = await openBook();
    const received = await receive(book, asUbl(supplierInvoice('RE-6')));
    const head = await app.store.headPosition();
    const refused = await bookIt(book, received.body.id, {
      lines: [{ account: '4930', amount: '100.00', taxCode: 'VSt19' }],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('BT-109');
    expect(await app.store.headPosition()).toBe(head);
  });

  it('four eyes: a policy holds the booking; a second person approves; booked once, payable open', async () => {
    const book = await openBook();
    const compliance = await app.createKey('Clara Compliance', ['compliance']);
    const approver = await app.createKey('Paula Approver', ['approver']);
    const policy = await app.request('POST', `/v1/books/${book}/approval-policies`, {
      key: compliance,
      body: {
        name: 'Eingangsrechnungen ab 1.000 EUR',
        action: 'incoming-invoice.book',
        condition: { minAmount: '1000.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
      },
    });
    expect(policy.status).toBe(201);
    const received = await receive(book, asUbl(supplierInvoice('RE-4E')));
    const path = `/v1/books/${book}/incoming-invoices/${received.body.id}`;
    const held = await bookIt(book, received.body.id);
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ id: received.body.id, status: 'pending_approval' });
    expect((await get(path)).body.status).toBe('received');
    const selfApproval = await app.request(
      'POST',
      `/v1/approvals/${held.body.approvalId}/approve`,
      {
        key: accountant,
        body: {},
      },
    );
    expect(selfApproval.status).toBe(403);
    const approved = await app.request('POST', `/v1/approvals/${held.body.approvalId}/approve`, {
      key: approver,
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(approved.body.result).toMatchObject({ status: 'executed' });
    expect((await get(path)).body.status).toBe('booked');
    const items = await get(
      `/v1/books/${book}/open-items?kind=payable&asOf=2026-12-31&consistentWith=${approved.body.position ?? 0}`,
    );
    expect(items.body.items).toEqual([
      expect.objectContaining({ invoice: received.body.id, openAmount: '1561.03' }),
    ]);
    const reconciliation = await get(
      `/v1/books/${book}/open-items/reconciliation?kind=payable&asOf=2026-12-31`,
    );
    expect(reconciliation.body).toMatchObject({
      ok: true,
      lines: [{ account: '1600', openItems: '-1561.03', ledger: '-1561.03', difference: '0.00' }],
    });
  });
});
