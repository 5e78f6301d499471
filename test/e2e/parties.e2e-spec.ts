/**
 * Parties (customers and suppliers) over HTTP: registration, refusals, sealed personal data,
 * changes with history, lists, roles, export and rebuild. The company data: company-settings.
 */
import { randomUUID } from 'node:crypto';
import { PARTIES_LOOKUP } from '../../src/parties/parties.module.js';
import { exportBook } from '../../src/ledger/export/book-export.js';
import { PartiesLookup, partiesStreamId, partyCompanionStreams } from '../../src/parties/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { company, openPartiesBook } from '../support/parties.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

const muster = {
  kind: 'customer',
  name: 'Muster GmbH',
  address: { street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
  vatId: 'DE 123 456 789',
  iban: 'DE89 3704 0044 0532 0130 00',
  bic: 'COBADEFFXXX',
  buyerReference: '991-12345-67',
  paymentTermsDays: 14,
};

describe.each(stores)('parties over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let auditor: string;
  let approver: string;
  let book: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Otto Accountant', ['accountant']);
    auditor = await app.createKey('Aude Auditor', ['auditor']);
    approver = await app.createKey('Paul Approver', ['approver']);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    book = await openPartiesBook(app);
  });

  const post = (body: unknown, key = accountant, headers?: Record<string, string>) =>
    app.request('POST', `/v1/books/${book}/parties`, {
      key,
      body,
      ...(headers ? { headers } : {}),
    });

  async function partyEvents() {
    return app.store.readStream(partiesStreamId(book), { limit: 1000 });
  }

  it('registers a customer with the first number of the range, normalized ids, and reads it back', async () => {
    const created = await post(muster);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      book,
      kind: 'customer',
      number: '10000',
      name: 'Muster GmbH',
      naturalPerson: false,
      vatId: 'DE123456789',
      iban: 'DE89370400440532013000',
      paymentTermsDays: 14,
      version: 1,
    });
    expect(typeof created.body.position).toBe('number');
    const second = await post({ ...muster, name: 'Zweite AG', vatId: undefined });
    expect(second.body.number).toBe('10001');
    const supplier = await post({ ...muster, kind: 'supplier', name: 'Lieferant KG' });
    expect(supplier.body.number).toBe('70000');

    const byId = await app.request('GET', `/v1/books/${book}/parties/${created.body.id}`, {
      key: auditor,
    });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(created.body);
    const byNumber = await app.request('GET', `/v1/books/${book}/parties/10000`, { key: approver });
    expect(byNumber.body.id).toBe(created.body.id);

    const lookup = app.app.get<PartiesLookup>(PARTIES_LOOKUP);
    expect(await lookup.find(book, '10001')).toMatchObject({ name: 'Zweite AG', kind: 'customer' });
    expect(await lookup.find(book, 'nobody')).toBeUndefined();
    expect(await lookup.find('other-book', '10000')).toBeUndefined();
  });

  it('refuses a taken number (409) and one out of range (400), recording nothing', async () => {
    expect((await post({ ...muster, number: '10005' })).status).toBe(201);
    const taken = await post({ ...muster, kind: 'customer', number: '10005', name: 'Other' });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toBe('/problems/conflict');
    expect(taken.body.detail).toContain('10005');
    const supplierRange = await post({ ...muster, number: '70001' });
    expect(supplierRange.status).toBe(400);
    expect(supplierRange.body.errors).toEqual([
      { field: 'number', message: expect.stringContaining('10000–69999') },
    ]);
    const next = await post({ ...muster, name: 'Next' });
    expect(next.body.number).toBe('10006');
    expect(await partyEvents()).toHaveLength(2);
  });

  it('refuses an invalid IBAN, VAT id, BIC, country and terms with one error per field, recording nothing', async () => {
    const bad = await post({
      ...muster,
      vatId: 'DE12345678',
      iban: 'DE89370400440532013001',
      bic: 'NOTABIC',
      address: { ...muster.address, country: 'XX', postalCode: '1011' },
      email: 'no-at-sign',
      paymentTermsDays: 400,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('/problems/validation');
    const fields = (bad.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(
      ['address.country', 'bic', 'email', 'iban', 'paymentTermsDays', 'vatId'].sort(),
    );
    expect(bad.body.detail).toContain('checksum');
    const badPostalCode = await post({
      ...muster,
      address: { ...muster.address, postalCode: '1011' },
    });
    expect(badPostalCode.body.errors).toEqual([
      { field: 'address.postalCode', message: expect.stringContaining('five digits') },
    ]);
    const unknownBook = await app.request('POST', '/v1/books/no-such-book/parties', {
      key: accountant,
      body: muster,
    });
    expect(unknownBook.status).toBe(404);
    expect(await partyEvents()).toHaveLength(0);
  });

  it('keeps personal data of a natural person only sealed, under data.sealed', async () => {
    const person = await post({
      kind: 'customer',
      name: 'Max Mustermann',
      naturalPerson: true,
      address: { street: 'Weg 2', postalCode: '50667', city: 'Köln', country: 'DE' },
      email: 'max@example.de',
      iban: 'DE89370400440532013000',
      paymentTermsDays: 7,
    });
    expect(person.status).toBe(201);
    expect(person.body).toMatchObject({ name: 'Max Mustermann', naturalPerson: true });
    const [event] = await partyEvents();
    const data = event!.data as Record<string, unknown>;
    expect(data).not.toHaveProperty('name');
    expect(data).not.toHaveProperty('address');
    expect(data).not.toHaveProperty('email');
    expect(data).not.toHaveProperty('iban');
    expect(data).not.toHaveProperty('personal');
    const sealed = /^kx1\.(contact|records)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;
    expect(data.sealed).toEqual({
      name: expect.stringMatching(sealed),
      address: expect.stringMatching(sealed),
      email: expect.stringMatching(sealed),
      iban: expect.stringMatching(sealed),
    });
    expect(JSON.stringify(data)).not.toMatch(/Mustermann|Köln|max@example|DE8937/);
    expect(data.paymentTermsDays).toBe(7);
    const read = await app.request('GET', `/v1/books/${book}/parties/${person.body.id}`, {
      key: accountant,
    });
    expect(read.body).toMatchObject({ name: 'Max Mustermann', email: 'max@example.de' });
    const audit = await app.request(
      'GET',
      `/v1/audit?book=${book}&type=PartyRegistered&consistentWith=${person.body.position}`,
      {
        key: auditor,
      },
    );
    expect(audit.body.items[0].summary).toBe(
      `Otto Accountant registered customer 10000 (a natural person) in ${book}`,
    );
  });

  it('answers an Idempotency-Key retry with the original party; another body is 422', async () => {
    const headers = { 'Idempotency-Key': `k-${randomUUID()}` };
    const first = await post(muster, accountant, headers);
    const again = await post(muster, accountant, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await post({ ...muster, name: 'Other GmbH' }, accountant, headers);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-mismatch');
    expect(await partyEvents()).toHaveLength(1);
  });

  it('changes master data as new events, keeps the history, and lists and searches', async () => {
    const created = await post(muster);
    const id = created.body.id as string;
    const changed = await app.request('PATCH', `/v1/books/${book}/parties/${id}`, {
      key: accountant,
      body: {
        name: 'Muster GmbH & Co. KG',
        address: { ...muster.address, city: 'Potsdam', postalCode: '14467' },
        buyerReference: null,
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Muster GmbH & Co. KG', version: 2 });
    expect(changed.body).not.toHaveProperty('buyerReference');
    expect(changed.body.address.city).toBe('Potsdam');
    const same = await app.request('PATCH', `/v1/books/${book}/parties/10000`, {
      key: accountant,
      body: { name: 'Muster GmbH & Co. KG' },
    });
    expect(same.body.version).toBe(2);
    const badPatch = await app.request('PATCH', `/v1/books/${book}/parties/${id}`, {
      key: accountant,
      body: { iban: 'DE00123' },
    });
    expect(badPatch.status).toBe(400);
    const numberPatch = await app.request('PATCH', `/v1/books/${book}/parties/${id}`, {
      key: accountant,
      body: { number: '10009' },
    });
    expect(numberPatch.status).toBe(400);
    const unknown = await app.request('PATCH', `/v1/books/${book}/parties/99999`, {
      key: accountant,
      body: { name: 'X' },
    });
    expect(unknown.status).toBe(404);

    const history = await app.request('GET', `/v1/books/${book}/parties/${id}/history`, {
      key: auditor,
    });
    expect(history.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'PartyRegistered',
      'PartyChanged',
    ]);
    expect(history.body.items[0].party.name).toBe('Muster GmbH');
    expect(history.body.items[1].changed).toEqual(['name', 'address', 'buyerReference']);
    expect(history.body.items[1].by.name).toBe('Otto Accountant');

    await post({ ...muster, name: 'Beta AG', vatId: 'ATU12345678' });
    const last = await post({
      ...muster,
      kind: 'supplier',
      name: 'Gamma Lieferungen',
      vatId: undefined,
    });
    const position = last.body.position as number;
    const list = (query: string) =>
      app.request('GET', `/v1/books/${book}/parties?consistentWith=${position}&${query}`, {
        key: auditor,
      });
    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.body.items.map((party: { number: string }) => party.number)).toEqual([
      '10000',
      '10001',
      '70000',
    ]);
    expect(all.body.items[0]).toMatchObject({ name: 'Muster GmbH & Co. KG', version: 2 });
    const names = async (query: string) =>
      (await list(query)).body.items.map((party: { name: string }) => party.name);
    expect(await names('kind=supplier')).toEqual(['Gamma Lieferungen']);
    expect(await names('q=MUSTER')).toEqual(['Muster GmbH & Co. KG']);
    expect(await names('q=atu1234')).toEqual(['Beta AG']);
    expect(await names('q=10001')).toEqual(['Beta AG']);
    expect(await names('q=%25')).toEqual([]);
    const page = await list('limit=2');
    expect(page.body.items).toHaveLength(2);
    const rest = await list(`limit=2&cursor=${page.body.nextCursor}`);
    expect(rest.body.items.map((party: { number: string }) => party.number)).toEqual(['70000']);
    expect(rest.body.nextCursor).toBeNull();
    expect((await list('kind=nobody')).status).toBe(400);
  });

  it('lets auditors read and not write; approvers read parties', async () => {
    expect((await post(muster, auditor)).status).toBe(403);
    expect((await post(muster, approver)).status).toBe(403);
    const created = await post(muster);
    const patch = await app.request('PATCH', `/v1/books/${book}/parties/${created.body.id}`, {
      key: auditor,
      body: { name: 'X' },
    });
    expect(patch.status).toBe(403);
    const put = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: auditor,
      body: company,
    });
    expect(put.status).toBe(403);
  });

  it('exports parties and company data with the book in log order (jsonl, kontor export)', async () => {
    await post(muster);
    await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: accountant,
      body: company,
    });
    await app.request('POST', `/v1/books/${book}/accounts`, {
      key: accountant,
      body: { code: '1200', name: 'Bank', type: 'asset' },
    });
    await app.request('PATCH', `/v1/books/${book}/parties/10000`, {
      key: accountant,
      body: { phone: '+49 30 1' },
    });
    let jsonl = '';
    for await (const chunk of exportBook(app.store, book, 'jsonl', {
      companionStreams: partyCompanionStreams(book),
    }))
      jsonl += chunk;
    const lines = jsonl
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; position: string });
    expect(lines.map((line) => line.type)).toEqual([
      'BookOpened',
      'PartyRegistered',
      'CompanySettingsChanged',
      'AccountOpened',
      'PartyChanged',
    ]);
    const positions = lines.map((line) => BigInt(line.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
    let csv = '';
    for await (const chunk of exportBook(app.store, book, 'csv', {
      companionStreams: partyCompanionStreams(book),
    }))
      csv += chunk;
    expect(csv).not.toContain('Muster');
  });

  it('rebuilds the parties read model to the same rows', async () => {
    const created = await post(muster);
    await post({ ...muster, kind: 'supplier', name: 'Lieferant KG' });
    await app.request('PATCH', `/v1/books/${book}/parties/${created.body.id}`, {
      key: accountant,
      body: { name: 'Muster AG' },
    });
    const listed = async () => {
      const head = (await app.store.headPosition()).toString();
      const response = await app.request(
        'GET',
        `/v1/books/${book}/parties?consistentWith=${head}`,
        {
          key: auditor,
        },
      );
      expect(response.status).toBe(200);
      return response.body;
    };
    const before = await listed();
    expect(before.items.map((party: { name: string }) => party.name)).toEqual([
      'Muster AG',
      'Lieferant KG',
    ]);
    const rebuild = await app.request('POST', '/v1/projections/parties/rebuild', {
      key: app.adminKey,
    });
    expect(rebuild.status).toBeLessThan(300);
    expect(await listed()).toEqual(before);
  });

  it('lists the new events in the catalog', async () => {
    const schemas = await app.request('GET', '/v1/events/schemas', { key: auditor });
    const types = (schemas.body.items ?? schemas.body).map((entry: { type: string }) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining(['PartyRegistered', 'PartyChanged', 'CompanySettingsChanged']),
    );
  });
});
