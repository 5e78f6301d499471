/**
 * The console in a real Chromium against a real Kontor: what it serves, sign-in and out, a
 * revoked key, records shown as text, a four-eyes approval decided in the browser and a refused
 * self-approval. Setup and the checks after each test: test/support/console-fixture.ts.
 */
import { consoleContentSecurityPolicy } from '../../src/console/index.js';
import { seriousAccessibilityViolations } from '../support/browser.js';
import { useConsoleFixture, book, browserTestMs, screenshot } from '../support/console-fixture.js';

describe('the console in Chromium: access and approvals', () => {
  const c = useConsoleFixture();

  it('is served by Kontor with a CSP that allows no inline script, and only its own files', async () => {
    const page = await c.app.request('GET', '/console');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(consoleContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = await c.app.request('GET', '/console/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy);
    const me = await c.app.request('GET', '/v1/me', { key: c.keys.erika });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(String),
      name: 'Erika Buchhalterin',
      roles: ['accountant', 'approver'],
    });
    expect((await c.app.request('GET', '/v1/me')).status).toBe(401);
    const withSlash = await c.app.request('GET', '/console/');
    expect(withSlash.status).toBe(200);
    expect(withSlash.body).toBe(page.body);
    for (const path of [
      '/console/assets/../../console.module.ts',
      '/console/assets/nope.js',
      '/console/assets/index.html',
      '/console/app.js',
    ])
      expect((await c.app.request('GET', path)).status).toBe(404);
  });

  it(
    'signs in to an httpOnly session cookie (German by default), refuses a wrong key with the problem, and signs out',
    async () => {
      const page = await c.pageFor();
      await page.goto('/console');
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      await page.getByLabel('API-Schlüssel').fill('kontor_not_a_real_key_at_all_0000000000');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-problem')).toBe('unauthorized');
      await c.expectAccessible(page);
      // The check itself can fail: a button without a name is a critical violation.
      await page.evaluate(
        "document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' }))",
      );
      expect(
        (await seriousAccessibilityViolations(page)).map((violation) => violation.id),
      ).toContain('button-name');
      await page.evaluate("document.getElementById('nameless').remove()");
      expect(await c.sessionCookieOf(page)).toBeUndefined();

      // Keyboard only: the key field, then Enter.
      await page.getByLabel('API-Schlüssel').focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(c.keys.otto);
      await page.keyboard.press('Enter');
      await page.getByText('Angemeldet: Otto Buchhalter').waitFor();
      const cookie = await c.sessionCookieOf(page);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(cookie!.value).not.toContain(c.keys.otto);
      // The key is nowhere the page's scripts could read it, nor in the URL.
      expect(await c.scriptStorageOf(page)).not.toContain(c.keys.otto);
      expect(await c.scriptStorageOf(page)).not.toContain(cookie!.value);
      expect(page.url()).not.toContain(c.keys.otto);
      // A reload keeps the session (the cookie), without asking for the key again.
      await page.reload();
      await page.getByText('Angemeldet: Otto Buchhalter').waitFor();
      const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Bücher']);

      await page.getByLabel('Sprache').selectOption('en');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await c.sessionCookieOf(page)).toBeUndefined();
      // Signed out is signed out on the server too: the old cookie value opens nothing.
      const again = await c.app.request('GET', '/v1/me', {
        headers: { cookie: `kontor_session=${cookie!.value}` },
      });
      expect(again.status).toBe(401);
    },
    browserTestMs,
  );

  it(
    'a revoked key ends the console session at the next request',
    async () => {
      const created = await c.admin('POST', '/v1/api-keys', {
        name: 'Rita Revoked',
        roles: ['auditor'],
      });
      const page = await c.pageFor();
      await c.signIn(page, created.key);
      await page.locator('[data-verify="ok"]').waitFor();
      await c.admin('DELETE', `/v1/api-keys/${created.id}`);
      await page.getByRole('link', { name: 'Bücher' }).click();
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      await page.getByText(/Sitzung ist beendet/).waitFor();
      // The session row is gone with the key, not merely refused.
      const cookie = await c.sessionCookieOf(page);
      const after = await c.app.request('GET', '/v1/console/session', {
        headers: { cookie: `kontor_session=${cookie?.value ?? ''}` },
      });
      expect(after.status).toBe(404);
    },
    browserTestMs,
  );

  it(
    'shows what records hold as text: markup in a description never runs',
    async () => {
      const hostile = '<img src=x onerror="window.kontorXss=1"><script>window.kontorXss=2</script>';
      const { id } = await c.admin('POST', `/v1/books/${book}/journal-entries`, {
        ...c.openingEntry('2026-03-03', '1.00'),
        description: hostile,
      });
      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${book}/entries`);
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
      const approvalId = await c.requestApproval(c.keys.erika, description);
      const page = await c.pageFor();
      await c.signIn(page, c.keys.paul);
      const row = page.locator(`tr[data-approval="${approvalId}"]`);
      await row.waitFor();
      // A request made while the inbox is open appears on Refresh.
      const laterId = await c.requestApproval(c.keys.erika, `Später ${Date.now()}`);
      await page.getByRole('button', { name: 'Aktualisieren' }).click();
      await page.locator(`tr[data-approval="${laterId}"]`).waitFor();
      expect(await row.textContent()).toContain('12.500,00 EUR');
      expect(await row.textContent()).toContain('Erika Buchhalterin');
      await c.expectAccessible(page);
      await screenshot(page, 'inbox');
      await row.getByRole('link', { name: 'Prüfen und entscheiden' }).click();
      await page.getByRole('heading', { name: /Buchung · console-gmbh/ }).waitFor();
      const wouldPost = page.getByRole('table', { name: /nach der Freigabe gebucht/ });
      expect(await wouldPost.textContent()).toContain('6310 Miete');
      await c.expectAccessible(page);
      await screenshot(page, 'approval');
      await page.getByLabel(/Kommentar/).fill('Mietvertrag liegt vor');
      const approve = page.getByRole('button', { name: 'Freigeben' });
      await approve.click();
      const detail = page.locator(`section[data-approval="${approvalId}"][data-status="approved"]`);
      await detail.waitFor();
      expect(await detail.textContent()).toContain('freigegeben von Paul Prüfer');
      expect(await detail.textContent()).toContain('Mietvertrag liegt vor');
      // The way of the request as an SVG timeline: requested, approved, executed.
      const timeline = detail.locator('svg[data-chart="timeline"][role="img"]');
      await timeline.locator('[data-milestone="executed"]').waitFor();
      expect(
        await timeline
          .locator('[data-milestone]')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-milestone'))),
      ).toEqual(['requested', 'approved', 'executed']);
      expect(await timeline.textContent()).toContain('freigegeben von Paul Prüfer');
      // The decided request offers no decision any more: a second click cannot happen.
      expect(await page.getByRole('button', { name: 'Freigeben' }).count()).toBe(0);

      const approval = (
        await c.app.request('GET', `/v1/approvals/${approvalId}`, { key: c.app.adminKey })
      ).body;
      expect(approval.status).toBe('approved');
      expect(approval.result.status).toBe('executed');
      const entries = await c.app.request('GET', `/v1/books/${book}/journal-entries?limit=1000`, {
        key: c.app.adminKey,
      });
      const posted = entries.body.items.filter(
        (entry: { description: string }) => entry.description === description,
      );
      expect(posted).toHaveLength(1);
    },
    browserTestMs,
  );

  it(
    'four eyes in two browsers: Erika submits in hers, Paul sees it arrive live (SSE) and approves; a request decided elsewhere leaves his inbox by itself',
    async () => {
      const paul = await c.pageFor();
      await c.signIn(paul, c.keys.paul, '#/inbox');
      await paul.locator('section[data-inbox][data-live="on"]').waitFor();

      const erika = await c.pageFor();
      await c.signIn(erika, c.keys.erika, `#/books/${book}/post`);
      const form = erika.getByRole('form', { name: 'Neue Buchung' });
      const description = `Miete Büro ${Date.now()}`;
      await form.getByLabel('Buchungstext').fill(description);
      await form.getByLabel('Buchungsdatum').fill('2026-03-30');
      await form.getByLabel('Konto', { exact: true }).nth(0).fill('6310');
      await form.getByLabel('Soll', { exact: true }).nth(0).fill('15000.00');
      await form.getByLabel('Konto', { exact: true }).nth(1).fill('1200');
      await form.getByLabel('Haben', { exact: true }).nth(1).fill('15000.00');
      await form.getByRole('button', { name: 'Buchen' }).click();
      const submitted = form.locator('.success', { hasText: 'Zur Freigabe vorgelegt' });
      await submitted.waitFor();
      const approvalId = /(\S+)$/.exec((await submitted.textContent())!.trim())![1]!;

      // No click on "Aktualisieren": the feed brings it.
      const row = paul.locator(`tr[data-approval="${approvalId}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('15.000,00 EUR');
      expect(await row.textContent()).toContain('Erika Buchhalterin');
      await row.getByRole('link', { name: 'Prüfen und entscheiden' }).click();
      await paul.getByRole('button', { name: 'Freigeben' }).click();
      await paul
        .locator(`section[data-approval="${approvalId}"][data-status="approved"]`)
        .waitFor();
      const posted = await c.app.request('GET', `/v1/approvals/${approvalId}`, {
        key: c.app.adminKey,
      });
      expect(posted.body.result.status).toBe('executed');

      await paul.getByRole('link', { name: /Zurück zu den Freigaben/ }).click();
      await paul.locator('section[data-inbox][data-live="on"]').waitFor();
      const elsewhere = await c.requestApproval(c.keys.erika, `Anderswo ${Date.now()}`);
      const other = paul.locator(`tr[data-approval="${elsewhere}"]`);
      await other.waitFor();
      const cancelled = await c.app.request('POST', `/v1/approvals/${elsewhere}/cancel`, {
        key: c.keys.erika,
        body: { reason: 'doppelt erfasst' },
      });
      expect(cancelled.status).toBe(200);
      await other.waitFor({ state: 'detached' });
    },
    browserTestMs,
  );

  it(
    'a four-eyes self-approval is refused and shown as the API problem (segregation-of-duties)',
    async () => {
      const approvalId = await c.requestApproval(c.keys.erika, `Eigene Anfrage ${Date.now()}`);
      const page = await c.pageFor();
      await c.signIn(page, c.keys.erika, `#/inbox/${approvalId}`);
      await page.getByRole('heading', { name: /Buchung · console-gmbh/ }).waitFor();
      await page.getByRole('button', { name: 'Freigeben' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-problem')).toBe('segregation-of-duties');
      await screenshot(page, 'segregation-of-duties');
      expect(await alert.textContent()).toMatch(/403/);
      const approval = (
        await c.app.request('GET', `/v1/approvals/${approvalId}`, { key: c.app.adminKey })
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
});
