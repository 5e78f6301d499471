// The console's shell: sign-in, navigation by the key's roles, and the hash router
// (#/inbox, #/audit, #/books/<book>/<tab>). The server decides every permission; the roles here
// only choose which views to offer.
import { api, useCsrfToken, whenUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import { problemView } from './problem.js';
import { announce, can, onRefresh, session } from './session.js';
import { auditView } from './views/audit.js';
import { booksView } from './views/books.js';
import { inboxView } from './views/inbox.js';
import { stopFollowingInbox } from './views/live-inbox.js';

const views = [
  { path: 'inbox', label: 'nav.inbox', roles: ['approver', 'admin'], render: inboxView },
  {
    path: 'audit',
    label: 'nav.audit',
    roles: ['auditor', 'compliance', 'admin'],
    render: auditView,
  },
  {
    path: 'books',
    label: 'nav.books',
    roles: ['accountant', 'approver', 'auditor', 'compliance', 'admin'],
    render: booksView,
  },
];

function allowed(view) {
  return can(view.roles);
}

function main() {
  return document.getElementById('main');
}

function renderChrome() {
  document.title = t('app.title');
  document.getElementById('lang-label').textContent = t('app.language');
  document.getElementById('nav').setAttribute('aria-label', t('nav.label'));
  const signOut = document.getElementById('sign-out');
  signOut.textContent = t('app.signOut');
  signOut.hidden = !session.me;
  replace(
    document.getElementById('who'),
    session.me ? t('app.signedInAs', { name: session.me.name }) : '',
  );
  const current = location.hash.slice(2).split('/')[0];
  replace(
    document.getElementById('nav'),
    session.me
      ? h(
          'ul',
          {},
          views
            .filter(allowed)
            .map((view) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `#/${view.path}`, 'aria-current': view.path === current ? 'page' : null },
                  t(view.label),
                ),
              ),
            ),
        )
      : null,
  );
}

function signInView() {
  const keyInput = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'api-key-hint',
  });
  const errors = h('div', { 'aria-live': 'assertive' });
  const form = h(
    'form',
    { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1' }, t('signIn.title')),
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, t('signIn.key')), keyInput),
    h('small', { id: 'api-key-hint', class: 'hint' }, t('signIn.hint')),
    errors,
    h('button', { type: 'submit' }, t('signIn.submit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(errors);
    const key = keyInput.value.trim();
    try {
      const { body } = await api('POST', '/v1/console/session', {
        body: { key },
        signingIn: true,
      });
      keyInput.value = '';
      useCsrfToken(body.csrfToken);
      session.me = body;
      announce(t('signIn.done', { name: body.name }));
      const target = viewOf(location.hash);
      if (!target || !allowed(target)) {
        const first = views.find(allowed);
        history.replaceState(null, '', `#/${first ? first.path : ''}`);
      }
      route();
    } catch (error) {
      replace(errors, problemView(error));
    }
  });
  return form;
}

function viewOf(hash) {
  const [path] = hash.slice(2).split('/');
  return views.find((view) => view.path === path);
}

let renders = 0;

async function route() {
  const render = ++renders;
  renderChrome();
  const container = main();
  if (!session.me) {
    stopFollowingInbox();
    replace(container, signInView());
    container.querySelector('h1')?.focus();
    return;
  }
  const view = viewOf(location.hash) ?? views.find(allowed);
  if (view?.path !== 'inbox') stopFollowingInbox();
  if (!view || !allowed(view)) {
    replace(container, h('h1', { tabindex: '-1' }, t('app.nothing')));
    return;
  }
  const params = location.hash.slice(2).split('/').slice(1).map(decodeURIComponent);
  replace(container, h('p', { class: 'loading' }, t('app.loading')));
  let content;
  try {
    content = [await view.render(params)];
  } catch (error) {
    content = [h('h1', { tabindex: '-1' }, t(view.label)), problemView(error)];
  }
  // A later navigation won the race: its view stays.
  if (render !== renders) return;
  replace(container, ...content);
  container.querySelector('h1')?.focus();
}

async function signOut(reason) {
  if (!reason) {
    try {
      await api('DELETE', '/v1/console/session');
    } catch {
      // Already ended (expired, revoked): signed out either way.
    }
  }
  useCsrfToken(undefined);
  session.me = undefined;
  announce(reason ?? t('app.signedOut'));
  route();
}

async function start() {
  setLang(lang(), false);
  const language = document.getElementById('lang');
  language.value = lang();
  language.addEventListener('change', () => {
    setLang(language.value);
    route();
  });
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  whenUnauthorized(() => signOut(t('app.sessionEnded')));
  window.addEventListener('hashchange', route);
  onRefresh(route);
  try {
    // A session cookie from before (a reload, a second tab) is used if it is still live.
    const { body } = await api('GET', '/v1/console/session', { signingIn: true });
    useCsrfToken(body.csrfToken);
    session.me = body;
  } catch {
    session.me = undefined;
  }
  route();
}

start();
