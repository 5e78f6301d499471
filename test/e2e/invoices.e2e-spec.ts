import { randomUUID } from 'node:crypto';
import { checkInvoiceRules, readInvoiceXml, readInvoicePdf } from '../../src/einvoice/index.js';
import { exportBook } from '../../src/ledger/export/book-export.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/** Invoices over HTTP on both stores: drafts, issue (PostDocument), renderings, credit notes. */
const stores: TestStore[] = ['sqlite', 'postgres'];
jest.setTimeout(60_000);

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

const company = {
  name: 'Kontor Beispiel GmbH',
  address: { street: 'Friedrichstraße 1', postalCode: '10117', city: 'Berlin', country: 'DE' },
  vatId: 'DE123456789',
  registration: 'Amtsgericht Berlin HRB 12345 B',
  email: 'rechnung@kontor-beispiel.de',
  phone: '+49 30 1234567',
  contactName: 'Erika Mustermann',
  iban: 'DE02120300000000202051',
};

describe.each(stores)('invoices over %s', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    // Kontor's today is in February 2027, after the drafts' issue date (a credit note is dated
    // today and may not precede its invoice); time still runs.
    const offset = Date.parse('2027-02-01T09:00:00Z') - Date.now();
    app = await startTestApp({ store, clock: { now: () => new Date(Date.now() + offset) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A book with the SKR03 chart, complete company settings (unless told) and a customer 10000. */
  async function openBook(options: { company?: object } = {}): Promise<string> {
    const id = `inv-${randomUUID().slice(0, 8)}`;
    const opened = await post('/v1/books', {
      id,
      name: 'Kontor Beispiel GmbH',
      baseCurrency: 'EUR',
      chart: 'skr03',
    });
    expect(opened.status).toBe(201);
    const settings = await app.request('PUT', `/v1/books/${id}/settings/company`, {
      key: app.adminKey,
      body: options.company ?? company,
    });
    expect(settings.status).toBe(200);
    const customer = await post(`/v1/books/${id}/parties`, {
      kind: 'customer',
      number: '10000',
      name: 'Müller & Söhne KG',
      address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', country: 'DE' },
      buyerReference: '04011000-12345-03',
    });
    expect(customer.status).toBe(201);
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
    const rendered = await app.request(
      'GET',
      `/v1/books/${book}/credit-notes/${credit.body.id}/xrechnung?syntax=cii&consistentWith=${credit.body.position}`,
      { key: app.adminKey },
    );
    expect(rendered.status).toBe(200);
    const creditXml = readInvoiceXml(rendered.body as string);
    if (!creditXml.ok) throw new Error(creditXml.error.detail);
    expect(creditXml.value.invoice).toMatchObject({ typeCode: '381', number: credit.body.number });
    expect(creditXml.value.invoice.precedingInvoices).toEqual([
      { number: issued.body.number, issueDate: '2027-01-15' },
    ]);
    expect(checkInvoiceRules(creditXml.value.invoice)).toEqual([]);
    const twice = await post(`/v1/books/${book}/invoices/${id}/credit-note`, { reason: 'nochmal' });
    expect(twice.status).toBe(409);
    // `kontor export` (jsonl) carries both documents: they are events of the book stream.
    let exported = '';
    for await (const chunk of exportBook(app.store, book, 'jsonl')) exported += chunk;
    const types = exported
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.filter((type) => type === 'InvoiceIssued' || type === 'CreditNoteIssued')).toEqual(
      ['InvoiceIssued', 'CreditNoteIssued'],
    );
  });

  it('holds an issue over an invoice.issue policy (202); once approved the invoice is issued, and then never changes', async () => {
    const book = await openBook();
    const compliance = await app.createKey('Clara Compliance', ['compliance']);
    const approver = await app.createKey('Paula Approver', ['approver']);
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
    const created = await post(`/v1/books/${book}/invoices`, draftBody);
    const id = created.body.id as string;
    const held = await post(`/v1/books/${book}/invoices/${id}/issue`);
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ id, status: 'pending_approval' });
    const approved = await app.request('POST', `/v1/approvals/${held.body.approvalId}/approve`, {
      key: approver,
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(approved.body.result).toMatchObject({ status: 'executed', number: 'RE-2027-00001' });
    const put = await app.request('PUT', `/v1/books/${book}/invoices/${id}`, {
      key: app.adminKey,
      body: draftBody,
    });
    expect(put.status).toBe(409);
    const read = await app.request(
      'GET',
      `/v1/books/${book}/invoices/${id}?consistentWith=${approved.body.position ?? 0}`,
      {
        key: app.adminKey,
      },
    );
    expect(read.body).toMatchObject({ status: 'issued', number: 'RE-2027-00001' });
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
    const book = await openBook({
      company: { name: 'Kontor Beispiel GmbH', address: company.address, email: company.email },
    });
    const created = await post(`/v1/books/${book}/invoices`, draftBody);
    const before = await app.store.headPosition();
    const refused = await post(`/v1/books/${book}/invoices/${created.body.id}/issue`);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('vatId');
    expect(refused.body.detail).toContain('contactName');
    expect(refused.body.detail).toContain('iban');
    expect(await app.store.headPosition()).toBe(before);
    const completed = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: app.adminKey,
      body: company,
    });
    expect(completed.status).toBe(200);
    const issued = await post(`/v1/books/${book}/invoices/${created.body.id}/issue`);
    expect(issued.body.number).toBe('RE-2027-00001');
  });
});
