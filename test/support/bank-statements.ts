/**
 * The bank statement suites' shared setup: a book with an open customer and supplier invoice
 * and two camt.053 statements that settle them.
 */
import { randomUUID } from 'node:crypto';
import { TestApp } from './app.js';
import { upload } from './binary-upload.js';
import { CamtStatement } from './camt053.js';

export const ownIban = 'DE02120300000000202051';
export const supplierIban = 'DE89370400440532013000';

async function party(
  app: TestApp,
  book: string,
  kind: string,
  name: string,
  iban?: string,
): Promise<string> {
  const created = await app.request('POST', `/v1/books/${book}/parties`, {
    key: app.adminKey,
    body: {
      kind,
      name,
      ...(iban ? { iban } : {}),
      address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', country: 'DE' },
    },
  });
  expect(created.status).toBe(201);
  return String(created.body.id);
}

async function post(
  app: TestApp,
  accountant: string,
  book: string,
  reference: string,
  lines: object[],
): Promise<void> {
  const posted = await app.request('POST', `/v1/books/${book}/journal-entries`, {
    key: accountant,
    body: { effectiveDate: '2027-01-10', description: reference, reference, lines },
  });
  expect(posted.status).toBe(201);
}

/** A customer invoice RE-2027-00001 (119.00) and a supplier invoice ER-4711 (119.00). */
export async function openBankStatementBook(app: TestApp, accountant: string): Promise<string> {
  const book = `bst-${randomUUID().slice(0, 8)}`;
  const opened = await app.request('POST', '/v1/books', {
    key: app.adminKey,
    body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
  });
  expect(opened.status).toBe(201);
  const customer = await party(app, book, 'customer', 'Kunde AG');
  const supplier = await party(app, book, 'supplier', 'Bürobedarf Müller GmbH', supplierIban);
  await post(app, accountant, book, 'RE-2027-00001', [
    { account: '1400', debit: '119.00', party: customer },
    { account: '8400', credit: '100.00' },
    { account: '1776', credit: '19.00' },
  ]);
  await post(app, accountant, book, 'ER-4711', [
    { account: '3400', debit: '100.00' },
    { account: '1576', debit: '19.00' },
    { account: '1600', credit: '119.00', party: supplier },
  ]);
  return book;
}

export const statements: CamtStatement[] = [
  {
    id: 'STMT-2027-001',
    iban: ownIban,
    entries: [
      {
        reference: 'E1',
        amount: '119.00',
        direction: 'CRDT',
        date: '2027-01-20',
        transactions: [{ amount: '119.00', remittance: 'Rechnung RE-2027-00001 danke' }],
      },
    ],
  },
  {
    id: 'STMT-2027-002',
    iban: ownIban,
    entries: [
      {
        reference: 'E2',
        amount: '124.00',
        direction: 'DBIT',
        date: '2027-01-21',
        transactions: [
          { amount: '119.00', counterpartyIban: supplierIban },
          { amount: '5.00', remittance: 'Kontoführung' },
        ],
      },
    ],
  },
];

/** POSTs a camt.053 document to the book's import; `query` names the account (or leaves it out). */
export const sendStatement = (
  app: TestApp,
  key: string,
  book: string,
  xml: string,
  query = '?account=1200',
) => upload(app, `/v1/books/${book}/bank-statements${query}`, xml, 'application/xml', key);

/** A read consistent with `position` (`path` ends in `?` or `&`), expected to answer 200. */
export async function readConsistent(app: TestApp, key: string, path: string, position: number) {
  const response = await app.request('GET', `${path}consistentWith=${position}`, { key });
  expect(response.status).toBe(200);
  return response.body;
}
