import { randomUUID } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app.js';
import { camt053, CamtStatement } from '../support/camt053.js';
import {
  openBankStatementBook,
  ownIban,
  readConsistent,
  sendStatement,
  statements,
  supplierIban,
} from '../support/bank-statements.js';
import { PAYMENT_END_TO_END_IDS, PaymentEndToEndIds } from '../../src/banking/banking.module.js';

/**
 * camt.053 import, matching, the waiting lines and their assignment over HTTP (API.md "Payment
 * runs and bank statements"); one app, a fresh book per case.
 */
describe('bank statements (camt.053.001.08)', () => {
  let app: TestApp;
  let accountant: string;
  let approver: string;

  beforeAll(async () => {
    app = await startTestApp({
      store: 'sqlite',
      env: { LOG_LEVEL: process.env.E2E_LOG ?? 'silent' },
    });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    approver = await app.createKey('Paul Approver', ['approver']);
  });

  afterAll(async () => {
    await app?.close();
  });

  const openBook = () => openBankStatementBook(app, accountant);
  const send = (book: string, xml: string, query?: string) =>
    sendStatement(app, accountant, book, xml, query);
  const read = (path: string, position: number) => readConsistent(app, accountant, path, position);

  it('matches a credit by invoice number and a batch debit by IBAN + amount; the rest waits; re-import posts nothing', async () => {
    const book = await openBook();
    const imported = await send(book, camt053(statements));
    expect([imported.status, imported.body.detail]).toEqual([201, undefined]);
    expect(imported.body).toMatchObject({ account: '1200', entries: 3, matched: 2, unmatched: 1 });
    expect(imported.body.statements.map((s: any) => [s.statementId, s.entries])).toEqual([
      ['STMT-2027-001', 1],
      ['STMT-2027-002', 2],
    ]);
    expect(
      imported.body.lines.map((l: any) => [l.n, l.direction, l.amount, l.status, l.rule ?? null]),
    ).toEqual([
      [1, 'credit', '119.00', 'matched', 'invoice-number'],
      [1, 'debit', '119.00', 'matched', 'iban-amount'],
      [2, 'debit', '5.00', 'unmatched', null],
    ]);
    const position = imported.body.position;
    for (const kind of ['receivable', 'payable']) {
      const open = await read(
        `/v1/books/${book}/open-items?kind=${kind}&asOf=2027-01-31&`,
        position,
      );
      expect(open.items).toEqual([]);
    }
    const bank = await read(`/v1/books/${book}/accounts/1200/balance?`, position);
    expect(bank.balances[0]).toMatchObject({ debit: '119.00', credit: '119.00' });

    const again = await send(book, camt053(statements));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      id: imported.body.id,
      matched: 2,
      unmatched: 1,
      position: 0,
    });
    const after = await read(`/v1/books/${book}/accounts/1200/balance?`, position);
    expect(after.balances).toEqual(bank.balances);
    const trial = await read(`/v1/books/${book}/trial-balance?`, position);
    const totals = trial.currencies[0].totals;
    expect(totals.debit).toBe(totals.credit);
  });

  it('keeps the waiting lines: list, lines by status, assignment to an account and to an invoice, 409/404 on the wrong line', async () => {
    const book = await openBook();
    const unpaid: CamtStatement = {
      id: 'STMT-2027-003',
      iban: ownIban,
      entries: [
        {
          reference: 'E3',
          amount: '119.00',
          direction: 'CRDT',
          date: '2027-01-22',
          transactions: [
            { amount: '119.00', counterpartyName: 'Kunde AG', counterpartyIban: supplierIban },
          ],
        },
      ],
    };
    const imported = await send(book, camt053([statements[1]!, unpaid]));
    expect(imported.status).toBe(201);
    const [debits, credits] = imported.body.statements;
    const base = `/v1/books/${book}/bank-statements`;
    const listed = await read(`${base}?`, imported.body.position);
    expect(listed.items.map((s: any) => [s.statementId, s.date, s.entries, s.unmatched])).toEqual([
      ['STMT-2027-003', '2027-01-22', 1, 1],
      ['STMT-2027-002', '2027-01-21', 2, 1],
    ]);
    const waiting = await read(`${base}/${debits.id}/lines?status=unmatched&`, 0);
    expect(waiting.items).toEqual([
      expect.objectContaining({
        n: 2,
        date: '2027-01-21',
        amount: '5.00',
        currency: 'EUR',
        direction: 'debit',
        reference: 'E2',
        remittance: 'Kontoführung',
        counterparty: { name: 'Gegenpartei' },
        status: 'unmatched',
      }),
    ]);

    const assign = (id: string, n: number, body: object, key: string = randomUUID()) =>
      app.request('POST', `${base}/${id}/lines/${n}/assign`, {
        key: accountant,
        body,
        headers: { 'idempotency-key': key },
      });
    const fee = await assign(debits.id, 2, { account: '4970' }, 'fee-1');
    expect([fee.status, fee.body]).toEqual([
      200,
      expect.objectContaining({ n: 2, status: 'assigned', matchedTo: '4970' }),
    ]);
    const retry = await assign(debits.id, 2, { account: '4970' }, 'fee-1');
    expect([retry.status, retry.body.position]).toEqual([200, fee.body.position]);
    for (const [id, n, body, status] of [
      [debits.id, 2, { account: '4980' }, 409],
      [debits.id, 1, { account: '4970' }, 409],
      [debits.id, 7, { account: '4970' }, 404],
      [debits.id, 2, { account: '4970', invoice: 'RE-2027-00001' }, 400],
      ['no-such-statement', 1, { account: '4970' }, 404],
    ] as const) {
      const refused = await assign(id, n, body);
      expect([id, n, refused.status]).toEqual([id, n, status]);
    }
    const paid = await assign(credits.id, 1, { invoice: 'RE-2027-00001' });
    expect([paid.status, paid.body.payment === undefined]).toEqual([200, false]);

    const one = await read(`${base}/${debits.id}?`, 0);
    expect(one).toMatchObject({ entries: 2, matched: 1, unmatched: 0, assigned: 1 });
    const assigned = await read(`${base}/${credits.id}/lines?status=assigned&`, 0);
    expect(assigned.items.map((l: any) => [l.n, l.matchedTo !== undefined])).toEqual([[1, true]]);
    const open = await read(
      `/v1/books/${book}/open-items?kind=receivable&asOf=2027-01-31&`,
      paid.body.position,
    );
    expect(open.items).toEqual([]);
    const fees = await read(`/v1/books/${book}/accounts/4970/balance?`, paid.body.position);
    expect(fees.balances[0]).toMatchObject({ debit: '5.00' });

    const again = await send(book, camt053([statements[1]!, unpaid]));
    expect(again.body).toMatchObject({ position: 0, matched: 1, unmatched: 0, assigned: 2 });
    const bank = await read(`/v1/books/${book}/accounts/1200/balance?`, paid.body.position);
    expect(bank.balances[0]).toMatchObject({ debit: '119.00', credit: '124.00' });

    const undone = await app.request('POST', `${base}/${credits.id}/lines/1/unassign`, {
      key: accountant,
      body: { reason: 'paid by someone else' },
    });
    expect([undone.status, undone.body.status]).toEqual([200, 'unmatched']);
    const reopened = await read(
      `/v1/books/${book}/open-items?kind=receivable&asOf=2027-01-31&`,
      undone.body.position,
    );
    expect(reopened.items.map((item: any) => item.openAmount)).toEqual(['119.00']);
  });

  it('finds the account by IBAN (opened with one), refuses a disagreeing ?account=, matches an end-to-end id first', async () => {
    const book = await openBook();
    const accounts = `/v1/books/${book}/accounts`;
    const bank2 = {
      code: '1210',
      name: 'Sparkasse',
      type: 'asset',
      iban: 'de02 1203 0000 0000 2020 51',
    };
    const opened = await app.request('POST', accounts, { key: accountant, body: bank2 });
    expect([opened.status, opened.body.iban]).toEqual([201, ownIban]);
    for (const [body, status] of [
      [{ ...bank2, code: '1220' }, 409],
      [{ ...bank2, code: '1230', iban: 'DE02120300000000202052' }, 400],
      [{ ...bank2, code: '1240', type: 'expense' }, 400],
    ] as const) {
      const refused = await app.request('POST', accounts, { key: accountant, body });
      expect([refused.status, refused.body.detail]).toEqual([status, expect.any(String)]);
    }
    const got = await read(`${accounts}/1210?`, opened.body.position);
    expect(got.iban).toBe(ownIban);

    const disagreeing = await send(book, camt053(statements), '?account=1200');
    expect([disagreeing.status, disagreeing.body.detail]).toEqual([
      422,
      expect.stringContaining('account 1210'),
    ]);
    const port = app.app.get<PaymentEndToEndIds>(PAYMENT_END_TO_END_IDS);
    const payables = await read(`/v1/books/${book}/open-items?kind=payable&asOf=2027-01-31&`, 0);
    const supplierItem = payables.items[0].invoice;
    const stub = jest
      .spyOn(port, 'itemOf')
      .mockImplementation((b, id) =>
        Promise.resolve(b === book && id === 'PAYRUN-1-1' ? supplierItem : undefined),
      );
    try {
      const byEndToEnd = camt053([
        {
          id: 'STMT-2027-009',
          iban: ownIban,
          entries: [
            {
              reference: 'E9',
              amount: '119.00',
              direction: 'DBIT',
              date: '2027-01-25',
              transactions: [{ amount: '119.00', endToEndId: 'PAYRUN-1-1' }],
            },
          ],
        },
      ]);
      const imported = await send(book, byEndToEnd, '');
      expect(imported.body).toMatchObject({ account: '1210', matched: 1 });
      expect(imported.body.lines[0]).toMatchObject({
        rule: 'end-to-end-id',
        matchedTo: supplierItem,
      });
    } finally {
      stub.mockRestore();
    }
  });

  it('an assignment held for approval and rejected waits again, keeps the attempt, and is assigned anew', async () => {
    const book = await openBook();
    const imported = await send(book, camt053([statements[1]!]));
    const id = imported.body.id;
    const policy = await app.request('POST', `/v1/books/${book}/approval-policies`, {
      key: app.adminKey,
      body: {
        name: 'Every entry',
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      },
    });
    expect(policy.status).toBe(201);
    const line = `/v1/books/${book}/bank-statements/${id}/lines`;
    const assign = () =>
      app.request('POST', `${line}/2/assign`, { key: accountant, body: { account: '4970' } });
    const decide = (approvalId: string, decision: string, body: object) =>
      app.request('POST', `/v1/approvals/${approvalId}/${decision}`, { key: approver, body });

    const held = await assign();
    expect([held.status, held.body.approvalId === undefined]).toEqual([202, false]);
    const rejected = await decide(held.body.approvalId, 'reject', { reason: 'wrong account' });
    expect(rejected.status).toBe(200);
    const waiting = await read(`${line}?status=unmatched&`, rejected.body.position);
    expect(waiting.items).toEqual([
      expect.objectContaining({
        n: 2,
        status: 'unmatched',
        earlier: [
          {
            matchedTo: '4970',
            entryId: held.body.entryId,
            approvalId: held.body.approvalId,
            cause: 'approval-rejected',
          },
        ],
      }),
    ]);
    const listed = await read(`/v1/books/${book}/bank-statements?`, rejected.body.position);
    expect(listed.items[0]).toMatchObject({ unmatched: 1, assigned: 0 });

    const again = await assign();
    expect(again.status).toBe(202);
    expect(again.body.approvalId).not.toBe(held.body.approvalId);
    expect(again.body.entryId).not.toBe(held.body.entryId);
    const stillHeld = await app.request('POST', `${line}/2/unassign`, {
      key: accountant,
      body: { reason: 'changed my mind' },
    });
    expect([stillHeld.status, stillHeld.body.detail]).toEqual([
      409,
      expect.stringContaining('reject or cancel'),
    ]);
    const approved = await decide(again.body.approvalId, 'approve', {});
    expect(approved.status).toBe(200);
    const executed = await read(`/v1/approvals/${again.body.approvalId}?`, approved.body.position);
    expect(executed.result).toMatchObject({ status: 'executed', entryId: again.body.entryId });
    const fees = await read(
      `/v1/books/${book}/accounts/4970/balance?`,
      Number(executed.result.position),
    );
    expect(fees.balances[0]).toMatchObject({ debit: '5.00' });
    const assigned = await read(`${line}?status=assigned&`, 0);
    expect(assigned.items.map((l: any) => [l.n, l.entryId])).toEqual([[2, again.body.entryId]]);

    const unassign = (n: number, body: object = { reason: 'a refund, not a fee' }) =>
      app.request('POST', `${line}/${n}/unassign`, { key: accountant, body });
    const undone = await unassign(2);
    expect([undone.status, undone.body.status]).toEqual([200, 'unmatched']);
    const reversed = await read(`/v1/books/${book}/accounts/4970/balance?`, undone.body.position);
    expect(reversed.balances[0]).toMatchObject({ debit: '5.00', credit: '5.00' });
    const history = await read(`${line}?status=unmatched&`, 0);
    expect(history.items[0].earlier.map((e: any) => [e.cause, e.reversalEntryId ?? null])).toEqual([
      ['approval-rejected', null],
      ['unassigned', undone.body.reversalEntryId],
    ]);
    for (const [n, body, status] of [
      [2, { reason: 'again' }, 409],
      [1, { reason: 'matched at import' }, 409],
      [7, { reason: 'no such line' }, 404],
      [2, {}, 400],
    ] as const) {
      const refused = await unassign(n, body);
      expect([n, refused.status, refused.body.detail]).toEqual([n, status, expect.any(String)]);
    }
  });

  it("gives a chart book's 1200 its IBAN (PATCH), then a camt.053 for it imports without ?account=", async () => {
    const book = await openBook();
    const accounts = `/v1/books/${book}/accounts`;
    const patch = (code: string, iban: unknown) =>
      app.request('PATCH', `${accounts}/${code}`, { key: accountant, body: { iban } });
    const given = await patch('1200', 'de02 1203 0000 0000 2020 51');
    expect([given.status, given.body.iban]).toEqual([200, ownIban]);
    const again = await patch('1200', ownIban);
    expect([again.status, again.body.position]).toEqual([200, 0]);
    const other = await app.request('POST', accounts, {
      key: accountant,
      body: { code: '1210', name: 'Sparkasse', type: 'asset', iban: supplierIban },
    });
    expect(other.status).toBe(201);
    for (const [code, iban, status] of [
      ['1210', ownIban, 409],
      ['1200', 'DE02120300000000202052', 400],
      ['4970', ownIban, 400],
      ['1200', undefined, 400],
      ['9999', ownIban, 404],
    ] as const) {
      const refused = await patch(code, iban);
      expect([code, refused.status, refused.body.detail]).toEqual([
        code,
        status,
        expect.any(String),
      ]);
    }
    const got = await read(`${accounts}/1200?`, given.body.position);
    expect(got.iban).toBe(ownIban);
    const imported = await send(book, camt053([statements[0]!]), '');
    expect([imported.status, imported.body.account, imported.body.matched]).toEqual([
      201,
      '1200',
      1,
    ]);
  });

  it('refuses bad input with a problem and posts nothing', async () => {
    const book = await openBook();
    const decimals = camt053([
      {
        ...statements[0]!,
        entries: [
          {
            ...statements[0]!.entries[0]!,
            amount: '119.001',
            transactions: [{ amount: '119.001', remittance: 'RE-2027-00001' }],
          },
        ],
      },
    ]);
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">&lol2;</Document>`;
    const deep = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</Document>`;
    const cases: [string, string, number, string][] = [
      [decimals, '?account=1200', 400, '119.001'],
      [bomb, '?account=1200', 400, 'camt.053'],
      [deep, '?account=1200', 400, 'xmlDepthMax'],
      ['not xml at all', '?account=1200', 400, 'not well-formed'],
      [camt053(statements), '?account=9999', 422, 'Account 9999'],
      [camt053(statements), '', 422, ownIban],
    ];
    for (const [xml, query, status, detail] of cases) {
      const refused = await send(book, xml, query);
      expect([refused.status, refused.body.detail]).toEqual([
        status,
        expect.stringContaining(detail),
      ]);
    }
    const bank = await app.request('GET', `/v1/books/${book}/accounts/1200/balance`, {
      key: accountant,
    });
    expect(bank.body.balances).toEqual([]);
  });
});
