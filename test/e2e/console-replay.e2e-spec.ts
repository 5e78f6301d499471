/**
 * The console in Chromium: the books replayed as they stood at a log position (ADR 0021), reached
 * from an audit event's record, a journal entry's documents downloaded byte for byte and its
 * events (approval, posting, reversal) listed as the API returns them. The tax and audit tab:
 * console-tax. Setup and the checks after each test: test/support/console-fixture.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { book, browserTestMs, screenshot, useConsoleFixture } from '../support/console-fixture.js';

interface TrialBalance {
  knownAtPosition: number | null;
  currencies: {
    currency: string;
    lines: { account: string; balance: string }[];
    totals: { debit: string };
  }[];
}

describe('the console in Chromium: replay, documents, tax and audit', () => {
  const c = useConsoleFixture();
  /** The head before the receipt's entry: the books there lack it. */
  let before: number;
  let entryId: string;
  let approvalId: string;
  let reversal: { id: string; position: number };
  const receipt = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]);

  beforeAll(async () => {
    before = (await c.admin('GET', '/v1/audit/digest')).position;
    const response = await fetch(
      `${c.app.baseUrl}/v1/books/${book}/documents?fileName=miete-mai.pdf`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${c.app.adminKey}`, 'content-type': 'application/pdf' },
        body: receipt,
      },
    );
    expect(response.status).toBe(201);
    const document = (await response.json()) as { id: string };
    // Held by the four-eyes policy (Erika), approved (Paul), then reversed (Otto): the entry's
    // events are its posting, its approval's and its reversal's.
    const held = await c.app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: c.keys.erika,
      body: {
        effectiveDate: '2026-05-02',
        description: 'Miete Mai',
        documents: [document.id],
        lines: [
          { account: '6310', debit: '12500.00' },
          { account: '1200', credit: '12500.00' },
        ],
      },
    });
    expect(held.status).toBe(202);
    approvalId = held.body.approvalId;
    const approved = await c.app.request('POST', `/v1/approvals/${approvalId}/approve`, {
      key: c.keys.paul,
      body: {},
    });
    expect(approved.body.result).toMatchObject({ status: 'executed' });
    entryId = approved.body.result.entryId;
    const reversed = await c.app.request(
      'POST',
      `/v1/books/${book}/journal-entries/${entryId}/reverse`,
      { key: c.keys.otto, body: { reason: 'Doppelt erfasst' } },
    );
    expect(reversed.status).toBe(201);
    reversal = reversed.body;
    await c.admin('GET', `/v1/books/${book}/trial-balance?consistentWith=${reversal.position}`);
  }, browserTestMs);

  const trialBalance = async (parameters: string): Promise<TrialBalance> =>
    c.admin('GET', `/v1/books/${book}/trial-balance${parameters}`);

  it(
    'the API answers the books at a log position, and refuses one that is no position or beyond the head',
    async () => {
      const then = await trialBalance(`?knownAtPosition=${before}`);
      const now = await trialBalance('');
      expect(then.knownAtPosition).toBe(before);
      expect(then.currencies[0]!.totals.debit).not.toBe(now.currencies[0]!.totals.debit);
      expect(then.currencies[0]!.lines.map((line) => line.account)).not.toContain('6310');
      const head = (await c.admin('GET', '/v1/audit/digest')).position;
      expect((await trialBalance(`?knownAtPosition=${head}`)).currencies).toEqual(now.currencies);
      for (const [parameters, detail] of [
        ['knownAtPosition=1.5', /log position/],
        [`knownAtPosition=${head + 1}`, /beyond the log's head/],
        [`knownAtPosition=${before}&knownAt=2026-01-01T00:00:00Z`, /not both/],
      ] as const) {
        const refused = await c.app.request(
          'GET',
          `/v1/books/${book}/balance-sheet?${parameters}`,
          {
            key: c.app.adminKey,
          },
        );
        expect(refused.status).toBe(400);
        expect(refused.body.detail).toMatch(detail);
      }
      const income = await c.admin(
        'GET',
        `/v1/books/${book}/income-statement?knownAtPosition=${before}`,
      );
      expect(income.currencies[0].expenses.lines).toEqual([]);
    },
    browserTestMs,
  );

  it(
    "the auditor opens the books as of an audit event: the replay shows the API's figures there",
    async () => {
      const then = await trialBalance(`?knownAtPosition=${before}`);
      const page = await c.pageFor('en');
      await c.signIn(page, c.keys.anna);
      const row = page.locator(`tr[data-position="${before}"]`);
      await row.getByText('Show').click();
      await row
        .getByRole('link', { name: `The books as of this event (position ${before})` })
        .click();
      const replay = page.locator('[data-report="replay-trial-balance"]');
      await replay.getByText(`as at log position ${before}`).first().waitFor();
      const euro = then.currencies.find((block) => block.currency === 'EUR')!;
      for (const line of euro.lines) {
        const shown = await replay
          .locator(`table[data-currency="EUR"] tr[data-account="${line.account}"] .balance`)
          .textContent();
        expect(shown?.replace('−', '-').replace(/,/g, '')).toBe(line.balance);
      }
      expect(await replay.locator('tr[data-account="6310"]').count()).toBe(0);
      await page
        .locator('[data-report="replay-balance-sheet"] .report[data-balanced="true"]')
        .waitFor();
      expect(page.url()).toContain(`#/books/${book}/replay/${before}`);
      await c.expectAccessible(page);
      await screenshot(page, 'replay');

      // The trial balance tab takes the same position.
      await page.getByRole('link', { name: 'Trial balance' }).click();
      await page.getByLabel('Known at (log position)').fill(String(before));
      await page.getByRole('button', { name: 'Show' }).click();
      const table = page.locator('.trial-balance table[data-currency="EUR"]');
      await table.getByText(`as at log position ${before}`).waitFor();
      expect((await table.locator('tfoot').textContent())?.replace(/,/g, '')).toContain(
        `EUR ${euro.totals.debit}`,
      );
      await c.expectAccessible(page);
    },
    browserTestMs,
  );

  it("the API lists an entry's events (its approval's, its posting, its reversal's) to the keys that read the book's events", async () => {
    const path = `/v1/books/${book}/journal-entries/${entryId}/events`;
    const listed = await c.app.request('GET', path, { key: c.keys.otto });
    expect(listed.status).toBe(200);
    const approval = await c.admin('GET', `/v1/streams/approval_request-${approvalId}`);
    const entry = await c.admin('GET', `/v1/books/${book}/journal-entries/${entryId}`);
    const posted = await c.admin(
      'GET',
      `/v1/events?book=${book}&types=JournalEntryPosted&fromPosition=${before}`,
    );
    const postedAt = (position: number) =>
      posted.items.find((event: { position: number }) => event.position === position);
    const expected = [
      ...approval.items.map((event: object) => ({ ...event, relation: 'approval' })),
      { ...postedAt(entry.position), relation: 'posting' },
      { ...postedAt(reversal.position), relation: 'reversal' },
    ].sort((a, b) => a.position - b.position);
    expect(listed.body).toEqual({ entryId, items: expected });
    const posting = expected.find((event) => event.relation === 'posting');
    expect(posting).toMatchObject({
      type: 'JournalEntryPosted',
      metadata: {
        actor: { name: 'Erika Buchhalterin' },
        correlationId: approval.items[0].metadata.correlationId,
      },
    });
    expect(expected.map((event) => event.type)).toEqual(
      expect.arrayContaining(['ApprovalRequested', 'ApprovalApproved', 'ApprovalExecuted']),
    );

    const restricted = await c.app.createKey('Rita Fremdbuch', ['accountant'], ['andere-gmbh']);
    for (const [key, status] of [
      [c.keys.paul, 403], // an approver reads entries, not events
      [restricted, 403],
    ] as const)
      expect((await c.app.request('GET', path, { key })).status).toBe(status);
    const unknown = await c.app.request(
      'GET',
      `/v1/books/${book}/journal-entries/no-such-entry/events`,
      { key: c.keys.otto },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/no-such-entry/);
  });

  it(
    'an entry lists its documents and downloads each through the session, byte for byte; its register as it stood before it',
    async () => {
      const id = `sha256:${createHash('sha256').update(receipt).digest('hex')}`;
      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${book}/entries/${entryId}`);
      const row = page.locator(`table.documents tr[data-document="${id}"]`);
      await row.waitFor();
      const cells = await row.locator('th, td').allTextContents();
      expect(cells.slice(0, 4)).toEqual([
        'miete-mai.pdf',
        receipt.byteLength.toLocaleString('de-DE'),
        'application/pdf',
        id,
      ]);
      const { items: events } = await c.admin(
        'GET',
        `/v1/books/${book}/journal-entries/${entryId}/events`,
      );
      const relations = { posting: 'Buchung', reversal: 'Storno', approval: 'Freigabe' } as const;
      const table = page.locator('table.entry-events');
      expect(await table.locator('tbody tr').count()).toBe(events.length);
      for (const event of events) {
        const recorded = await page.evaluate(
          (iso) =>
            new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'medium' }).format(
              new Date(iso),
            ),
          event.recordedAt,
        );
        expect(
          await table
            .locator(`tr[data-position="${event.position}"]`)
            .locator('th, td')
            .allTextContents(),
        ).toEqual([
          String(event.position),
          relations[event.relation as keyof typeof relations],
          event.type,
          recorded,
          event.metadata.actor.name,
          event.metadata.correlationId,
          event.metadata.causationId ?? '—',
          event.hash,
        ]);
      }
      await c.expectAccessible(page);
      await screenshot(page, 'entry-documents');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('button', { name: 'miete-mai.pdf herunterladen' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('miete-mai.pdf');
      expect((await readFile(await download.path())).equals(receipt)).toBe(true);

      // The register from the entry, then as it stood before the entry: without its line.
      await page.getByRole('link', { name: 'Kontoblatt 1200' }).click();
      const register = page.locator('section.register[data-account="1200"]');
      await register.locator(`tr[data-entry="${entryId}"]`).waitFor();
      await register.getByLabel('Kenntnisstand (Log-Position)').fill(String(before));
      await register.getByRole('button', { name: 'Anzeigen' }).click();
      await register.getByText(`Stand nach Log-Position ${before}`).waitFor();
      expect(await register.locator(`tr[data-entry="${entryId}"]`).count()).toBe(0);
      const then = await c.admin(
        'GET',
        `/v1/books/${book}/accounts/1200/ledger?knownAtPosition=${before}`,
      );
      expect(
        (await register.locator('tbody tr').last().locator('.balance').textContent())
          ?.replace(/\./g, '')
          .replace(',', '.'),
      ).toBe(`${then.items.at(-1).balance} EUR`);
      await c.expectAccessible(page);
    },
    browserTestMs,
  );
});
