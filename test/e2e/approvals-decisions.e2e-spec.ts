/**
 * Deciding on approvals: several steps, rejection, cancellation, expiry, delegation, and the
 * other gated actions.
 */
import { ApprovalExpiryScheduler } from '../../src/approvals/approvals.module.js';
import { TestApp, TestStore } from '../support/app.js';
import { Key, entry, useApprovalsApp } from '../support/approvals-app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];
const hour = 3_600_000;

describe.each(stores)('approvals over %s', (store) => {
  const approvals = useApprovalsApp(store);
  const { clock, openBook, definePolicy, post, decide, approval, postedEntries, assignedIds } =
    approvals;
  let app: TestApp;
  let erika: Key;
  let erikaSecondKey: Key;
  let paul: Key;
  let quinn: Key;
  let adam: Key;
  let otto: Key;
  let dora: Key;

  beforeAll(() => {
    ({ app, erika, erikaSecondKey, paul, quinn, adam, otto, dora } = approvals.fixture);
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
