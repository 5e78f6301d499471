/**
 * The console's browser tests' shared setup: a real Kontor (SQLite) with a book, accounts and a
 * four-eyes policy, one Chromium for the file, a fresh context per person, and after each test
 * the checks every page must pass (no script error or CSP block, no key in any request URL).
 *
 *   describe('…', () => { const c = useConsoleFixture(); it('…', async () => { const page = await c.pageFor(); … }); });
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import type { Clock } from '../../src/event-sourcing/index.js';
import { launchChromium, seriousAccessibilityViolations } from './browser.js';
import { TestApp, startTestApp } from './app.js';

export const book = 'console-gmbh';
export const browserTestMs = 60_000;

/**
 * KONTOR_CONSOLE_SCREENSHOTS=1 writes the pictures of docs/console.md from these tests:
 *   KONTOR_CONSOLE_SCREENSHOTS=1 npx jest --selectProjects e2e test/e2e/console
 */
const screenshotsDir = join(__dirname, '..', '..', 'docs', 'console');
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.KONTOR_CONSOLE_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** "1428.00" as the console shows it in German: "1.428,00 EUR". */
export function german(amount: string): string {
  const [whole, fraction] = amount.split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${fraction} EUR`;
}

export async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export function useConsoleFixture(options: { clock?: Clock } = {}) {
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

  /** The console's session cookie in the page's browser context, if it holds one. */
  async function sessionCookieOf(page: Page): Promise<Cookie | undefined> {
    const cookies = await page.context().cookies();
    return cookies.find((cookie) => cookie.name === 'kontor_session');
  }

  /** Everything the page's scripts keep (the key must be in none of it). */
  function scriptStorageOf(page: Page): Promise<string> {
    return page.evaluate<string>(
      'JSON.stringify([{ ...sessionStorage }, { ...localStorage }, document.cookie])',
    );
  }

  async function signIn(page: Page, key: string, hash = ''): Promise<void> {
    await page.goto(`/console${hash}`);
    await page.getByLabel(/API-Schlüssel|API key/).fill(key);
    await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
    await page.getByRole('button', { name: /^(Abmelden|Sign out)$/ }).waitFor();
  }

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startTestApp(options.clock ? { clock: options.clock } : {});
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

  return {
    get app(): TestApp {
      return app;
    },
    keys,
    admin,
    pageFor,
    sessionCookieOf,
    scriptStorageOf,
    signIn,
    openingEntry,
    expectAccessible,
    requestApproval,
  };
}
