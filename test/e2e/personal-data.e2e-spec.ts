import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { openEventStore } from '../../src/infrastructure/event-store.factory.js';
import { rebuildReadModels } from '../../src/operations/replay.js';
import { PartyErasureScheduler } from '../../src/parties/parties.module.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

// Values found nowhere else, so a scan of the raw stores finds them only if they leaked.
const person = {
  kind: 'customer',
  naturalPerson: true,
  name: 'Wilhelmine Quastenberg',
  address: { street: 'Zypressenweg 17', postalCode: '06484', city: 'Quedlinburg', country: 'DE' },
  email: 'wilhelmine.q@example.org',
  phone: '+49 3946 777123',
  iban: 'DE02120300000000202051',
};
const plainValues = [
  'Quastenberg',
  'quastenberg',
  'Zypressenweg',
  'Quedlinburg',
  'wilhelmine.q@example.org',
  '3946 777123',
  'DE02120300000000202051',
];

async function sqliteLeaks(dataDir: string, values = plainValues): Promise<string[]> {
  const found: string[] = [];
  for (const file of await readdir(dataDir)) {
    const bytes = await readFile(join(dataDir, file));
    for (const value of values) if (bytes.includes(value)) found.push(`${file}: ${value}`);
  }
  return found;
}

async function postgresLeaks(url: string, values = plainValues): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    const found: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
      for (const { row } of rows.rows)
        for (const value of values) if (row.includes(value)) found.push(`${table}: ${value}`);
    }
    return found;
  } finally {
    await client.end();
  }
}

