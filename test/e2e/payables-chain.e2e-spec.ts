import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { testsuiteXml } from '../../src/einvoice/test-support/testsuite-files.js';
import { TestApp, startTestApp } from '../support/app.js';
import { upload } from '../support/binary-upload.js';
import { camt053 } from '../support/camt053.js';
import { pain001SchemaErrors } from '../support/pain001-schema.js';

/**
 * The payables chain (issue 14): an incoming XRechnung → booked after a second person's
 * approval → paid in a payment run (executed after an approval) → pain.001 → the bank
 * statement's debit line closes the open item.
 */
describe('payables chain: incoming invoice to bank statement', () => {
  let app: TestApp;
  let accountant: string;
  let approver: string;
  let auditor: string;
  let book: string;
  const ownIban = 'DE02120300000000202051';

  const get = async (path: string, position = 0, key = accountant) => {
    const separator = path.includes('?') ? '&' : '?';
    const response = await app.request('GET', `${path}${separator}consistentWith=${position}`, {
      key,
    });
    expect([response.status, response.body?.detail]).toEqual([200, undefined]);
    return response.body;
  };
  const eurBalance = (body: { balances: { currency: string; balance: string }[] }) =>
    body.balances.find((b) => b.currency === 'EUR')?.balance ?? '0.00';
  const post = (path: string, body: object, key = accountant, headers = {}) =>
    app.request('POST', path, { key, body, headers });

  async function approve(approvalId: string) {
    const approved = await post(`/v1/approvals/${approvalId}/approve`, {}, approver);
    expect(approved.status).toBe(200);
    expect(approved.body.result).toMatchObject({ status: 'executed' });
    return approved.body;
  }

  beforeAll(async () => {
    app = await startTestApp({
      store: 'sqlite',
      env: { LOG_LEVEL: process.env.E2E_LOG ?? 'silent' },
    });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    approver = await app.createKey('Paula Approver', ['approver']);
    auditor = await app.createKey('Anton Auditor', ['auditor']);
    const compliance = await app.createKey('Clara Compliance', ['compliance']);
    book = `chain-${randomUUID().slice(0, 8)}`;
    const opened = await post(
      '/v1/books',
      { id: book, name: 'Empfänger GmbH', baseCurrency: 'EUR', chart: 'skr03' },
      app.adminKey,
    );
    expect(opened.status).toBe(201);
    const company = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: app.adminKey,
      body: {
        name: 'Empfänger GmbH',
        address: {
          street: 'Friedrichstraße 1',
          postalCode: '10117',
          city: 'Berlin',
          country: 'DE',
        },
        vatId: 'DE123456789',
        registration: 'Amtsgericht Berlin HRB 12345 B',
        email: 'buchhaltung@empfaenger.de',
        phone: '+49 30 1234567',
        contactName: 'Erika Mustermann',
        iban: ownIban,
      },
    });
    expect(company.status).toBe(200);
    for (const action of ['incoming-invoice.book', 'payment-run.execute']) {
      const policy = await post(
        `/v1/books/${book}/approval-policies`,
        {
          name: `Vier Augen: ${action}`,
          action,
          condition: { minAmount: '100.00', currency: 'EUR' },
          steps: [{ role: 'approver', approvals: 1 }],
        },
        compliance,
      );
      expect(policy.status).toBe(201);
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('XRechnung → approved booking → payment run → approved execution → valid pain.001 → camt.053 closes the item', async () => {
    const payablesBefore = eurBalance(await get(`/v1/books/${book}/accounts/1600/balance`));
    const received = await upload(
      app,
      `/v1/books/${book}/incoming-invoices`,
      testsuiteXml('01.01a-INVOICE_ubl.xml'),
      'application/xml',
      accountant,
    );
    expect(received.status).toBe(201);
    const invoice = received.body;
    expect(invoice.totals.payable).toBe('336.9');
    const held = await post(`/v1/books/${book}/incoming-invoices/${invoice.id}/book`, {
      lines: [{ account: '3300', amount: invoice.totals.net, taxCode: 'VSt7' }],
    });
    expect(held.status).toBe(202);
    const booked = await approve(held.body.approvalId);

    const created = await post(
      `/v1/books/${book}/payment-runs`,
      { executionDate: '2027-01-15', bankAccount: '1200' },
      accountant,
      { 'idempotency-key': 'run-1' },
    );
    expect([created.status, created.body.detail]).toEqual([201, undefined]);
    expect(created.body).toMatchObject({
      status: 'draft',
      total: '336.90',
      debtor: { name: 'Empfänger GmbH', iban: ownIban },
      items: [
        {
          invoice: invoice.id,
          number: '123456XX',
          amount: '336.90',
          creditor: { name: '[Seller name]', iban: 'DE79000000001234567890' },
        },
      ],
    });
    const retried = await post(
      `/v1/books/${book}/payment-runs`,
      { executionDate: '2027-01-15', bankAccount: '1200' },
      accountant,
      { 'idempotency-key': 'run-1' },
    );
    expect([retried.status, retried.body.id]).toEqual([201, created.body.id]);
    const run = `/v1/books/${book}/payment-runs/${created.body.id}`;
    expect((await app.request('GET', `${run}/pain001`, { key: accountant })).status).toBe(409);

    const pending = await post(`${run}/execute`, {});
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'pending_approval' });
    expect((await get(run)).status).toBe('draft');
    await approve(pending.body.approvalId);
    const executed = await get(run, 0, auditor);
    expect(executed.status).toBe('executed');
    expect((await post(`${run}/execute`, {})).status).toBe(409);
    const endToEndId: string = executed.items[0].endToEndId;
    expect(endToEndId).toMatch(/^[A-Za-z0-9-]{1,35}$/);
    const payables = `/v1/books/${book}/open-items?kind=payable&asOf=2027-12-31`;
    expect((await get(payables, executed.position)).items).toEqual([
      expect.objectContaining({
        invoice: invoice.id,
        openAmount: '336.90',
        inPayment: { run: created.body.id, endToEndId },
      }),
    ]);

    const pain = await app.request('GET', `${run}/pain001`, { key: auditor });
    expect(pain.status).toBe(200);
    expect(pain.headers.get('content-type')).toContain('application/xml');
    const xml = String(pain.body);
    expect(pain001SchemaErrors(xml)).toEqual([]);
    expect((await app.request('GET', `${run}/pain001`, { key: auditor })).body).toBe(xml);
    const transfer = new XMLParser({ parseTagValue: false }).parse(xml).Document.CstmrCdtTrfInitn
      .PmtInf.CdtTrfTxInf;
    expect(transfer.PmtId.EndToEndId).toBe(endToEndId);

    const statement = camt053([
      {
        id: 'STMT-2027-015',
        iban: ownIban,
        entries: [
          {
            reference: 'D1',
            amount: '336.90',
            direction: 'DBIT',
            date: '2027-01-15',
            transactions: [
              {
                amount: transfer.Amt.InstdAmt,
                endToEndId: transfer.PmtId.EndToEndId,
                remittance: transfer.RmtInf.Ustrd,
                counterpartyIban: transfer.CdtrAcct.Id.IBAN,
                counterpartyName: transfer.Cdtr.Nm,
              },
            ],
          },
        ],
      },
    ]);
    const imported = await upload(
      app,
      `/v1/books/${book}/bank-statements?account=1200`,
      statement,
      'application/xml',
      accountant,
    );
    expect([imported.status, imported.body.detail]).toEqual([201, undefined]);
    expect(imported.body).toMatchObject({ matched: 1, unmatched: 0 });
    expect(imported.body.lines[0]).toMatchObject({ rule: 'end-to-end-id' });
    const position = Math.max(imported.body.position, booked.position ?? 0);
    const open = await get(payables, position);
    expect(open.items).toEqual([]);
    const control = await get(`/v1/books/${book}/accounts/1600/balance`, position);
    expect(control.balances).toEqual([
      expect.objectContaining({ credit: '336.90', debit: '336.90' }),
    ]);
    expect(eurBalance(control)).toBe(payablesBefore);
    const trial = await get(`/v1/books/${book}/trial-balance?asOf=2027-12-31`, position);
    for (const currency of trial.currencies)
      expect(currency.totals.debit).toBe(currency.totals.credit);
  });

  it('refuses an item that is in another run (409) until that run is cancelled, finds nothing due (422); auditors only read', async () => {
    const received = await upload(
      app,
      `/v1/books/${book}/incoming-invoices`,
      testsuiteXml('01.02a-INVOICE_ubl.xml'),
      'application/xml',
      accountant,
    );
    const booked = await post(`/v1/books/${book}/incoming-invoices/${received.body.id}/book`, {
      lines: [{ account: '3300', amount: received.body.totals.net, taxCode: 'VSt7' }],
    });
    expect(booked.status).toBe(201);
    const body = { executionDate: '2027-01-15', bankAccount: '1200', items: [received.body.id] };
    const first = await post(`/v1/books/${book}/payment-runs`, body);
    expect([first.status, first.body.total]).toEqual([201, '12.60']);
    const again = await post(`/v1/books/${book}/payment-runs`, body);
    expect([again.status, again.body.type]).toEqual([409, '/problems/conflict']);
    const cancelled = await post(`/v1/books/${book}/payment-runs/${first.body.id}/cancel`, {});
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    // A natural person's name and IBAN are sealed in the run's event and opened on read.
    const patched = await app.request(
      'PATCH',
      `/v1/books/${book}/parties/${received.body.supplier}`,
      {
        key: app.adminKey,
        body: { naturalPerson: true },
      },
    );
    expect(patched.status).toBe(200);
    // Without "debtor" the company pays from the bank account's own IBAN where it has one.
    const savings = await post(`/v1/books/${book}/accounts`, {
      code: '1210',
      name: 'Tagesgeld',
      type: 'asset',
      iban: 'DE89 3704 0044 0532 0130 00',
    });
    expect(savings.status).toBe(201);
    const sealed = await post(`/v1/books/${book}/payment-runs`, { ...body, bankAccount: '1210' });
    expect(sealed.status).toBe(201);
    expect(sealed.body.debtor).toEqual({ name: 'Empfänger GmbH', iban: 'DE89370400440532013000' });
    expect(first.body.debtor).toMatchObject({ iban: ownIban });
    expect(sealed.body.items[0].creditor).toEqual({
      name: '[Seller name]',
      iban: 'DE79000000001234567890',
    });
    const events = await app.store.readStream(`payment-runs-${book}`);
    const recorded = JSON.stringify(events[events.length - 1]!.data);
    expect(recorded).toContain('"sealed"');
    expect(recorded).not.toContain('DE79000000001234567890');
    const nothing = await post(`/v1/books/${book}/payment-runs`, {
      executionDate: '2027-01-15',
      bankAccount: '1200',
    });
    expect([nothing.status, nothing.body.type]).toEqual([422, '/problems/business-rule']);
    expect((await get(`/v1/books/${book}/payment-runs`, 0, auditor)).items).toHaveLength(3);
    expect((await post(`/v1/books/${book}/payment-runs`, body, auditor)).status).toBe(403);
  });
});
