/**
 * The approvals e2e setup: an app on a manual clock (expiry runs only when a test calls the
 * scheduler), the people who request and decide, and the requests the tests send.
 */
import { ManualClock } from '../../src/event-sourcing/index.js';
import { TestApp, TestStore, startTestApp } from './app.js';
import { openHttpBook } from './http-book.js';

export interface Key {
  id: string;
  key: string;
}

export interface ApprovalsFixture {
  app: TestApp;
  /** accountant and approver: requests, and may decide on others' requests */
  erika: Key;
  /** the same person through another key */
  erikaSecondKey: Key;
  /** approver */
  paul: Key;
  /** approver */
  quinn: Key;
  /** admin (holds no approver role) */
  adam: Key;
  /** compliance: defines policies */
  clara: Key;
  /** plain accountant */
  otto: Key;
  /** accountant, may get the approver role delegated */
  dora: Key;
}

export function entry(amount: string, effectiveDate = '2026-03-31') {
  return {
    effectiveDate,
    description: `Invoice ${amount}`,
    lines: [
      { account: '6310', debit: amount },
      { account: '1200', credit: amount },
    ],
  };
}

/** Starts the app before the calling describe's tests and closes it after; `fixture` is set in beforeAll. */
export function useApprovalsApp(store: TestStore) {
  const clock = new ManualClock(new Date('2026-03-01T09:00:00.000Z'));
  const fixture = {} as ApprovalsFixture;

  async function createKey(name: string, roles: string[]): Promise<Key> {
    const response = await fixture.app.request('POST', '/v1/api-keys', {
      key: fixture.app.adminKey,
      body: { name, roles },
    });
    expect(response.status).toBe(201);
    return { id: response.body.id, key: response.body.key };
  }

  beforeAll(async () => {
    fixture.app = await startTestApp({
      store,
      clock,
      env: { KONTOR_APPROVAL_EXPIRY_INTERVAL_MS: '0' },
    });
    fixture.erika = await createKey('Erika Accountant', ['accountant', 'approver']);
    fixture.erikaSecondKey = await createKey(' erika accountant', ['approver']);
    fixture.paul = await createKey('Paul Approver', ['approver']);
    fixture.quinn = await createKey('Quinn Approver', ['approver']);
    fixture.adam = await createKey('Adam Admin', ['admin']);
    fixture.clara = await createKey('Clara Compliance', ['compliance']);
    fixture.otto = await createKey('Otto Accountant', ['accountant']);
    fixture.dora = await createKey('Dora Deputy', ['accountant']);
  });

  afterAll(async () => {
    await fixture.app?.close();
  });

  const openBook = (): Promise<string> =>
    openHttpBook(fixture.app, fixture.otto.key, [
      ['1200', 'asset'],
      ['6310', 'expense'],
      ['8400', 'revenue'],
    ]);

  async function definePolicy(book: string, body: Record<string, unknown>): Promise<any> {
    const response = await fixture.app.request('POST', `/v1/books/${book}/approval-policies`, {
      key: fixture.clara.key,
      body: { name: 'Policy', ...body },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  function post(
    book: string,
    body: unknown,
    key: Key = fixture.erika,
    headers: Record<string, string> = {},
  ) {
    return fixture.app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: key.key,
      body,
      headers,
    });
  }

  function decide(
    approvalId: string,
    action: 'approve' | 'reject' | 'cancel',
    key: Key,
    body: unknown = {},
  ) {
    return fixture.app.request('POST', `/v1/approvals/${approvalId}/${action}`, {
      key: key.key,
      body,
    });
  }

  async function approval(approvalId: string, consistentWith: number): Promise<any> {
    const response = await fixture.app.request(
      'GET',
      `/v1/approvals/${approvalId}?consistentWith=${consistentWith}`,
      { key: fixture.otto.key },
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  async function postedEntries(book: string): Promise<any[]> {
    const response = await fixture.app.request('GET', `/v1/streams/book-${book}?limit=1000`, {
      key: fixture.app.adminKey,
    });
    return response.body.items.filter(
      (event: { type: string }) => event.type === 'JournalEntryPosted',
    );
  }

  async function assignedIds(key: Key, consistentWith: number): Promise<string[]> {
    const response = await fixture.app.request(
      'GET',
      `/v1/approvals?assignedToMe=true&consistentWith=${consistentWith}`,
      { key: key.key },
    );
    expect(response.status).toBe(200);
    return response.body.items.map((item: { id: string }) => item.id);
  }

  return {
    fixture,
    clock,
    openBook,
    definePolicy,
    post,
    decide,
    approval,
    postedEntries,
    assignedIds,
  };
}
