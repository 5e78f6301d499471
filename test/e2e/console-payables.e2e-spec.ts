import { readFileSync } from 'node:fs';
import { join } from 'node:path';
/**
 * The console's incoming invoices in a real Chromium: an XRechnung of the KoSIT test suite
 * uploaded over the API, listed, shown readably, its original downloaded, booked and held; a
 * camt.053 statement listed and its waiting line assigned through the form.
 */
import { upload } from '../support/binary-upload.js';
import { camt053 } from '../support/camt053.js';
import {
  useConsoleFixture,
  browserTestMs,
  screenshot,
  streamText,
} from '../support/console-fixture.js';

describe('the console in Chromium: incoming invoices and bank statements', () => {
  const c = useConsoleFixture();

  it(
    'incoming invoices: an uploaded XRechnung listed, shown readably, its original downloaded, booked; a failed rule shown; a held booking',
    async () => {
      const payables = 'console-einkauf';
      await c.admin('POST', '/v1/books', {
        id: payables,
        name: 'Console Einkauf GmbH',
        baseCurrency: 'EUR',
        chart: 'skr03',
      });
      const receive = (bytes: Buffer | string) =>
        upload(
          c.app,
          `/v1/books/${payables}/incoming-invoices`,
          bytes,
          'application/xml',
          c.keys.otto,
        );
      const xml = readFileSync(
        join(__dirname, '..', 'fixtures', 'xrechnung-testsuite', '01.01a-INVOICE_ubl.xml'),
      );
      const received = await receive(xml);
      expect(received.status).toBe(201);
      const invoice = received.body;
      const detail = (
        await c.app.request('GET', `/v1/books/${payables}/incoming-invoices/${invoice.id}`, {
          key: c.app.adminKey,
        })
      ).body;

      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${payables}/incoming-invoices`);
      const row = page.locator(`tr[data-incoming="${invoice.id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('received');
      const rowText = await row.textContent();
      expect(rowText).toContain(invoice.number);
      expect(rowText).toContain(invoice.sellerName);
      expect(rowText).toContain('336,90 EUR');
      await c.expectAccessible(page);

      await row.getByRole('link', { name: invoice.number }).click();
      await page.getByRole('heading', { name: `Eingangsrechnung ${invoice.number}` }).waitFor();
      expect(await page.locator('[data-view="incoming-lines"]').textContent()).toContain(
        detail.lines[0].text,
      );
      expect(await page.locator('[data-total="gross"]').textContent()).toBe('336,90 EUR');
      expect(await page.locator('[data-view="incoming-vat"] tbody tr').count()).toBe(
        detail.vatBreakdown.length,
      );
      await c.expectAccessible(page);
      await screenshot(page, 'incoming-invoice');

      const [original] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Original herunterladen' }).click(),
      ]);
      expect(original.suggestedFilename()).toBe(`${invoice.number}.xml`);
      expect(await streamText(await original.createReadStream())).toBe(xml.toString('utf8'));

      await page.getByRole('button', { name: 'Buchen (Standard-Kontierung)' }).click();
      const outcome = page.locator('[data-outcome="booked"]');
      await outcome.waitFor();
      const booked = (
        await c.app.request('GET', `/v1/books/${payables}/incoming-invoices/${invoice.id}`, {
          key: c.app.adminKey,
        })
      ).body;
      expect(booked.status).toBe('booked');
      expect(await outcome.textContent()).toBe(`Gebucht: Buchung ${booked.entryId}.`);
      await c.expectAccessible(page);

      // A payable amount that breaks BR-CO-16: received, with the rule shown by its id.
      const wrong = xml
        .toString('utf8')
        .replace('<cbc:ID>123456XX</cbc:ID>', '<cbc:ID>123456XY</cbc:ID>')
        .replace(
          /<cbc:PayableAmount currencyID="EUR">[^<]*</,
          '<cbc:PayableAmount currencyID="EUR">1.00<',
        );
      const flawed = await receive(wrong);
      expect(flawed.status).toBe(201);
      expect(flawed.body.validation.errors.map((e: { rule: string }) => e.rule)).toContain(
        'BR-CO-16',
      );
      await page.getByRole('link', { name: 'Alle Eingangsrechnungen' }).click();
      await page.getByRole('link', { name: 'gebucht' }).click();
      await page.locator(`tr[data-incoming="${invoice.id}"][data-status="booked"]`).waitFor();
      expect(await page.locator('tr[data-incoming]').count()).toBe(1);
      await page.getByRole('link', { name: 'eingegangen' }).click();
      const flawedRow = page.locator(`tr[data-incoming="${flawed.body.id}"]`);
      await flawedRow.waitFor();
      expect(await flawedRow.textContent()).toContain('mit Fehlern');
      await flawedRow.getByRole('link', { name: '123456XY' }).click();
      await page.locator('[data-validation="invalid"] [data-rule="BR-CO-16"]').waitFor();
      await c.expectAccessible(page);

      // A policy on incoming-invoice.book holds the booking: the console says so (202).
      await c.admin('POST', `/v1/books/${payables}/approval-policies`, {
        name: 'Eingangsrechnungen vier Augen',
        action: 'incoming-invoice.book',
        condition: { minAmount: '1.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
      });
      await page.getByRole('button', { name: 'Buchen (Standard-Kontierung)' }).click();
      const held = page.locator('[data-outcome="pending_approval"]');
      await held.waitFor();
      expect(await held.textContent()).toMatch(/^Zur Freigabe vorgelegt: \S+\.$/);
      const stillOpen = await c.app.request(
        'GET',
        `/v1/books/${payables}/incoming-invoices/${flawed.body.id}`,
        { key: c.app.adminKey },
      );
      expect(stillOpen.body.status).toBe('received');
    },
    browserTestMs,
  );

  it(
    'bank statements: the imported statement listed, its waiting fee line assigned to an account through the form',
    async () => {
      const bank = 'console-bank';
      await c.admin('POST', '/v1/books', {
        id: bank,
        name: 'Console Bank GmbH',
        baseCurrency: 'EUR',
        chart: 'skr03',
      });
      const xml = camt053([
        {
          id: 'AUSZUG-2027-01',
          iban: 'DE02120300000000202051',
          entries: [
            {
              reference: 'GEB-1',
              amount: '4.90',
              direction: 'DBIT',
              date: '2027-01-31',
              transactions: [
                { amount: '4.90', remittance: 'Kontoführung Januar', counterpartyName: 'Bank AG' },
              ],
            },
          ],
        },
      ]);
      const imported = await upload(
        c.app,
        `/v1/books/${bank}/bank-statements?account=1200`,
        xml,
        'application/xml',
        c.keys.otto,
      );
      expect([imported.status, imported.body.unmatched]).toEqual([201, 1]);

      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${bank}/bank-statements`);
      const row = page.locator(`tr[data-statement="${imported.body.id}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('AUSZUG-2027-01');
      expect(await row.locator('[data-waiting]').textContent()).toBe('1');
      await c.expectAccessible(page);

      await row.getByRole('link', { name: 'AUSZUG-2027-01' }).click();
      await page.getByRole('heading', { name: 'Kontoauszug AUSZUG-2027-01' }).waitFor();
      const line = page.locator('tr[data-line="1"]');
      expect(await line.textContent()).toContain('Kontoführung Januar');
      await c.expectAccessible(page);
      const form = page.getByRole('form', { name: 'Umsatz 1 zuordnen' });
      await form.getByLabel('Gegen').selectOption('account');
      await form.getByLabel('Rechnungsnummer oder Konto').fill('4970');
      await form.getByRole('button', { name: 'Zuordnen' }).click();
      await page.locator('[data-outcome="assigned"]').waitFor();
      expect(await page.locator('[data-outcome="assigned"]').textContent()).toBe(
        'Umsatz 1 zugeordnet: 4970.',
      );
      await page.locator('[data-waiting="0"]').waitFor();
      const lines = await c.app.request(
        'GET',
        `/v1/books/${bank}/bank-statements/${imported.body.id}/lines?status=assigned`,
        { key: c.app.adminKey },
      );
      expect(lines.body.items.map((l: { matchedTo: string }) => l.matchedTo)).toEqual(['4970']);
      await c.expectAccessible(page);
    },
    browserTestMs,
  );
});
