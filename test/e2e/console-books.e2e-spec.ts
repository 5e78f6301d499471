import { createHash } from 'node:crypto';
/**
 * The console in a real Chromium against a real Kontor: the auditor's trail, verify and export,
 * the books' reports and register down to the entry, and posting an entry through the form.
 * Setup and the checks after each test: test/support/console-fixture.ts.
 */
import {
  useConsoleFixture,
  book,
  browserTestMs,
  screenshot,
  german,
  streamText,
} from '../support/console-fixture.js';

describe('the console in Chromium: audit and books', () => {
  const c = useConsoleFixture();

  it(
    'the auditor sees the chain verified, the trail listed and filtered, and the trial balance as of a date',
    async () => {
      const page = await c.pageFor('en');
      await c.signIn(page, c.keys.anna);
      await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
      await page.locator('[data-verify="ok"]').waitFor();
      const digest = (await c.app.request('GET', '/v1/audit/digest', { key: c.app.adminKey })).body;
      expect(await page.locator('#digest-hash').textContent()).toBe(digest.hash);
      await page.locator('tr[data-type="BookOpened"]').first().waitFor();
      expect(await page.locator('tr[data-type]').count()).toBeGreaterThan(3);
      await c.expectAccessible(page);
      await screenshot(page, 'audit');

      await page.getByLabel('Event type').fill('AccountOpened');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByText('3 events shown.').waitFor();
      expect(
        new Set(
          await page
            .locator('tr[data-type]')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type'))),
        ),
      ).toEqual(new Set(['AccountOpened']));

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download as CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('kontor-audit.csv');
      const csv = await streamText(await download.createReadStream());
      const exported = await c.app.request(
        'GET',
        '/v1/audit/export?format=csv&type=AccountOpened',
        {
          key: c.app.adminKey,
        },
      );
      // Each export is its own (recorded) event with the same bytes: the same recorded sha256.
      expect(csv).toBe(exported.body);
      const recorded = await c.app.request(
        'GET',
        `/v1/audit/exports/${exported.headers.get('kontor-export-id')}`,
        { key: c.app.adminKey },
      );
      expect(recorded.body.sha256).toBe(createHash('sha256').update(csv).digest('hex'));
      expect(csv.match(/AccountOpened/g)).toHaveLength(3);

      await page.getByRole('link', { name: 'Books' }).click();
      await page.getByRole('link', { name: 'Console GmbH' }).click();
      await page.getByRole('heading', { name: /Console GmbH/ }).waitFor();
      expect(await page.getByRole('link', { name: 'New entry' }).count()).toBe(0);
      await page.getByLabel('As of (effective date)').fill('2026-03-31');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText(/as of 2026-03-31/).waitFor();
      await c.expectAccessible(page);
      await screenshot(page, 'trial-balance');
      const report = (
        await c.app.request('GET', `/v1/books/${book}/trial-balance?asOf=2026-03-31`, {
          key: c.app.adminKey,
        })
      ).body;
      const euro = report.currencies.find(
        (block: { currency: string }) => block.currency === 'EUR',
      );
      const all = (
        await c.app.request('GET', `/v1/books/${book}/trial-balance`, { key: c.app.adminKey })
      ).body;
      // The April entry (700.00) is after the date, so not in the shown report.
      const allEuro = all.currencies.find(
        (block: { currency: string }) => block.currency === 'EUR',
      );
      expect(
        BigInt(allEuro.totals.debit.replace('.', '')) - BigInt(euro.totals.debit.replace('.', '')),
      ).toBe(70000n);
      const totals = await page.locator('table[data-currency="EUR"] tfoot').textContent();
      // English: "EUR 17,500.00".
      expect(totals?.replace(/,/g, '')).toContain(`EUR ${euro.totals.debit}`);
      for (const line of euro.lines) {
        const shown = await page
          .locator(`table[data-currency="EUR"] tr[data-account="${line.account}"] .balance`)
          .textContent();
        expect(shown?.replace('−', '-').replace(/,/g, '')).toBe(line.balance);
      }
    },
    browserTestMs,
  );

  it(
    'the books: balance sheet and income statement as the API has them, and the register down to the entry',
    async () => {
      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${book}/balance-sheet`);
      const sheet = page.locator('.report[data-balanced="true"]');
      await sheet.waitFor();
      expect(await sheet.textContent()).toContain('Aktiva = Passiva.');
      await c.expectAccessible(page);

      await page.getByRole('link', { name: 'Gewinn- und Verlustrechnung' }).click();
      await page.getByLabel('Von (Buchungsdatum)').fill('2026-04-01');
      await page.getByLabel('Bis (Buchungsdatum)').fill('2026-04-30');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.getByText(/01\.04\.2026 – 30\.04\.2026/).waitFor();
      const statement = (
        await c.app.request(
          'GET',
          `/v1/books/${book}/income-statement?from=2026-04-01&to=2026-04-30`,
          {
            key: c.app.adminKey,
          },
        )
      ).body;
      const netIncome = await page
        .locator('table[data-currency="EUR"] .net-income .num')
        .textContent();
      expect(netIncome?.replace(/\./g, '').replace(',', '.')).toBe(
        `${statement.currencies[0].netIncome} EUR`,
      );

      await page.getByRole('link', { name: 'Kontenplan' }).click();
      await page.getByRole('link', { name: '4400' }).click();
      const register = page.locator('section.register[data-account="4400"]');
      await register.waitFor();
      const apiRegister = (
        await c.app.request('GET', `/v1/books/${book}/accounts/4400/ledger`, {
          key: c.app.adminKey,
        })
      ).body;
      const last = apiRegister.items.at(-1);
      // The balance over time as an SVG step line through every register line (d3-shape).
      const chart = register.locator('svg[data-chart="balance"][role="img"]');
      expect(await chart.locator('path.line').getAttribute('data-points')).toBe(
        String(apiRegister.items.length),
      );
      expect(await chart.locator('path.line').getAttribute('d')).toMatch(/^M[\d.,-]+(H|V|L)/);
      const lastRow = register.locator('tbody tr').last();
      expect(await chart.locator('desc').textContent()).toContain(
        `zuletzt ${await lastRow.locator('.balance').textContent()}`,
      );
      expect(await lastRow.getAttribute('data-entry')).toBe(last.entryId);
      expect(
        (await lastRow.locator('.balance').textContent())
          ?.replace(/\./g, '')
          .replace(',', '.')
          .replace('−', '-'),
      ).toBe(`${last.balance} EUR`);
      await c.expectAccessible(page);
      await lastRow.getByRole('link', { name: 'Öffnen' }).click();
      const detail = page.locator(`section.entry-detail[data-entry="${last.entryId}"]`);
      await detail.waitFor();
      expect(await detail.textContent()).toContain(last.description);
      await detail.getByRole('link', { name: 'Kontoblatt 1200' }).click();
      await page.locator('section.register[data-account="1200"]').waitFor();
    },
    browserTestMs,
  );

  it(
    'an entry posted through the form appears in the journal; its problems are shown beside the fields',
    async () => {
      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${book}/post`);
      const form = page.getByRole('form', { name: 'Neue Buchung' });
      await form.waitFor();
      const description = `Bareinnahme ${Date.now()}`;
      await form.getByLabel('Buchungstext').fill(description);
      await form.getByLabel('Buchungsdatum').fill('2026-04-02');
      const accounts = form.getByLabel('Konto', { exact: true });
      const debits = form.getByLabel('Soll', { exact: true });
      const credits = form.getByLabel('Haben', { exact: true });
      await accounts.nth(0).fill('1200');
      await debits.nth(0).fill('99.999');
      await accounts.nth(1).fill('4400');
      await credits.nth(1).fill('100.00');
      await form.getByRole('button', { name: 'Buchen' }).click();
      const fieldError = form.locator('[data-error-for="lines[0].debit"]');
      await fieldError.waitFor();
      expect(await debits.nth(0).getAttribute('aria-invalid')).toBe('true');
      expect(await form.getByRole('alert').getAttribute('data-problem')).toBe('validation');
      await c.expectAccessible(page);
      await screenshot(page, 'post-entry');

      await debits.nth(0).fill('99.00');
      await form.getByRole('button', { name: 'Buchen' }).click();
      await form.locator('[data-problem="unbalanced-entry"]').waitFor();
      expect(await form.locator('fieldset [data-error-for="lines"]').count()).toBeGreaterThan(0);

      await debits.nth(0).fill('100.00');
      await form.getByRole('button', { name: 'Buchen' }).click();
      const success = form.locator('.success[data-status="posted"]');
      await success.waitFor();
      const entryId = await success.getAttribute('data-entry');

      await page.getByRole('link', { name: 'Buchungen' }).click();
      const entry = page.locator(`li[data-entry="${entryId}"]`);
      await entry.waitFor();
      expect(await entry.textContent()).toContain(description);
      expect(await entry.textContent()).toContain('02.04.2026');
      expect(await entry.textContent()).toContain('100,00 EUR');
      await c.expectAccessible(page);
      const stored = await c.app.request('GET', `/v1/books/${book}/journal-entries/${entryId}`, {
        key: c.app.adminKey,
      });
      expect(stored.body.description).toBe(description);
    },
    browserTestMs,
  );

  it(
    'invoices and open items of a book: the aging as SVG bars matching the API, an invoice PDF to download',
    async () => {
      const sales = 'console-rechnung';
      await c.admin('POST', '/v1/books', {
        id: sales,
        name: 'Rechnung GmbH',
        baseCurrency: 'EUR',
        chart: 'skr03',
      });
      await c.app.request('PUT', `/v1/books/${sales}/settings/company`, {
        key: c.app.adminKey,
        body: {
          name: 'Rechnung GmbH',
          address: {
            street: 'Friedrichstraße 1',
            postalCode: '10117',
            city: 'Berlin',
            country: 'DE',
          },
          vatId: 'DE123456789',
          registration: 'Amtsgericht Berlin HRB 12345 B',
          email: 'rechnung@example.de',
          phone: '+49 30 1234567',
          contactName: 'Erika Mustermann',
          iban: 'DE02120300000000202051',
        },
      });
      await c.admin('POST', `/v1/books/${sales}/parties`, {
        kind: 'customer',
        number: '10000',
        name: 'Müller & Söhne KG',
        address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', country: 'DE' },
      });
      const draft = await c.admin('POST', `/v1/books/${sales}/invoices`, {
        customer: '10000',
        issueDate: '2026-10-01',
        deliveryDate: '2026-09-30',
        lines: [{ description: 'Beratung', quantity: '10', unitPrice: '120.00', taxCode: 'USt19' }],
      });
      const issued = await c.admin('POST', `/v1/books/${sales}/invoices/${draft.id}/issue`);
      const aging = await c.admin(
        'GET',
        `/v1/books/${sales}/open-items/aging?kind=receivable&consistentWith=${issued.position}`,
      );
      const total = aging.currencies[0].total;

      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${sales}/invoices`);
      const row = page.locator(`table[data-view="invoices"] tr[data-invoice="${draft.id}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('1.428,00 EUR');
      expect(await row.textContent()).toContain('01.10.2026');
      await c.expectAccessible(page);
      await screenshot(page, 'invoices');
      const pdf = page.waitForEvent('download');
      await row.getByRole('button', { name: 'PDF' }).click();
      expect(await streamText(await (await pdf).createReadStream())).toMatch(/^%PDF-/);

      await page.getByRole('link', { name: 'Offene Posten' }).click();
      const chart = page.locator('svg[data-chart="aging"][role="img"]');
      await chart.waitFor();
      for (const bucket of ['current', '1-30', '31-60', '61-90', 'over-90']) {
        const bar = chart.locator(`g[data-bucket="${bucket}"]`);
        const height = Number(await bar.locator('rect').getAttribute('height'));
        expect(height > 0).toBe(total[bucket] !== '0.00');
        expect(await bar.textContent()).toContain(german(total[bucket]));
      }
      expect(await page.locator('table[data-view="open-items"] tbody tr').count()).toBe(1);
      await c.expectAccessible(page);
      await screenshot(page, 'aging');
    },
    browserTestMs,
  );
});
