import { randomUUID } from 'node:crypto';
import { checkInvoiceRules, readInvoiceXml, readInvoicePdf } from '../../src/einvoice/index.js';
import { BILLING_LOOKUPS, BillingLookupsSlot } from '../../src/billing/billing.module.js';
import {
  domesticCustomer,
  euCustomer,
  seller,
  skr03TaxCodes,
} from '../../src/billing/testing/billing.fixtures.js';
import type { SellerSnapshot } from '../../src/billing/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/** Invoices over HTTP on both stores: drafts, issue (PostDocument), renderings, credit notes. */
const stores: TestStore[] = ['sqlite', 'postgres'];
jest.setTimeout(60_000);

const accounts = [
  ['1400', 'asset'],
  ['8400', 'revenue'],
  ['8300', 'revenue'],
  ['8337', 'revenue'],
  ['1776', 'liability'],
  ['1771', 'liability'],
];

const draftBody = {
  customer: '10000',
  issueDate: '2027-01-15',
  servicePeriod: { from: '2026-12-01', to: '2026-12-31' },
  lines: [
    {
      description: 'Beratung',
      quantity: '12.5',
      unit: 'HUR',
      unitPrice: '95.00',
      taxCode: 'USt19',
    },
    {
      description: 'Material',
      quantity: '3.1234',
      unit: 'KGM',
      unitPrice: '22.375',
      taxCode: 'USt19',
    },
    { description: 'Fachbuch', quantity: '2', unitPrice: '30.25', taxCode: 'USt7' },
  ],
};

