/**
 * The console in Chromium: the auditor's tax and audit tab (VAT return, DATEV and GoBD
 * downloads, late bookings) against the API's answers. The replay, documents and an entry's
 * events: console-replay. Setup and the checks after each test: test/support/console-fixture.ts.
 */
import { readFile } from 'node:fs/promises';
import {
  browserTestMs,
  german,
  screenshot,
  useConsoleFixture,
} from '../support/console-fixture.js';

describe('the console in Chromium: replay, documents, tax and audit', () => {
  const c = useConsoleFixture();

  it(
    "the auditor's tax and audit tab: the VAT return, DATEV and GoBD files byte for byte, the late bookings, as the API has them",
    async () => {
      const taxBook = 'console-steuer';
      await c.admin('POST', '/v1/books', {
        id: taxBook,
        name: 'Steuer GmbH',
        baseCurrency: 'EUR',
        chart: 'skr03',
      });
      const post = (effectiveDate: string, lines: object[]) =>
        c.admin('POST', `/v1/books/${taxBook}/journal-entries`, {
          effectiveDate,
          description: `Buchung ${effectiveDate}`,
          reference: `RE-${effectiveDate}`,
          lines,
          tax: 'auto',
        });
      await post('2026-03-10', [
        { account: '1400', debit: '1190.00' },
        { account: '8400', credit: '1000.00', taxCode: 'USt19' },
      ]);
      const { position } = await post('2026-03-12', [
        { account: '3400', debit: '400.00', taxCode: 'VSt19' },
        { account: '1600', credit: '476.00' },
      ]);
      const vatReturn = await c.admin(
        'GET',
        `/v1/books/${taxBook}/reports/vat-return?period=2026-Q1&consistentWith=${position}`,
      );
      expect(Object.keys(vatReturn.fields)).toEqual(['66', '81', '83']);

      const page = await c.pageFor();
      await c.signIn(page, c.keys.anna, `#/books/${taxBook}/tax`);
      const vat = page.locator('[data-view="vat-return"]');
      await vat.getByLabel('Monat', { exact: true }).fill('2026-02');
      await vat.getByLabel('Voranmeldungszeitraum').selectOption('quarter');
      await vat.getByRole('button', { name: 'Anzeigen' }).click();
      const table = vat.locator('table[data-period="2026-Q1"]');
      await table.waitFor();
      const germanNumber = (amount?: string) =>
        amount ? german(amount).slice(0, -' EUR'.length) : '';
      expect(await table.locator('tbody tr').count()).toBe(3);
      for (const [number, amounts] of Object.entries<{ base?: string; tax?: string }>(
        vatReturn.fields,
      ))
        expect(
          await table.locator(`tr[data-field="${number}"]`).locator('th, td').allTextContents(),
        ).toEqual([number, germanNumber(amounts.base), germanNumber(amounts.tax)]);
      expect(await table.locator('tr[data-field="81"]').textContent()).toBe('811.000,00190,00');
      expect(await vat.locator('.reconciliation').getAttribute('data-agrees')).toBe(
        String(vatReturn.reconciliation.agrees),
      );
      expect(await vat.locator('[data-amount="booked"]').textContent()).toBe(
        german(vatReturn.reconciliation.booked),
      );
      await c.expectAccessible(page);
      await screenshot(page, 'tax');

      // Without the book's DATEV numbers the API refuses (422), and the console shows its problem.
      const datev = page.locator('[data-view="datev"]');
      await datev.getByLabel('Von (Buchungsdatum)').fill('2026-03-01');
      await datev.getByLabel('Bis (Buchungsdatum)').fill('2026-03-31');
      await datev.getByRole('button', { name: 'Herunterladen' }).click();
      const refused = datev.getByRole('alert');
      await refused.waitFor();
      expect(await refused.textContent()).toContain('422');
      await c.admin('PUT', `/v1/books/${taxBook}/settings/datev`, {
        consultantNumber: 1234567,
        clientNumber: 12345,
        accountLength: 4,
      });
      const datevPath = `/v1/books/${taxBook}/exports/datev?kind=bookings&from=2026-03-01&to=2026-03-31`;
      const [datevFile] = await Promise.all([
        page.waitForEvent('download'),
        datev.getByRole('button', { name: 'Herunterladen' }).click(),
      ]);
      const fromApi = await apiFile(datevPath);
      expect(datevFile.suggestedFilename()).toBe(
        `EXTF_Buchungsstapel_${taxBook}_2026-03-01_2026-03-31.csv`,
      );
      expect(fromApi.disposition).toContain(datevFile.suggestedFilename());
      // The header's creation time (YYYYMMDDHHMMSSFFF) is the time of each request; all else equal.
      const created = /^("EXTF";700;21;"Buchungsstapel";13;)\d{17};/;
      const downloaded = await readFile(await datevFile.path());
      expect(downloaded.toString('latin1')).toMatch(created);
      expect(downloaded.toString('latin1').replace(created, '$1;')).toBe(
        fromApi.bytes.toString('latin1').replace(created, '$1;'),
      );
      expect(downloaded.toString('latin1')).toContain('RE-2026-03-10');

      const gobd = page.locator('[data-view="gobd"]');
      await gobd.getByLabel('Wirtschaftsjahr').fill('2026');
      const [zip] = await Promise.all([
        page.waitForEvent('download'),
        gobd.getByRole('button', { name: 'Herunterladen' }).click(),
      ]);
      expect(zip.suggestedFilename()).toBe(`GoBD-Z3_${taxBook}_2026.zip`);
      const zipFromApi = await apiFile(`/v1/books/${taxBook}/exports/gobd?fiscalYear=2026`);
      expect((await readFile(await zip.path())).equals(zipFromApi.bytes)).toBe(true);
      await gobd.locator(`[data-saved="GoBD-Z3_${taxBook}_2026.zip"]`).waitFor();

      // Both entries were recorded today, months after their March dates: late.
      const late = await c.admin(
        'GET',
        `/v1/books/${taxBook}/reports/late-bookings?from=2026-03-01&to=2026-03-31&days=10`,
      );
      expect(late.items).toHaveLength(2);
      const lateView = page.locator('[data-view="late-bookings"]');
      await lateView.getByLabel('Von (Buchungsdatum)').fill('2026-03-01');
      await lateView.getByLabel('Bis (Buchungsdatum)').fill('2026-03-31');
      await lateView.getByRole('button', { name: 'Anzeigen' }).click();
      await lateView.getByText('Verspätete Buchungen (mehr als 10 Tage)').waitFor();
      const rows = lateView.locator('table tbody tr');
      expect(
        await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-entry'))),
      ).toEqual(late.items.map((item: { entryId: string }) => item.entryId));
      expect(await rows.first().locator('td.num').textContent()).toBe(
        String(late.items[0].delayDays),
      );
      await c.expectAccessible(page);
    },
    browserTestMs,
  );

  /** An export as the API serves it to the admin: its bytes and its Content-Disposition. */
  async function apiFile(path: string) {
    const response = await fetch(`${c.app.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${c.app.adminKey}` },
    });
    expect(response.status).toBe(200);
    return {
      bytes: Buffer.from(await response.arrayBuffer()),
      disposition: response.headers.get('content-disposition') ?? '',
    };
  }
});
