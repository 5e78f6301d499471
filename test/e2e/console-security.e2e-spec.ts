/**
 * The console's session (docs/adr/0018) attacked: state changes without or with a wrong CSRF
 * token, a planted session cookie, an auditor reaching for a write, a revoked key, expiry on the
 * injected clock, requests from another site, the sign-in brake; and the security headers on
 * every page and file the console serves.
 */
import type { Page } from 'playwright-core';
import { consoleContentSecurityPolicy } from '../../src/console/index.js';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { useConsoleFixture, book, browserTestMs } from '../support/console-fixture.js';

const clock = new ManualClock(new Date('2026-12-01T09:00:00.000Z'));
const minute = 60_000;

interface SignedIn {
  cookie: string;
  csrfToken: string;
}

describe('the console session under attack', () => {
  const c = useConsoleFixture({ clock });

  /** Signs in over the API as the console does; the cookie header to send back and the token. */
  async function signIn(key: string, cookie?: string): Promise<SignedIn> {
    const response = await c.app.request('POST', '/v1/console/session', {
      body: { key },
      ...(cookie ? { headers: { cookie } } : {}),
    });
    expect(response.status).toBe(201);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^kontor_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    return { cookie: setCookie.split(';')[0]!, csrfToken: response.body.csrfToken };
  }

  function entry(description: string) {
    return {
      effectiveDate: '2026-03-10',
      description,
      lines: [
        { account: '1200', debit: '10.00' },
        { account: '4400', credit: '10.00' },
      ],
    };
  }

  async function head(): Promise<string> {
    return String(await c.app.store.headPosition());
  }

  /** A fetch from inside the signed-in page: the browser sends the cookie itself. */
  function fetchInPage(
    page: Page,
    method: string,
    path: string,
    headers: object,
    body?: object,
  ): Promise<{ status: number; body: any }> {
    return page.evaluate(
      async ([m, p, h, b]) => {
        const response = await fetch(p as string, {
          method: m as string,
          headers: { 'content-type': 'application/json', ...(h as object) },
          ...(b ? { body: JSON.stringify(b) } : {}),
        });
        return { status: response.status, body: await response.json() };
      },
      [method, path, headers, body] as const,
    );
  }

  it('changes nothing without the session CSRF token, a wrong one, or from another site', async () => {
    const otto = await signIn(c.keys.otto);
    const before = await head();
    const path = `/v1/books/${book}/journal-entries`;
    const attempts: Record<string, string>[] = [
      { cookie: otto.cookie },
      { cookie: otto.cookie, 'x-csrf-token': 'A'.repeat(43) },
      { cookie: otto.cookie, 'x-csrf-token': '' },
      { cookie: otto.cookie, 'x-csrf-token': otto.csrfToken, 'sec-fetch-site': 'cross-site' },
      { cookie: otto.cookie, 'x-csrf-token': otto.csrfToken, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const refused = await c.app.request('POST', path, { headers, body: entry('CSRF') });
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('/problems/forbidden');
      expect(refused.body.detail).toMatch(/CSRF token|own origin/);
    }
    // Another session's token does not fit this session.
    const other = await signIn(c.keys.otto);
    const foreign = await c.app.request('POST', path, {
      headers: { cookie: otto.cookie, 'x-csrf-token': other.csrfToken },
      body: entry('CSRF'),
    });
    expect(foreign.status).toBe(403);
    const signOut = await c.app.request('DELETE', '/v1/console/session', {
      headers: { cookie: otto.cookie },
    });
    expect(signOut.status).toBe(403);
    expect(await head()).toBe(before);

    // Reads need no token; with it, the same write goes through.
    const me = await c.app.request('GET', '/v1/me', { headers: { cookie: otto.cookie } });
    expect(me.body.name).toBe('Otto Buchhalter');
    const posted = await c.app.request('POST', path, {
      headers: { cookie: otto.cookie, 'x-csrf-token': otto.csrfToken },
      body: entry('mit Token'),
    });
    expect(posted.status).toBe(201);
    expect(await head()).not.toBe(before);
  });

  it(
    'in the browser: a direct fetch with the cookie but without the token is 403 and changes nothing',
    async () => {
      const page = await c.pageFor();
      await c.signIn(page, c.keys.otto, `#/books/${book}/post`);
      const before = await head();
      const refused = await fetchInPage(
        page,
        'POST',
        `/v1/books/${book}/journal-entries`,
        {},
        entry('ohne Token'),
      );
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toContain('X-CSRF-Token'.toLowerCase());
      expect(await head()).toBe(before);
    },
    browserTestMs,
  );

  it('a planted session cookie is never adopted: sign-in makes a new id and ends the one sent', async () => {
    const planted = `kontor_session=${'x'.repeat(43)}`;
    const mine = await signIn(c.keys.otto, planted);
    expect(mine.cookie).not.toBe(planted);
    expect((await c.app.request('GET', '/v1/me', { headers: { cookie: planted } })).status).toBe(
      401,
    );
    // A victim's live session sent along to a sign-in (with the attacker's key) is ended, not reused.
    const victim = await signIn(c.keys.erika);
    const attacker = await signIn(c.keys.otto, victim.cookie);
    expect(attacker.cookie).not.toBe(victim.cookie);
    expect(
      (await c.app.request('GET', '/v1/me', { headers: { cookie: victim.cookie } })).status,
    ).toBe(401);
    const me = await c.app.request('GET', '/v1/me', { headers: { cookie: attacker.cookie } });
    expect(me.body.name).toBe('Otto Buchhalter');
  });

  it(
    "in the browser: a cookie set before sign-in is replaced; an auditor's session cannot reach a write",
    async () => {
      const page = await c.pageFor();
      await page
        .context()
        .addCookies([{ name: 'kontor_session', value: 'y'.repeat(43), url: c.app.baseUrl }]);
      await c.signIn(page, c.keys.anna);
      const cookie = await c.sessionCookieOf(page);
      expect(cookie!.value).not.toBe('y'.repeat(43));
      expect(cookie!.httpOnly).toBe(true);
      const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Prüfpfad', 'Bücher']);

      const before = await head();
      const session = await fetchInPage(page, 'GET', '/v1/console/session', {});
      const token = { 'x-csrf-token': session.body.csrfToken };
      for (const [method, path, body] of [
        ['POST', `/v1/books/${book}/journal-entries`, entry('Prüferin bucht')],
        ['POST', '/v1/api-keys', { name: 'Hintertür', roles: ['admin'] }],
        ['POST', `/v1/books/${book}/accounts`, { code: '9999', name: 'X', type: 'asset' }],
      ] as const) {
        const refused = await fetchInPage(page, method, path, token, body);
        expect(refused.status).toBe(403);
        expect(refused.body.detail).toMatch(/lacks the permission/);
      }
      expect(await head()).toBe(before);
    },
    browserTestMs,
  );

  it('a revoked key ends its sessions at once, on every request', async () => {
    const created = await c.admin('POST', '/v1/api-keys', { name: 'Rolf', roles: ['accountant'] });
    const first = await signIn(created.key);
    const second = await signIn(created.key);
    expect(
      (await c.app.request('GET', '/v1/me', { headers: { cookie: first.cookie } })).status,
    ).toBe(200);
    await c.admin('DELETE', `/v1/api-keys/${created.id}`);
    for (const session of [first, second]) {
      const refused = await c.app.request('POST', `/v1/books/${book}/journal-entries`, {
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        body: entry('nach Widerruf'),
      });
      expect(refused.status).toBe(401);
    }
    expect(
      (await c.app.request('GET', '/v1/console/session', { headers: { cookie: first.cookie } }))
        .status,
    ).toBe(404);
    expect(
      (await c.app.request('POST', '/v1/console/session', { body: { key: created.key } })).status,
    ).toBe(401);
  });

  it('ends a session after the idle time and after the absolute time, on the injected clock', async () => {
    const idle = await signIn(c.keys.paul);
    const asMe = (s: SignedIn) => c.app.request('GET', '/v1/me', { headers: { cookie: s.cookie } });
    clock.advance(29 * minute);
    expect((await asMe(idle)).status).toBe(200);
    // Used at 29 min: the idle time counts from there.
    clock.advance(29 * minute);
    expect((await asMe(idle)).status).toBe(200);
    clock.advance(30 * minute);
    const ended = await asMe(idle);
    expect(ended.status).toBe(401);
    expect(ended.body.detail).toContain('console session has ended');

    const busy = await signIn(c.keys.paul);
    const expiresAt = (
      await c.app.request('GET', '/v1/console/session', { headers: { cookie: busy.cookie } })
    ).body.expiresAt;
    expect(new Date(expiresAt).getTime() - clock.now().getTime()).toBe(12 * 60 * minute);
    for (let used = 0; used < 12 * 3 - 1; used += 1) {
      clock.advance(20 * minute);
      expect((await asMe(busy)).status).toBe(200);
    }
    clock.advance(20 * minute);
    expect((await asMe(busy)).status).toBe(401);
  });

  it('sends the CSP without inline script and the security headers with every page and file', async () => {
    const paths = [
      '/console',
      '/console/',
      '/console/assets/app.js',
      '/console/assets/console.css',
      '/console/vendor/d3-scale.js',
      '/console/vendor/d3-shape.js',
    ];
    for (const file of [
      'api.js',
      'views/inbox.js',
      'views/live-inbox.js',
      'views/audit.js',
      'views/books.js',
    ])
      paths.push(`/console/assets/${file}`);
    for (const path of paths) {
      const response = await c.app.request('GET', path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
    expect(consoleContentSecurityPolicy).toContain("script-src 'self'");
    expect(consoleContentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval/);
    const session = await c.app.request('POST', '/v1/console/session', {
      body: { key: c.keys.paul },
    });
    expect(session.headers.get('cache-control')).toMatch(/no-store/);
  });

  // Last: it leaves this address over the brake for a minute (valid keys still work).
  it('counts failed sign-ins against the brake: 429 once over the limit, a valid key still signs in', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt += 1) {
      const response = await c.app.request('POST', '/v1/console/session', {
        body: { key: `kontor_wrong_${attempt}` },
      });
      statuses.push(response.status);
    }
    // Earlier refusals of this file within the minute count too: 401s, then only 429s.
    const firstBraked = statuses.indexOf(429);
    expect(firstBraked).toBeGreaterThan(0);
    expect(statuses.slice(0, firstBraked).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstBraked).every((status) => status === 429)).toBe(true);
    await signIn(c.keys.paul);
  });
});