describe.each(stores)('invoices over %s', (store) => {
  let app: TestApp;
  let companyOf: (book: string) => SellerSnapshot | undefined = () => seller;

  beforeAll(async () => {
    app = await startTestApp({ store });
    const customers = [domesticCustomer, euCustomer];
    app.app.get<BillingLookupsSlot>(BILLING_LOOKUPS).install({
      taxCodesOn: () =>
        Promise.resolve({ valid: skr03TaxCodes, known: Object.keys(skr03TaxCodes) }),
      customer: (_book, key) =>
        Promise.resolve(customers.find((c) => c.partyId === key || c.number === key)),
      company: (book) => Promise.resolve(companyOf(book)),
      receivablesAccount: () => Promise.resolve('1400'),
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `inv-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'Kontor Beispiel GmbH', baseCurrency: 'EUR' },
    });
    expect(opened.status).toBe(201);
    for (const [code, type] of accounts) {
      const account = await app.request('POST', `/v1/books/${id}/accounts`, {
        key: app.adminKey,
        body: { code, name: `Konto ${code}`, type },
      });
      expect(account.status).toBe(201);
    }
    return id;
  }

  const post = (path: string, body?: unknown) =>
    app.request('POST', path, { key: app.adminKey, body });

  it('creates, replaces and issues a draft; the issued invoice never changes', async () => {
    const book = await openBook();
    const created = await post(`/v1/books/${book}/invoices`, draftBody);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      totals: {
        net: '1317.89',
        taxes: [
          { taxCode: 'USt19', rate: '19', base: '1257.39', amount: '238.90' },
          { taxCode: 'USt7', rate: '7', base: '60.50', amount: '4.24' },
        ],
        gross: '1561.03',
      },
    });
    const id = created.body.id as string;
    const replaced = await app.request('PUT', `/v1/books/${book}/invoices/${id}`, {
      key: app.adminKey,
      body: { ...draftBody, note: 'Vielen Dank.' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.note).toBe('Vielen Dank.');

    const issued = await post(`/v1/books/${book}/invoices/${id}/issue`);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      id,
      number: 'RE-2027-00001',
      status: 'issued',
      dueDate: '2027-01-29',
    });
    const again = await post(`/v1/books/${book}/invoices/${id}/issue`);
    expect(again.status).toBe(409);
    for (const method of ['PUT', 'DELETE']) {
      const change = await app.request(method, `/v1/books/${book}/invoices/${id}`, {
        key: app.adminKey,
        ...(method === 'PUT' ? { body: draftBody } : {}),
      });
      expect(change.status).toBe(409);
    }

    const entry = await app.request(
      'GET',
      `/v1/books/${book}/journal-entries/${issued.body.entryId}`,
      {
        key: app.adminKey,
      },
    );
    expect(entry.status).toBe(200);
    expect(entry.body.reference).toBe('RE-2027-00001');

    const read = await app.request(
      'GET',
      `/v1/books/${book}/invoices/${id}?consistentWith=${issued.body.position}`,
      { key: app.adminKey },
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'issued',
      number: 'RE-2027-00001',
      openAmount: '1561.03',
      payments: [],
    });
    const list = await app.request('GET', `/v1/books/${book}/invoices?status=issued`, {
      key: app.adminKey,
    });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  it('renders XRechnung (UBL, CII) and the Factur-X PDF, the same bytes each time, passing the rules', async () => {
    const book = await openBook();
    const created = await post(`/v1/books/${book}/invoices`, draftBody);
    const id = created.body.id as string;
    const issued = await post(`/v1/books/${book}/invoices/${id}/issue`);
    const at = `consistentWith=${issued.body.position}`;
    for (const syntax of ['ubl', 'cii']) {
      const path = `/v1/books/${book}/invoices/${id}/xrechnung?syntax=${syntax}&${at}`;
      const first = await app.request('GET', path, { key: app.adminKey });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toContain('application/xml');
      const readBack = readInvoiceXml(first.body as string);
      if (!readBack.ok) throw new Error(readBack.error.detail);
      expect(checkInvoiceRules(readBack.value.invoice)).toEqual([]);
      expect(readBack.value.invoice.totals.payableAmount).toBe('1561.03');
      const second = await app.request('GET', path, { key: app.adminKey });
      expect(second.body).toBe(first.body);
    }
    const response = await fetch(`${app.baseUrl}/v1/books/${book}/invoices/${id}/zugferd?${at}`, {
      headers: { authorization: `Bearer ${app.adminKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/pdf');
    const pdf = await readInvoicePdf(new Uint8Array(await response.arrayBuffer()));
    if (!pdf.ok) throw new Error(pdf.error.detail);
    expect(pdf.value.invoice.number).toBe(issued.body.number);
    const draft = await post(`/v1/books/${book}/invoices`, draftBody);
    const notYet = await app.request(
      'GET',
      `/v1/books/${book}/invoices/${draft.body.id}/pdf?consistentWith=${draft.body.position}`,
      {
        key: app.adminKey,
      },
    );
    expect(notYet.status).toBe(409);
  });

  it('a full credit note (GS-…) cancels the invoice and posts the reversal', async () => {
    const book = await openBook();
    const created = await post(`/v1/books/${book}/invoices`, draftBody);
    const id = created.body.id as string;
    const issued = await post(`/v1/books/${book}/invoices/${id}/issue`);
    expect(issued.status).toBe(200);
    const credit = await post(`/v1/books/${book}/invoices/${id}/credit-note`, { reason: 'Storno' });
    expect(credit.status).toBe(201);
    expect(credit.body).toMatchObject({ status: 'issued', invoiceId: id, cancelsInvoice: true });
    expect(credit.body.number).toMatch(/^GS-\d{4}-00001$/);
    const read = await app.request(
      'GET',
      `/v1/books/${book}/invoices/${id}?consistentWith=${credit.body.position}`,
      {
        key: app.adminKey,
      },
    );
    expect(read.body).toMatchObject({ status: 'cancelled', openAmount: '0.00' });
    const twice = await post(`/v1/books/${book}/invoices/${id}/credit-note`, { reason: 'nochmal' });
    expect(twice.status).toBe(409);
  });

  it('refuses bad input with a clear 4xx and records nothing', async () => {
    const book = await openBook();
    const before = await app.store.headPosition();
    const line = draftBody.lines[0]!;
    const cases: [unknown, number][] = [
      [{ ...draftBody, lines: [{ ...line, quantity: '0' }] }, 400],
      [{ ...draftBody, lines: [{ ...line, quantity: '-2' }] }, 400],
      [{ ...draftBody, lines: Array.from({ length: 1001 }, () => line) }, 400],
      [{ ...draftBody, currency: 'USD' }, 422],
      [{ ...draftBody, servicePeriod: undefined }, 422],
      [{ ...draftBody, customer: '99999' }, 422],
      [{ ...draftBody, lines: [{ ...line, taxCode: 'USt99' }] }, 422],
      [{ ...draftBody, lines: [{ ...line, quantity: 3 }] }, 400],
    ];
    for (const [body, status] of cases) {
      const answer = await post(`/v1/books/${book}/invoices`, body);
      expect([answer.status, answer.headers.get('content-type')]).toEqual([
        status,
        expect.stringContaining('problem+json'),
      ]);
      expect(answer.body.detail).toBeTruthy();
    }
    expect(await app.store.headPosition()).toBe(before);
  });

  it('names the missing company fields (422) and issues nothing', async () => {
    const book = await openBook();
    const created = await post(`/v1/books/${book}/invoices`, draftBody);
    companyOf = () => ({ name: 'Kontor Beispiel GmbH', address: { countryCode: 'DE' } });
    try {
      const refused = await post(`/v1/books/${book}/invoices/${created.body.id}/issue`);
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain('address.city');
      expect(refused.body.detail).toContain('address.street');
      expect(refused.body.detail).toContain('iban');
    } finally {
      companyOf = () => seller;
    }
    const issued = await post(`/v1/books/${book}/invoices/${created.body.id}/issue`);
    expect(issued.body.number).toBe('RE-2027-00001');
  });
});
