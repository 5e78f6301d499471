/**
 * The console in a real Chromium against a real Kontor (SQLite): sign-in and out, a four-eyes
 * approval decided in the browser, a refused self-approval, the audit trail, the trial balance
 * and posting an entry through the form. One browser for the file, a fresh context per person.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { consoleContentSecurityPolicy } from '../../src/console/index.js';
import { launchChromium, seriousAccessibilityViolations } from '../support/browser.js';
import { TestApp, startTestApp } from '../support/app.js';

const book = 'console-gmbh';

/**
 * KONTOR_CONSOLE_SCREENSHOTS=1 writes the pictures of docs/console.md from these tests:
 *   KONTOR_CONSOLE_SCREENSHOTS=1 npx jest --selectProjects e2e test/e2e/console.e2e-spec.ts
 */
const screenshotsDir = join(__dirname, '..', '..', 'docs', 'console');
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.KONTOR_CONSOLE_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
const browserTestMs = 60_000;

describe('the console in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const keys: Record<'erika' | 'paul' | 'anna' | 'otto', string> = {} as never;
  const contexts: BrowserContext[] = [];
  /** Every request URL and page error of every page: no key in a URL, nothing blocked by CSP. */
  const requestUrls: string[] = [];
  const pageErrors: string[] = [];

  async function admin(method: string, path: string, body?: unknown) {
    const response = await app.request(method, path, { key: app.adminKey, body });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async function pageFor(language: 'de' | 'en' = 'de'): Promise<Page> {
    const context = await browser.newContext({
      baseURL: app.baseUrl,
      locale: language,
      viewport: { width: 1200, height: 760 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('request', (request) => requestUrls.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // HTTP error answers are expected (refusals under test); a script error or a CSP block is not.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(message.text());
    });
    if (language === 'en')
      await page.addInitScript({ content: "localStorage.setItem('kontor.lang', 'en')" });
    return page;
  }

  /** The key the console keeps (sessionStorage of the page's tab). */
  function storedKeyOf(page: Page): Promise<string | null> {
    return page.evaluate<string | null>("sessionStorage.getItem('kontor.apiKey')");
  }

  async function signIn(page: Page, key: string, hash = ''): Promise<void> {
    await page.goto(`/console${hash}`);
    await page.getByLabel(/API-Schlüssel|API key/).fill(key);
    await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
    await page.getByRole('button', { name: /^(Abmelden|Sign out)$/ }).waitFor();
  }

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startTestApp();
    keys.erika = await app.createKey('Erika Buchhalterin', ['accountant', 'approver']);
    keys.paul = await app.createKey('Paul Prüfer', ['approver']);
    keys.anna = await app.createKey('Anna Auditorin', ['auditor']);
    keys.otto = await app.createKey('Otto Buchhalter', ['accountant']);
    await admin('POST', '/v1/books', { id: book, name: 'Console GmbH', baseCurrency: 'EUR' });
    for (const [code, name, type] of [
      ['1200', 'Bank', 'asset'],
      ['6310', 'Miete', 'expense'],
      ['4400', 'Umsatzerlöse', 'revenue'],
    ])
      await admin('POST', `/v1/books/${book}/accounts`, { code, name, type });
    await admin('POST', `/v1/books/${book}/approval-policies`, {
      name: 'Vier Augen ab 10.000 €',
      action: 'journal-entry.post',
      condition: { minAmount: '10000.00', currency: 'EUR' },
      steps: [{ role: 'approver', approvals: 1 }],
    });
    // One entry inside the auditor's "as of 2026-03-31", one after it.
    await admin('POST', `/v1/books/${book}/journal-entries`, openingEntry('2026-03-02', '5000.00'));
    const { position } = await admin(
      'POST',
      `/v1/books/${book}/journal-entries`,
      openingEntry('2026-04-15', '700.00'),
    );
    await admin('GET', `/v1/books/${book}/trial-balance?consistentWith=${position}`);
  }, browserTestMs);

  function openingEntry(effectiveDate: string, amount: string) {
    return {
      effectiveDate,
      description: `Umsatz ${effectiveDate}`,
      lines: [
        { account: '1200', debit: amount },
        { account: '4400', credit: amount },
      ],
    };
  }

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
    for (const key of Object.values(keys)) {
      expect(requestUrls.filter((url) => url.includes(key))).toEqual([]);
    }
  });

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  async function requestApproval(by: string, description: string): Promise<string> {
    const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: by,
      body: {
        effectiveDate: '2026-03-31',
        description,
        lines: [
          { account: '6310', debit: '12500.00' },
          { account: '1200', credit: '12500.00' },
        ],
      },
    });
    expect(response.status).toBe(202);
    return response.body.approvalId;
  }

  it('is served by Kontor with a CSP that allows no inline script, and only its own files', async () => {
    const page = await app.request('GET', '/console');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(consoleContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = await app.request('GET', '/console/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy);
    const me = await app.request('GET', '/v1/me', { key: keys.erika });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(String),
      name: 'Erika Buchhalterin',
      roles: ['accountant', 'approver'],
    });
    expect((await app.request('GET', '/v1/me')).status).toBe(401);
    const withSlash = await app.request('GET', '/console/');
    expect(withSlash.status).toBe(200);
    expect(withSlash.body).toBe(page.body);
    for (const path of [
      '/console/assets/../../console.module.ts',
      '/console/assets/nope.js',
      '/console/assets/index.html',
      '/console/app.js',
    ])
      expect((await app.request('GET', path)).status).toBe(404);
  });

  it(
    'signs in with a key kept in sessionStorage (German by default), refuses a wrong key with the problem, and signs out',
    async () => {
      const page = await pageFor();
      await page.goto('/console');
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      await page.getByLabel('API-Schlüssel').fill('kontor_not_a_real_key_at_all_0000000000');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-problem')).toBe('unauthorized');
      await expectAccessible(page);
      // The check itself can fail: a button without a name is a critical violation.
      await page.evaluate(
        "document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' }))",
      );
      expect(
        (await seriousAccessibilityViolations(page)).map((violation) => violation.id),
      ).toContain('button-name');
      await page.evaluate("document.getElementById('nameless').remove()");
      expect(await storedKeyOf(page)).toBeNull();

      // Keyboard only: the key field, then Enter.
      await page.getByLabel('API-Schlüssel').focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(keys.otto);
      await page.keyboard.press('Enter');
      await page.getByText('Angemeldet: Otto Buchhalter').waitFor();
      expect(await storedKeyOf(page)).toBe(keys.otto);
      expect(page.url()).not.toContain(keys.otto);
      const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Bücher']);

      await page.getByLabel('Sprache').selectOption('en');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await storedKeyOf(page)).toBeNull();
    },
    browserTestMs,
  );

  it(
    'a revoked key ends the console session at the next request',
    async () => {
      const created = await admin('POST', '/v1/api-keys', {
        name: 'Rita Revoked',
        roles: ['auditor'],
      });
      const page = await pageFor();
      await signIn(page, created.key);
      await page.locator('[data-verify="ok"]').waitFor();
      await admin('DELETE', `/v1/api-keys/${created.id}`);
      await page.getByRole('link', { name: 'Bücher' }).click();
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      await page.getByText(/Sitzung ist beendet/).waitFor();
      expect(await storedKeyOf(page)).toBeNull();
    },
    browserTestMs,
  );

  it(
    'shows what records hold as text: markup in a description never runs',
    async () => {
      const hostile = '<img src=x onerror="window.kontorXss=1"><script>window.kontorXss=2</script>';
      const { id } = await admin('POST', `/v1/books/${book}/journal-entries`, {
        ...openingEntry('2026-03-03', '1.00'),
        description: hostile,
      });
      const page = await pageFor();
      await signIn(page, keys.otto, `#/books/${book}/entries`);
      const entry = page.locator(`li[data-entry="${id}"]`);
      await entry.waitFor();
      expect(await entry.textContent()).toContain(hostile);
      expect(await entry.locator('img, script').count()).toBe(0);
      expect(await page.evaluate<unknown>('window.kontorXss')).toBeUndefined();
    },
    browserTestMs,
  );

  it(
    'an approval requested by one key and approved by another in the browser runs exactly once',
    async () => {
      const description = `Miete Lager ${Date.now()}`;
      const approvalId = await requestApproval(keys.erika, description);
      const page = await pageFor();
      await signIn(page, keys.paul);
      const row = page.locator(`tr[data-approval="${approvalId}"]`);
      await row.waitFor();
      // A request made while the inbox is open appears on Refresh.
      const laterId = await requestApproval(keys.erika, `Später ${Date.now()}`);
      await page.getByRole('button', { name: 'Aktualisieren' }).click();
      await page.locator(`tr[data-approval="${laterId}"]`).waitFor();
      expect(await row.textContent()).toContain('12.500,00 EUR');
      expect(await row.textContent()).toContain('Erika Buchhalterin');
      await expectAccessible(page);
      await screenshot(page, 'inbox');
      await row.getByRole('link', { name: 'Prüfen und entscheiden' }).click();
      await page.getByRole('heading', { name: /Buchung · console-gmbh/ }).waitFor();
      const wouldPost = page.getByRole('table', { name: /nach der Freigabe gebucht/ });
      expect(await wouldPost.textContent()).toContain('6310 Miete');
      await expectAccessible(page);
      await screenshot(page, 'approval');
      await page.getByLabel(/Kommentar/).fill('Mietvertrag liegt vor');
      const approve = page.getByRole('button', { name: 'Freigeben' });
      await approve.click();
      const detail = page.locator(`section[data-approval="${approvalId}"][data-status="approved"]`);
      await detail.waitFor();
      expect(await detail.textContent()).toContain('freigegeben von Paul Prüfer');
      expect(await detail.textContent()).toContain('Mietvertrag liegt vor');
      // The decided request offers no decision any more: a second click cannot happen.
      expect(await page.getByRole('button', { name: 'Freigeben' }).count()).toBe(0);

      const approval = (
        await app.request('GET', `/v1/approvals/${approvalId}`, { key: app.adminKey })
      ).body;
      expect(approval.status).toBe('approved');
      expect(approval.result.status).toBe('executed');
      const entries = await app.request('GET', `/v1/books/${book}/journal-entries?limit=1000`, {
        key: app.adminKey,
      });
      const posted = entries.body.items.filter(
        (entry: { description: string }) => entry.description === description,
      );
      expect(posted).toHaveLength(1);
    },
    browserTestMs,
  );

  it(
    'a four-eyes self-approval is refused and shown as the API problem (segregation-of-duties)',
    async () => {
      const approvalId = await requestApproval(keys.erika, `Eigene Anfrage ${Date.now()}`);
      const page = await pageFor();
      await signIn(page, keys.erika, `#/inbox/${approvalId}`);
      await page.getByRole('heading', { name: /Buchung · console-gmbh/ }).waitFor();
      await page.getByRole('button', { name: 'Freigeben' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-problem')).toBe('segregation-of-duties');
      await screenshot(page, 'segregation-of-duties');
      expect(await alert.textContent()).toMatch(/403/);
      const approval = (
        await app.request('GET', `/v1/approvals/${approvalId}`, { key: app.adminKey })
      ).body;
      expect(approval.status).toBe('pending');
      expect(approval.steps[0].decisions).toEqual([]);
      // Her own request is not in her inbox at all.
      await page.getByRole('link', { name: /Zurück zu den Freigaben/ }).click();
      await page.getByRole('heading', { name: 'Freigaben für mich' }).waitFor();
      expect(await page.locator(`tr[data-approval="${approvalId}"]`).count()).toBe(0);
    },
    browserTestMs,
  );

  it(
    'the auditor sees the chain verified, the trail listed and filtered, and the trial balance as of a date',
    async () => {
      const page = await pageFor('en');
      await signIn(page, keys.anna);
      await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
      await page.locator('[data-verify="ok"]').waitFor();
      const digest = (await app.request('GET', '/v1/audit/digest', { key: app.adminKey })).body;
      expect(await page.locator('#digest-hash').textContent()).toBe(digest.hash);
      await page.locator('tr[data-type="BookOpened"]').first().waitFor();
      expect(await page.locator('tr[data-type]').count()).toBeGreaterThan(3);
      await expectAccessible(page);
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
      const exported = await app.request('GET', '/v1/audit/export?format=csv&type=AccountOpened', {
        key: app.adminKey,
      });
      // Each export is its own (recorded) event: same rows and digest, its own id in the trailer.
      const rows = (text: string) => text.split('\n# kontor-audit-export')[0];
      const digestOf = (text: string) => /sha256=([0-9a-f]{64})/.exec(text)?.[1];
      expect(rows(csv)).toBe(rows(exported.body));
      expect(digestOf(csv)).toBeDefined();
      expect(digestOf(csv)).toBe(digestOf(exported.body));
      expect(csv.match(/AccountOpened/g)).toHaveLength(3);

      await page.getByRole('link', { name: 'Books' }).click();
      await page.getByRole('link', { name: 'Console GmbH' }).click();
      await page.getByRole('heading', { name: /Console GmbH/ }).waitFor();
      expect(await page.getByRole('link', { name: 'New entry' }).count()).toBe(0);
      await page.getByLabel('As of (effective date)').fill('2026-03-31');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText(/as of 2026-03-31/).waitFor();
      await expectAccessible(page);
      await screenshot(page, 'trial-balance');
      const report = (
        await app.request('GET', `/v1/books/${book}/trial-balance?asOf=2026-03-31`, {
          key: app.adminKey,
        })
      ).body;
      const euro = report.currencies.find(
        (block: { currency: string }) => block.currency === 'EUR',
      );
      const all = (
        await app.request('GET', `/v1/books/${book}/trial-balance`, { key: app.adminKey })
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
      const page = await pageFor();
      await signIn(page, keys.otto, `#/books/${book}/balance-sheet`);
      const sheet = page.locator('.report[data-balanced="true"]');
      await sheet.waitFor();
      expect(await sheet.textContent()).toContain('Aktiva = Passiva.');
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Gewinn- und Verlustrechnung' }).click();
      await page.getByLabel('Von (Buchungsdatum)').fill('2026-04-01');
      await page.getByLabel('Bis (Buchungsdatum)').fill('2026-04-30');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.getByText(/01\.04\.2026 – 30\.04\.2026/).waitFor();
      const statement = (
        await app.request(
          'GET',
          `/v1/books/${book}/income-statement?from=2026-04-01&to=2026-04-30`,
          {
            key: app.adminKey,
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
        await app.request('GET', `/v1/books/${book}/accounts/4400/ledger`, { key: app.adminKey })
      ).body;
      const last = apiRegister.items.at(-1);
      const lastRow = register.locator('tbody tr').last();
      expect(await lastRow.getAttribute('data-entry')).toBe(last.entryId);
      expect(
        (await lastRow.locator('.balance').textContent())
          ?.replace(/\./g, '')
          .replace(',', '.')
          .replace('−', '-'),
      ).toBe(`${last.balance} EUR`);
      await expectAccessible(page);
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
      const page = await pageFor();
      await signIn(page, keys.otto, `#/books/${book}/post`);
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
      await expectAccessible(page);
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
      await expectAccessible(page);
      const stored = await app.request('GET', `/v1/books/${book}/journal-entries/${entryId}`, {
        key: app.adminKey,
      });
      expect(stored.body.description).toBe(description);
    },
    browserTestMs,
  );
});
