/**
 * The company data of a book over HTTP (`/v1/books/:book/settings/company`): what e-invoices
 * still need, changes kept as events. Parties themselves: parties.
 */
import { PARTIES_LOOKUP } from '../../src/parties/parties.module.js';
import { PartiesLookup } from '../../src/parties/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { company, openPartiesBook } from '../support/parties.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('parties over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let auditor: string;
  let book: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Otto Accountant', ['accountant']);
    auditor = await app.createKey('Aude Auditor', ['auditor']);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    book = await openPartiesBook(app);
  });

  it('sets the company data, names what e-invoices still need, and keeps changes as events', async () => {
    const lookup = app.app.get<PartiesLookup>(PARTIES_LOOKUP);
    const none = await app.request('GET', `/v1/books/${book}/settings/company`, { key: auditor });
    expect(none.status).toBe(404);
    expect(none.body.detail).toContain('PUT');
    expect(await lookup.company(book)).toBeUndefined();

    const partial = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: accountant,
      body: {
        name: 'ACME GmbH',
        address: company.address,
        taxNumber: '143/123/45678',
        email: company.email,
      },
    });
    expect(partial.status).toBe(200);
    expect(partial.body.missingSellerFields.map((m: { field: string }) => m.field)).toEqual([
      'registration',
      'contactName',
      'phone',
    ]);
    const full = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: app.adminKey,
      body: company,
    });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ book, ...company, missingSellerFields: [] });
    expect(full.body).not.toHaveProperty('taxNumber');
    const read = await app.request('GET', `/v1/books/${book}/settings/company`, { key: auditor });
    expect(read.body).toEqual(full.body);
    expect(await lookup.company(book)).toEqual(company);

    const again = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: accountant,
      body: company,
    });
    expect(again.body.position).toBe(full.body.position);
    const invalid = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: accountant,
      body: { ...company, vatId: 'DE1', iban: 'DE00' },
    });
    expect(invalid.status).toBe(400);
    const missingEmail = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: accountant,
      body: { name: 'ACME GmbH', address: company.address },
    });
    expect(missingEmail.status).toBe(400);
    const events = await app.store.readStream(`company-${book}`, { limit: 100 });
    expect(events.map((event) => event.type)).toEqual([
      'CompanySettingsChanged',
      'CompanySettingsChanged',
    ]);
  });
});
