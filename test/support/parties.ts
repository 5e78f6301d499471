/** The parties suites' shared setup: the company data of a book and a fresh book. */
import { randomUUID } from 'node:crypto';
import { TestApp } from './app.js';

export const company = {
  name: 'ACME GmbH',
  address: { street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE' },
  vatId: 'DE987654321',
  registration: 'Amtsgericht München HRB 123456',
  email: 'rechnung@acme.example',
  phone: '+49 89 123456',
  contactName: 'Erika Muster',
  iban: 'DE89370400440532013000',
};

/** Opens a fresh book ACME GmbH (as admin); returns its id. */
export async function openPartiesBook(app: TestApp): Promise<string> {
  const book = `book-${randomUUID().slice(0, 8)}`;
  const opened = await app.request('POST', '/v1/books', {
    key: app.adminKey,
    body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR' },
  });
  expect(opened.status).toBe(201);
  return book;
}