describe.each<TestStore>(['sqlite', 'postgres'])('personal data over %s', (store) => {
  const clock = new ManualClock(new Date('2026-12-03T09:00:00.000Z'));
  let dataDir: string;
  let app: TestApp;
  let accountant: string;
  let compliance: string;
  let book: string;
  let partyId: string;
  let invoiceId: string;

  const leaks = (values = plainValues) =>
    store === 'sqlite'
      ? sqliteLeaks(app.dataDir, values)
      : postgresLeaks(app.config.databaseUrl!, values);
  const party = () =>
    app.request('GET', `/v1/books/${book}/parties/${partyId}`, { key: accountant });
  const erase = (key: string, body: unknown = { reason: 'Art. 17 request, ticket 4711' }) =>
    app.request('POST', `/v1/books/${book}/parties/${partyId}/erase`, { key, body });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-personal-'));
    app = await startTestApp({ store, clock, dataDir });
    accountant = await app.createKey('Otto Accountant', ['accountant']);
    compliance = await app.createKey('Carla Compliance', ['compliance']);
    book = `book-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    const registered = await app.request('POST', `/v1/books/${book}/parties`, {
      key: accountant,
      body: person,
    });
    expect(registered.status).toBe(201);
    partyId = registered.body.id;
    const company = await app.request('PUT', `/v1/books/${book}/settings/company`, {
      key: app.adminKey,
      body: {
        name: 'ACME GmbH',
        address: { street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE' },
        vatId: 'DE987654321',
        email: 'rechnung@acme.example',
        phone: '+49 89 123456',
        contactName: 'Erika Muster',
        iban: 'DE89370400440532013000',
      },
    });
    expect(company.status).toBe(200);
    const draft = await app.request('POST', `/v1/books/${book}/invoices`, {
      key: accountant,
      body: {
        customer: partyId,
        issueDate: '2026-11-20',
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Beratung', quantity: '1', unitPrice: '100.00', taxCode: 'USt19' }],
      },
    });
    expect(draft.status).toBe(201);
    expect(draft.body.customer).toMatchObject({ partyId, name: person.name });
    invoiceId = draft.body.id;
    const issued = await app.request('POST', `/v1/books/${book}/invoices/${invoiceId}/issue`, {
      key: accountant,
    });
    expect(issued.status).toBe(200);
    const booked = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2026-06-30',
        description: 'Beratung Juni',
        lines: [
          { account: '1400', debit: '119.00', party: partyId },
          { account: '8400', credit: '119.00' },
        ],
      },
    });
    expect(booked.status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never writes the plain values into the log or the read models, and reads them back plain', async () => {
    const read = await party();
    expect(read.body).toMatchObject({ name: person.name, email: person.email, iban: person.iban });
    const listed = await app.request('GET', `/v1/books/${book}/parties?q=quasten`, {
      key: accountant,
    });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([partyId]);
    const invoice = await app.request('GET', `/v1/books/${book}/invoices/${invoiceId}`, {
      key: accountant,
    });
    expect(invoice.body.customer).toMatchObject({ name: person.name });
    const xml = await app.request('GET', `/v1/books/${book}/invoices/${invoiceId}/xrechnung`, {
      key: accountant,
    });
    expect(xml.body as string).toContain(person.name);
    expect(xml.body as string).toContain('Zypressenweg 17');
    expect(await leaks()).toEqual([]);
    // The scan does find plain text: the entry's description is in the log and a read model.
    expect((await leaks(['Beratung Juni'])).length).toBeGreaterThanOrEqual(2);
  });

  it('lets only compliance erase (403 for an accountant, nothing recorded) and refuses a blank reason', async () => {
    expect((await erase(accountant)).status).toBe(403);
    expect((await erase(compliance, { reason: ' ' })).status).toBe(400);
    expect((await party()).body).not.toHaveProperty('erased');
  });

  it('erases e-mail and phone at once, keeps name, address and IBAN until the bookings retention ends', async () => {
    const erased = await erase(compliance);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      partyId,
      erased: ['email', 'phone'],
      scheduled: {
        fields: ['name', 'address', 'iban'],
        retainedUntil: '2036-12-31',
        erasableFrom: '2037-01-01',
        basis: [
          { kind: 'invoices', lastDate: '2026-11-20', retainedUntil: '2034-12-31' },
          { kind: 'bookings', lastDate: '2026-11-20', retainedUntil: '2036-12-31' },
        ],
      },
    });
    const read = await party();
    expect(read.body).toMatchObject({
      name: person.name,
      email: null,
      phone: null,
      erased: true,
      erasedFields: ['email', 'phone'],
    });
    const changed = await app.request('PATCH', `/v1/books/${book}/parties/${partyId}`, {
      key: accountant,
      body: { email: 'new@example.org' },
    });
    expect(changed.status).toBe(409);
    const access = await app.request('GET', `/v1/books/${book}/parties/${partyId}/personal-data`, {
      key: compliance,
    });
    expect(access.status).toBe(200);
    expect(access.body.party).toMatchObject({ name: person.name, email: null });
    expect(access.body.bookings).toEqual([
      // In log order: the invoice's entry, then the entry posted after it.
      expect.objectContaining({ account: '1400', debitMinor: '11900', date: '2026-11-20' }),
      expect.objectContaining({ account: '1400', debitMinor: '11900', date: '2026-06-30' }),
    ]);
    expect(access.body.invoices).toEqual([
      expect.objectContaining({ id: invoiceId, issueDate: '2026-11-20', status: 'issued' }),
    ]);
    expect(access.body.erasure.scheduled.erasableFrom).toBe('2037-01-01');
    expect(JSON.stringify(access.body.history)).not.toContain(person.email);
    const forbidden = await app.request(
      'GET',
      `/v1/books/${book}/parties/${partyId}/personal-data`,
      {
        key: accountant,
      },
    );
    expect(forbidden.status).toBe(403);
  });

  it('erases the rest when the retention has ended, by the scheduler on the clock; verify stays ok', async () => {
    const scheduler = app.app.get(PartyErasureScheduler);
    expect(await scheduler.runOnce()).toEqual([]);
    expect((await party()).body.name).toBe(person.name);
    clock.set('2037-01-01T03:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual([partyId]);
    const read = await party();
    expect(read.body).toMatchObject({
      name: null,
      address: null,
      iban: null,
      email: null,
      erased: true,
      erasedFields: ['name', 'address', 'email', 'phone', 'iban'],
    });
    const invoice = await app.request('GET', `/v1/books/${book}/invoices/${invoiceId}`, {
      key: accountant,
    });
    expect(invoice.body.customer).toMatchObject({ partyId, name: '' });
    const verify = await app.request('GET', '/v1/audit/verify', { key: compliance });
    expect(verify.body.ok).toBe(true);
    expect(await leaks()).toEqual([]);
  });
});

describe('personal data after a restore of the log from a backup (sqlite)', () => {
  it('stays erased: the keys are gone, and a replay rebuilds the read models without it', async () => {
    const clock = new ManualClock(new Date('2026-12-03T09:00:00.000Z'));
    const dataDir = await mkdtemp(join(tmpdir(), 'kontor-personal-'));
    const backup = await mkdtemp(join(tmpdir(), 'kontor-personal-backup-'));
    try {
      let app = await startTestApp({ clock, dataDir });
      const accountant = await app.createKey('Otto Accountant', ['accountant']);
      const compliance = await app.createKey('Carla Compliance', ['compliance']);
      await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id: 'acme', name: 'ACME GmbH', baseCurrency: 'EUR' },
      });
      const registered = await app.request('POST', '/v1/books/acme/parties', {
        key: accountant,
        body: person,
      });
      const id: string = registered.body.id;
      const config = app.config;
      await app.close();
      await cp(join(dataDir, 'events.db'), join(backup, 'events.db'));

      app = await startTestApp({ clock, dataDir });
      const erased = await app.request('POST', `/v1/books/acme/parties/${id}/erase`, {
        key: compliance,
        body: { reason: 'Art. 17' },
      });
      expect(erased.body).toMatchObject({ scheduled: null });
      await app.close();

      for (const file of await readdir(dataDir))
        if (file.startsWith('events.db')) await rm(join(dataDir, file));
      await cp(join(backup, 'events.db'), join(dataDir, 'events.db'));
      const restored = await openEventStore(config);
      await rebuildReadModels(config, restored, undefined);
      await restored.close();

      app = await startTestApp({ clock, dataDir });
      const read = await app.request('GET', `/v1/books/acme/parties/${id}`, { key: accountant });
      expect(read.body).toMatchObject({ name: null, email: null, iban: null, erased: true });
      expect((await app.request('GET', '/v1/audit/verify', { key: compliance })).body.ok).toBe(
        true,
      );
      expect(await sqliteLeaks(dataDir)).toEqual([]);
      await app.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await rm(backup, { recursive: true, force: true });
    }
  });
});
