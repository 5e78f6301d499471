/** Approval policies and the four-eyes flow of a held posting. */
import { randomUUID } from 'node:crypto';
import { TestApp, TestStore } from '../support/app.js';
import { Key, entry, useApprovalsApp } from '../support/approvals-app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('approvals over %s', (store) => {
  const approvals = useApprovalsApp(store);
  const { openBook, definePolicy, post, decide, approval, postedEntries, assignedIds } = approvals;
  let app: TestApp;
  let erika: Key;
  let erikaSecondKey: Key;
  let paul: Key;
  let quinn: Key;
  let adam: Key;
  let clara: Key;
  let otto: Key;

  beforeAll(() => {
    ({ app, erika, erikaSecondKey, paul, quinn, adam, clara, otto } = approvals.fixture);
  });

  describe('policies', () => {
    it('are defined by compliance (201), listed, and retired (kept in history); others may not define them', async () => {
      const book = await openBook();
      const forbidden = await app.request('POST', `/v1/books/${book}/approval-policies`, {
        key: otto.key,
        body: {
          name: 'x',
          action: 'journal-entry.post',
          steps: [{ role: 'approver', approvals: 1 }],
        },
      });
      expect(forbidden.status).toBe(403);
      const policy = await definePolicy(book, {
        name: 'Four eyes above 10,000 EUR',
        action: 'journal-entry.post',
        condition: { minAmount: '10000.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
        expiresAfter: 'P7D',
      });
      expect(policy).toMatchObject({
        id: expect.any(String),
        book,
        name: 'Four eyes above 10,000 EUR',
        action: 'journal-entry.post',
        condition: { minAmount: '10000.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
        expiresAfter: 'P7D',
        status: 'active',
        definedBy: { id: clara.id, name: 'Clara Compliance' },
        position: expect.any(Number),
      });
      const listed = await app.request('GET', `/v1/books/${book}/approval-policies`, {
        key: otto.key,
      });
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([policy.id]);

      const gated = await post(book, entry('12000.00'));
      expect(gated.status).toBe(202);
      const retired = await app.request(
        'DELETE',
        `/v1/books/${book}/approval-policies/${policy.id}?reason=replaced`,
        { key: clara.key },
      );
      expect(retired.status).toBe(200);
      expect(retired.body).toMatchObject({
        id: policy.id,
        status: 'retired',
        retireReason: 'replaced',
      });
      expect(
        (await app.request('GET', `/v1/books/${book}/approval-policies`, { key: otto.key })).body
          .items,
      ).toEqual([]);
      const all = await app.request(
        'GET',
        `/v1/books/${book}/approval-policies?includeRetired=true`,
        { key: otto.key },
      );
      expect(all.body.items).toHaveLength(1);
      expect(
        (
          await app.request('DELETE', `/v1/books/${book}/approval-policies/${policy.id}`, {
            key: clara.key,
          })
        ).status,
      ).toBe(409);

      // Not gated any more; the request made before the retirement keeps its steps and still runs.
      expect((await post(book, entry('12000.00'))).status).toBe(201);
      const approved = await decide(gated.body.approvalId, 'approve', paul);
      expect(approved.status).toBe(200);
      expect(approved.body.result).toMatchObject({ status: 'executed', entryId: gated.body.id });
    });

    it('refuses invalid policies (400 naming the field) and unknown books (404)', async () => {
      const book = await openBook();
      const invalid = await app.request('POST', `/v1/books/${book}/approval-policies`, {
        key: clara.key,
        body: {
          name: 'x',
          action: 'journal-entry.post',
          condition: { minAmount: '10.001', currency: 'EUR' },
          steps: [{ role: 'approver', approvals: 1 }],
          expiresAfter: 'soon',
        },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual(
        expect.arrayContaining(['condition.minAmount', 'expiresAfter']),
      );
      const unknownAction = await app.request('POST', `/v1/books/${book}/approval-policies`, {
        key: clara.key,
        body: { name: 'x', action: 'book.delete', steps: [{ role: 'approver', approvals: 1 }] },
      });
      expect(unknownAction.status).toBe(400);
      const unknownBook = await app.request('POST', '/v1/books/no-such-book/approval-policies', {
        key: clara.key,
        body: {
          name: 'x',
          action: 'journal-entry.post',
          steps: [{ role: 'approver', approvals: 1 }],
        },
      });
      expect(unknownBook.status).toBe(404);
    });
  });

  describe('four-eyes flow', () => {
    it('holds a large posting (202), refuses the requester and a second key of the same person, runs it once on approval', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        condition: { minAmount: '10000.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
        expiresAfter: 'P7D',
      });
      expect((await post(book, entry('500.00'))).status).toBe(201);

      const gated = await post(book, entry('12000.00'), erika, {
        'x-correlation-id': 'corr-four-eyes',
      });
      expect(gated.status).toBe(202);
      expect(gated.body).toEqual({
        id: expect.any(String),
        status: 'pending_approval',
        approvalId: expect.any(String),
        position: expect.any(Number),
      });
      const { approvalId, id: entryId } = gated.body;
      const notPosted = await app.request(
        'GET',
        `/v1/books/${book}/journal-entries/${entryId}?consistentWith=${gated.body.position}`,
        { key: otto.key },
      );
      expect(notPosted.status).toBe(404);

      const pending = await approval(approvalId, gated.body.position);
      expect(pending).toMatchObject({
        id: approvalId,
        book,
        action: 'journal-entry.post',
        status: 'pending',
        requestedBy: 'Erika Accountant',
        payload: { entryId, effectiveDate: '2026-03-31' },
        steps: [{ role: 'approver', required: 1, decisions: [] }],
        expiresAt: '2026-03-08T09:00:00.000Z',
      });
      expect(pending.result).toBeUndefined();

      const own = await decide(approvalId, 'approve', erika);
      expect(own.status).toBe(403);
      expect(own.body.type).toBe('/problems/segregation-of-duties');
      const secondKey = await decide(approvalId, 'approve', erikaSecondKey);
      expect(secondKey.status).toBe(403);
      expect(secondKey.body.type).toBe('/problems/segregation-of-duties');
      const admin = await decide(approvalId, 'approve', adam);
      expect(admin.status).toBe(403);
      expect(admin.body.type).toBe('/problems/forbidden');
      const accountant = await decide(approvalId, 'approve', otto);
      expect(accountant.status).toBe(403);
      expect(accountant.body.type).toBe('/problems/forbidden');

      const approved = await decide(approvalId, 'approve', paul, {
        comment: 'Checked against the contract',
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        id: approvalId,
        status: 'approved',
        result: { status: 'executed', entryId, position: expect.any(Number) },
      });

      const shown = await approval(approvalId, approved.body.position);
      expect(shown.result).toEqual({
        status: 'executed',
        entryId,
        position: approved.body.result.position,
        at: expect.any(String),
      });
      expect(shown.steps[0].decisions).toEqual([
        {
          by: 'Paul Approver',
          byKeyId: paul.id,
          onBehalfOf: null,
          decision: 'approved',
          at: expect.any(String),
          comment: 'Checked against the contract',
        },
      ]);
      const posted = await app.request(
        'GET',
        `/v1/books/${book}/journal-entries/${entryId}?consistentWith=${shown.result.position}`,
        { key: otto.key },
      );
      expect(posted.status).toBe(200);
      expect(posted.body).toMatchObject({ id: entryId, status: 'posted' });

      const entries = (await postedEntries(book)).filter((event) => event.data.entryId === entryId);
      expect(entries).toHaveLength(1);
      expect(entries[0].metadata).toMatchObject({
        actor: { id: erika.id, name: 'Erika Accountant' },
        correlationId: 'corr-four-eyes',
        causationId: expect.any(String),
      });
      const stream = await app.request('GET', `/v1/streams/approval_request-${approvalId}`, {
        key: app.adminKey,
      });
      expect(stream.body.items.map((event: { type: string }) => event.type)).toEqual([
        'ApprovalRequested',
        'ApprovalGranted',
        'ApprovalApproved',
        'ApprovalExecuted',
      ]);
      expect(entries[0].metadata.causationId).toBe(stream.body.items[2].eventId);

      const again = await decide(approvalId, 'approve', quinn);
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('/problems/conflict');
    });

    it('answers a retried held request (same Idempotency-Key) with the same approval, and a changed body with 422', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      const headers = { 'idempotency-key': `key-${randomUUID()}` };
      const first = await post(book, entry('100.00'), erika, headers);
      expect(first.status).toBe(202);
      const second = await post(book, entry('100.00'), erika, headers);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      const changed = await post(book, entry('200.00'), erika, headers);
      expect(changed.status).toBe(422);
      expect(changed.body.type).toBe('/problems/idempotency-mismatch');
      const list = await app.request(
        'GET',
        `/v1/approvals?book=${book}&consistentWith=${second.body.position}`,
        { key: otto.key },
      );
      expect(list.body.items).toHaveLength(1);

      const approved = await decide(first.body.approvalId, 'approve', paul);
      expect(approved.body.result.status).toBe('executed');
      const afterwards = await post(book, entry('100.00'), erika, headers);
      expect(afterwards.status).toBe(201);
      expect(afterwards.body.id).toBe(first.body.id);
      expect(await postedEntries(book)).toHaveLength(1);
    });

    it('hides requests of other books from a book-restricted key', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      const gated = await post(book, entry('30.00'));
      const restricted = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'Rita Restricted', roles: ['approver'], books: ['another-book'] },
      });
      const rita = { id: restricted.body.id, key: restricted.body.key };
      expect(
        (
          await app.request(
            'GET',
            `/v1/approvals/${gated.body.approvalId}?consistentWith=${gated.body.position}`,
            { key: rita.key },
          )
        ).status,
      ).toBe(403);
      expect((await decide(gated.body.approvalId, 'approve', rita)).status).toBe(403);
      expect(await assignedIds(rita, gated.body.position)).toEqual([]);
      expect(
        (await app.request('GET', `/v1/approvals?book=${book}`, { key: rita.key })).status,
      ).toBe(403);
      expect(await assignedIds(paul, gated.body.position)).toContain(gated.body.approvalId);
    });

    it('answers 404 for an unknown approval', async () => {
      expect(
        (await app.request('GET', `/v1/approvals/${randomUUID()}`, { key: otto.key })).status,
      ).toBe(404);
      expect((await decide(randomUUID(), 'approve', paul)).status).toBe(404);
    });
  });
});
