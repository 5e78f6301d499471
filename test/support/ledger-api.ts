/**
 * The ledger write API's e2e setup: an app over the given store with an accountant and an auditor
 * key, and the requests its tests send.
 */
import { TestApp, TestStore, startTestApp } from './app.js';
import { openHttpBook } from './http-book.js';

export const rent = {
  effectiveDate: '2026-03-31',
  description: 'Office rent March',
  reference: 'INV-4711',
  lines: [
    { account: '6310', debit: '1200.00', memo: 'March' },
    { account: '1200', credit: '1200.00' },
  ],
  metadata: { costCenter: 'HQ' },
};

export interface LedgerApi {
  app: TestApp;
  accountant: string;
  auditor: string;
}

/** Starts the app before the calling describe's tests and closes it after; `api` is set in beforeAll. */
export function useLedgerApi(store: TestStore) {
  const api = {} as LedgerApi;

  beforeAll(async () => {
    api.app = await startTestApp({ store });
    api.accountant = await api.app.createKey('Erika Accountant', ['accountant']);
    api.auditor = await api.app.createKey('Anna Auditor', ['auditor']);
  });

  afterAll(async () => {
    await api.app?.close();
  });

  /** A fresh book with a bank (1200), rent expense (6310) and revenue (8400). */
  const openBook = () =>
    openHttpBook(api.app, api.accountant, [
      ['1200', 'asset'],
      ['6310', 'expense'],
      ['8400', 'revenue'],
    ]);

  function post(book: string, body: unknown, headers: Record<string, string> = {}) {
    return api.app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: api.accountant,
      body,
      headers,
    });
  }

  async function bookEvents(
    book: string,
  ): Promise<{ type: string; data: any; position: number; metadata: any }[]> {
    const response = await api.app.request('GET', `/v1/streams/book-${book}?limit=1000`, {
      key: api.app.adminKey,
    });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  return { api, openBook, post, bookEvents };
}
