import { randomUUID } from 'node:crypto';
import { TestApp } from './app.js';

/** Opens a fresh book over HTTP (as admin) with the given accounts (as `key`); returns its id. */
export async function openHttpBook(
  app: TestApp,
  key: string,
  accounts: [code: string, type: string][],
): Promise<string> {
  const id = `book-${randomUUID().slice(0, 8)}`;
  const opened = await app.request('POST', '/v1/books', {
    key: app.adminKey,
    body: { id, name: 'ACME GmbH', baseCurrency: 'EUR' },
  });
  expect(opened.status).toBe(201);
  for (const [code, type] of accounts) {
    const account = await app.request('POST', `/v1/books/${id}/accounts`, {
      key,
      body: { code, name: `Account ${code}`, type },
    });
    expect(account.status).toBe(201);
  }
  return id;
}
