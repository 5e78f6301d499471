import { randomUUID } from 'node:crypto';
import { ApprovalExpiryScheduler } from '../../src/approvals/approvals.module.js';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];
const hour = 3_600_000;

interface Key {
  id: string;
  key: string;
}

function entry(amount: string, effectiveDate = '2026-03-31') {
  return {
    effectiveDate,
    description: `Invoice ${amount}`,
    lines: [
      { account: '6310', debit: amount },
      { account: '1200', credit: amount },
    ],
  };
}

describe.each(stores)('approvals over %s', (store) => {
  let app: TestApp;
  const clock = new ManualClock(new Date('2026-03-01T09:00:00.000Z'));
  let erika: Key; // accountant and approver: requests, and may decide on others' requests
  let erikaSecondKey: Key; // the same person through another key
  let paul: Key; // approver
  let quinn: Key; // approver
  let adam: Key; // admin (holds no approver role)
  let clara: Key; // compliance: defines policies
  let otto: Key; // plain accountant
  let dora: Key; // accountant, may get the approver role delegated

  async function createKey(name: string, roles: string[]): Promise<Key> {
    const response = await app.request('POST', '/v1/api-keys', {
      key: app.adminKey,
      body: { name, roles },
    });
    expect(response.status).toBe(201);
    return { id: response.body.id, key: response.body.key };
  }

  beforeAll(async () => {
    app = await startTestApp({ store, clock, env: { KONTOR_APPROVAL_EXPIRY_INTERVAL_MS: '0' } });
    erika = await createKey('Erika Accountant', ['accountant', 'approver']);
    erikaSecondKey = await createKey(' erika accountant', ['approver']);
    paul = await createKey('Paul Approver', ['approver']);
    quinn = await createKey('Quinn Approver', ['approver']);
    adam = await createKey('Adam Admin', ['admin']);
    clara = await createKey('Clara Compliance', ['compliance']);
    otto = await createKey('Otto Accountant', ['accountant']);
    dora = await createKey('Dora Deputy', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `book-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await app.request('POST', '/v1/books', {
          key: app.adminKey,
          body: { id, name: 'ACME GmbH', baseCurrency: 'EUR' },
        })
      ).status,
    ).toBe(201);
    for (const [code, type] of [
      ['1200', 'asset'],
      ['6310', 'expense'],
      ['8400', 'revenue'],
    ]) {
      expect(
        (
          await app.request('POST', `/v1/books/${id}/accounts`, {
            key: otto.key,
            body: { code, name: `Account ${code}`, type },
          })
        ).status,
      ).toBe(201);
    }
    return id;
  }

  async function definePolicy(book: string, body: Record<string, unknown>): Promise<any> {
    const response = await app.request('POST', `/v1/books/${book}/approval-policies`, {
      key: clara.key,
      body: { name: 'Policy', ...body },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  function post(
    book: string,
    body: unknown,
    key: Key = erika,
    headers: Record<string, string> = {},
  ) {
    return app.request('POST', `/v1/books/${book}/journal-entries`, {
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
    return app.request('POST', `/v1/approvals/${approvalId}/${action}`, { key: key.key, body });
  }

  async function approval(approvalId: string, consistentWith: number): Promise<any> {
    const response = await app.request(
      'GET',
      `/v1/approvals/${approvalId}?consistentWith=${consistentWith}`,
      { key: otto.key },
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  async function postedEntries(book: string): Promise<any[]> {
    const response = await app.request('GET', `/v1/streams/book-${book}?limit=1000`, {
      key: app.adminKey,
    });
    return response.body.items.filter(
      (event: { type: string }) => event.type === 'JournalEntryPosted',
    );
  }

  async function assignedIds(key: Key, consistentWith: number): Promise<string[]> {
    const response = await app.request(
      'GET',
      `/v1/approvals?assignedToMe=true&consistentWith=${consistentWith}`,
      { key: key.key },
    );
    expect(response.status).toBe(200);
    return response.body.items.map((item: { id: string }) => item.id);
  }

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

  describe('multi-step, rejection, cancellation', () => {
    it('needs every step in order, each from another person, with assignedToMe following the open step', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [
          { role: 'approver', approvals: 1 },
          { role: 'admin', approvals: 1 },
        ],
      });
      const gated = await post(book, entry('50.00'), otto);
      expect(gated.status).toBe(202);
      const { approvalId } = gated.body;
      expect(await assignedIds(paul, gated.body.position)).toContain(approvalId);
      expect(await assignedIds(adam, gated.body.position)).not.toContain(approvalId);
      expect(await assignedIds(otto, gated.body.position)).not.toContain(approvalId);

      const first = await decide(approvalId, 'approve', paul);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'pending', currentStep: 1 });
      expect(await assignedIds(paul, first.body.position)).not.toContain(approvalId);
      expect(await assignedIds(adam, first.body.position)).toContain(approvalId);
      expect((await decide(approvalId, 'approve', quinn)).body.type).toBe('/problems/forbidden');

      const second = await decide(approvalId, 'approve', adam);
      expect(second.body).toMatchObject({ status: 'approved', result: { status: 'executed' } });
      expect(
        second.body.steps.map((step: { decisions: { by: string }[] }) =>
          step.decisions.map((decision) => decision.by),
        ),
      ).toEqual([['Paul Approver'], ['Adam Admin']]);
    });

    it('counts a person once within a step that needs two approvals', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 2 }],
      });
      const gated = await post(book, entry('50.00'), otto);
      expect((await decide(gated.body.approvalId, 'approve', erika)).body.status).toBe('pending');
      const twice = await decide(gated.body.approvalId, 'approve', erikaSecondKey);
      expect(twice.status).toBe(403);
      expect(twice.body.type).toBe('/problems/segregation-of-duties');
      expect((await decide(gated.body.approvalId, 'approve', paul)).body).toMatchObject({
        status: 'approved',
        result: { status: 'executed' },
      });
    });

    it('closes a request on rejection (a reason is required) and posts nothing', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      const gated = await post(book, entry('75.00'));
      const { approvalId } = gated.body;
      expect((await decide(approvalId, 'reject', paul, {})).status).toBe(400);
      const own = await decide(approvalId, 'reject', erika, { reason: 'mine' });
      expect(own.body.type).toBe('/problems/segregation-of-duties');
      const rejected = await decide(approvalId, 'reject', paul, { reason: 'No invoice attached' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'No invoice attached' });
      expect(rejected.body.steps[0].decisions[0]).toMatchObject({
        by: 'Paul Approver',
        decision: 'rejected',
        comment: 'No invoice attached',
      });
      expect((await decide(approvalId, 'approve', quinn)).status).toBe(409);
      const listed = await app.request(
        'GET',
        `/v1/approvals?status=rejected&book=${book}&consistentWith=${rejected.body.position}`,
        { key: otto.key },
      );
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([approvalId]);
      expect(await postedEntries(book)).toHaveLength(0);
    });

    it('lets only the requester cancel a pending request', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      const gated = await post(book, entry('80.00'), otto);
      const { approvalId } = gated.body;
      const other = await decide(approvalId, 'cancel', erika);
      expect(other.status).toBe(403);
      expect(other.body.type).toBe('/problems/forbidden');
      const cancelled = await app.request('POST', `/v1/approvals/${approvalId}/cancel`, {
        key: otto.key,
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await decide(approvalId, 'approve', paul)).status).toBe(409);
      const listed = await app.request(
        'GET',
        `/v1/approvals?status=cancelled&book=${book}&consistentWith=${cancelled.body.position}`,
        { key: otto.key },
      );
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([approvalId]);
      expect(await postedEntries(book)).toHaveLength(0);
    });
  });

  describe('expiry', () => {
    it('expires an overdue request on the injected clock (an audited event); a decision afterwards is 409', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
        expiresAfter: 'PT1H',
      });
      const gated = await post(book, entry('90.00'));
      const { approvalId } = gated.body;
      await approval(approvalId, gated.body.position);
      const scheduler = app.app.get(ApprovalExpiryScheduler);
      clock.advance(hour / 2);
      expect(await scheduler.runOnce()).not.toContain(approvalId);
      clock.advance(hour / 2);
      expect(await scheduler.runOnce()).toContain(approvalId);
      const stream = await app.request('GET', `/v1/streams/approval_request-${approvalId}`, {
        key: app.adminKey,
      });
      const expired = stream.body.items[stream.body.items.length - 1];
      expect(expired).toMatchObject({
        type: 'ApprovalExpired',
        metadata: { actor: { id: 'system', name: 'approval-expiry' }, book },
      });
      expect((await approval(approvalId, expired.position)).status).toBe('expired');
      expect((await decide(approvalId, 'approve', paul)).status).toBe(409);
      const audit = await app.request(
        'GET',
        `/v1/audit?type=ApprovalExpired&book=${book}&consistentWith=${expired.position}`,
        { key: app.adminKey },
      );
      expect(audit.body.items).toHaveLength(1);
    });
  });

  describe('delegation', () => {
    it('lets a delegate decide in the window, records both persons, never on their own request, and ends on revocation', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      const first = await post(book, entry('60.00'));
      expect((await decide(first.body.approvalId, 'approve', dora)).body.type).toBe(
        '/problems/forbidden',
      );
      expect(
        (
          await app.request('POST', '/v1/approvals/delegations', {
            key: paul.key,
            body: { to: paul.id, until: '2026-12-31T00:00:00Z' },
          })
        ).status,
      ).toBe(400);
      const until = new Date(clock.now().getTime() + 7 * 24 * hour).toISOString();
      const delegated = await app.request('POST', '/v1/approvals/delegations', {
        key: paul.key,
        body: { to: dora.id, until },
      });
      expect(delegated.status).toBe(201);
      expect(delegated.body).toMatchObject({
        fromKeyId: paul.id,
        fromName: 'Paul Approver',
        toKeyId: dora.id,
        toName: 'Dora Deputy',
        role: 'approver',
        until,
        active: true,
      });
      expect(await assignedIds(dora, first.body.position)).toContain(first.body.approvalId);

      const approved = await decide(first.body.approvalId, 'approve', dora);
      expect(approved.status).toBe(200);
      expect(approved.body.result.status).toBe('executed');
      expect(approved.body.steps[0].decisions[0]).toMatchObject({
        by: 'Dora Deputy',
        byKeyId: dora.id,
        onBehalfOf: { keyId: paul.id, name: 'Paul Approver' },
      });

      const own = await post(book, entry('61.00'), dora);
      expect(own.status).toBe(202);
      const ownDecision = await decide(own.body.approvalId, 'approve', dora);
      expect(ownDecision.status).toBe(403);
      expect(ownDecision.body.type).toBe('/problems/segregation-of-duties');

      const listed = await app.request('GET', '/v1/approvals/delegations', { key: otto.key });
      expect(
        listed.body.items.some(
          (item: { delegationId: string }) => item.delegationId === delegated.body.delegationId,
        ),
      ).toBe(true);
      const revoked = await app.request(
        'DELETE',
        `/v1/approvals/delegations/${delegated.body.delegationId}`,
        { key: paul.key },
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.active).toBe(false);
      const later = await post(book, entry('62.00'));
      expect((await decide(later.body.approvalId, 'approve', dora)).body.type).toBe(
        '/problems/forbidden',
      );
    });
  });

  describe('other gated actions', () => {
    it('gates a period reopening and runs it on approval', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'period.reopen',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      expect(
        (await app.request('POST', `/v1/books/${book}/periods/2026-01/close`, { key: otto.key }))
          .status,
      ).toBe(200);
      const reopen = await app.request('POST', `/v1/books/${book}/periods/2026-01/reopen`, {
        key: otto.key,
        body: { reason: 'Late invoice' },
      });
      expect(reopen.status).toBe(202);
      expect((await post(book, entry('10.00', '2026-01-15'), otto)).body.type).toBe(
        '/problems/period-closed',
      );
      const approved = await decide(reopen.body.approvalId, 'approve', paul);
      expect(approved.body).toMatchObject({
        action: 'period.reopen',
        status: 'approved',
        result: { status: 'executed', period: '2026-01' },
      });
      expect((await post(book, entry('10.00', '2026-01-15'), otto)).status).toBe(201);
    });

    it('records the refusal when the approved action fails (period closed meanwhile)', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'journal-entry.post',
        steps: [{ role: 'approver', approvals: 1 }],
      });
      const gated = await post(book, entry('20.00', '2026-02-10'));
      expect(gated.status).toBe(202);
      expect(
        (await app.request('POST', `/v1/books/${book}/periods/2026-02/close`, { key: otto.key }))
          .status,
      ).toBe(200);
      const approved = await decide(gated.body.approvalId, 'approve', paul);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        result: { status: 'failed', error: { code: 'period-closed', detail: expect.any(String) } },
      });
      expect(
        (await approval(gated.body.approvalId, approved.body.position)).result.error.code,
      ).toBe('period-closed');
      expect(await postedEntries(book)).toHaveLength(0);
    });

    it('gates closing a listed account only', async () => {
      const book = await openBook();
      await definePolicy(book, {
        action: 'account.close',
        condition: { accounts: ['8400'] },
        steps: [{ role: 'approver', approvals: 1 }],
      });
      expect(
        (await app.request('POST', `/v1/books/${book}/accounts/6310/close`, { key: otto.key }))
          .status,
      ).toBe(200);
      const held = await app.request('POST', `/v1/books/${book}/accounts/8400/close`, {
        key: otto.key,
      });
      expect(held.status).toBe(202);
      const approved = await decide(held.body.approvalId, 'approve', paul);
      expect(approved.body).toMatchObject({
        action: 'account.close',
        result: { status: 'executed', account: '8400' },
      });
      const account = await app.request(
        'GET',
        `/v1/books/${book}/accounts/8400?consistentWith=${approved.body.result.position}`,
        { key: otto.key },
      );
      expect(account.body.status).toBe('closed');
    });
  });
});
