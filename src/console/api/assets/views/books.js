// The accountant's (and auditor's) books: the list, then per book the trial balance as of a date
// and as known at a time or log position, the statements, the books replayed as they stood, the
// chart of accounts, the journal entries, tax and audit (UStVA, DATEV, GoBD) and the posting form.
import { api, query } from '../api.js';
import { h } from '../dom.js';
import { formatDate, formatTime, t } from '../i18n.js';
import { can } from '../session.js';
import { linesTable } from './entry-lines.js';
import { postEntryForm } from './post-entry.js';
import { accountLink, entryLink, entryView, registerView } from './register.js';
import { bankStatementsTab } from './bank.js';
import { incomingInvoicesTab } from './payables.js';
import { invoicesTab, openItemsTab } from './receivables.js';
import { replayTab } from './replay.js';
import { taxTab } from './tax.js';
import { balanceSheetTab, incomeStatementTab } from './statements.js';
import { trialBalanceTab } from './trial-balance.js';

/** Entries per page of the journal (the API allows up to 1000). */
export const entriesPageSize = 50;

const tabs = [
  { path: 'trial-balance', label: 'books.trialBalance', render: trialBalanceTab },
  { path: 'balance-sheet', label: 'books.balanceSheet', render: balanceSheetTab },
  { path: 'income-statement', label: 'books.incomeStatement', render: incomeStatementTab },
  { path: 'replay', label: 'books.replay', render: replayTab },
  {
    path: 'accounts',
    label: 'books.accounts',
    render: (book, code) => (code ? registerView(book, code) : accountsTab(book)),
  },
  {
    path: 'entries',
    label: 'books.entries',
    render: (book, id) => (id ? entryView(book, id) : entriesTab(book)),
  },
  { path: 'invoices', label: 'books.invoices', render: invoicesTab },
  { path: 'open-items', label: 'books.openItems', render: openItemsTab },
  { path: 'incoming-invoices', label: 'books.incomingInvoices', render: incomingInvoicesTab },
  { path: 'bank-statements', label: 'books.bankStatements', render: bankStatementsTab },
  { path: 'tax', label: 'books.tax', render: taxTab },
  { path: 'post', label: 'books.post', render: postTab, roles: ['accountant', 'admin'] },
];

export async function booksView([bookId, tabPath, item]) {
  if (!bookId) return booksList();
  const bookPath = encodeURIComponent(bookId);
  const { body: book } = await api('GET', `/v1/books/${bookPath}`);
  const offered = tabs.filter((tab) => !tab.roles || can(tab.roles));
  const tab = offered.find((candidate) => candidate.path === tabPath) ?? offered[0];
  return h(
    'section',
    {},
    h('p', {}, h('a', { href: '#/books' }, t('books.all'))),
    h(
      'h1',
      { tabindex: '-1' },
      book.name,
      ' ',
      h('small', {}, `(${book.id}, ${book.baseCurrency})`),
    ),
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('books.views') },
      h(
        'ul',
        {},
        offered.map((candidate) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: `#/books/${bookPath}/${candidate.path}`,
                'aria-current': candidate === tab ? 'page' : null,
              },
              t(candidate.label),
            ),
          ),
        ),
      ),
    ),
    await tab.render(book, item),
  );
}

async function booksList() {
  const { body } = await api('GET', '/v1/books?limit=1000');
  return h(
    'section',
    {},
    h('h1', { tabindex: '-1' }, t('books.title')),
    body.items.length === 0
      ? h('p', { class: 'empty' }, t('books.none'))
      : h(
          'ul',
          { class: 'books' },
          body.items.map((book) =>
            h(
              'li',
              {},
              h('a', { href: `#/books/${encodeURIComponent(book.id)}` }, book.name),
              ` (${book.id}, ${book.baseCurrency})`,
            ),
          ),
        ),
  );
}

async function accountsTab(book) {
  const { body } = await api('GET', `/v1/books/${encodeURIComponent(book.id)}/accounts?limit=1000`);
  return h(
    'table',
    { class: 'list' },
    h('caption', {}, t('books.accounts')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'books.account',
          'books.name',
          'books.type',
          'books.currency',
          'books.parent',
          'books.status',
        ].map((key) => h('th', { scope: 'col' }, t(key))),
      ),
    ),
    h(
      'tbody',
      {},
      body.items.map((account) =>
        h(
          'tr',
          { 'data-account': account.code },
          h('th', { scope: 'row' }, accountLink(book, account.code)),
          h('td', {}, account.name),
          h('td', {}, t(`type.${account.type}`)),
          h('td', {}, account.currency ?? book.baseCurrency),
          h('td', {}, account.parent ?? ''),
          h('td', {}, t(`accountStatus.${account.status}`)),
        ),
      ),
    ),
  );
}

async function entriesTab(book) {
  const container = h('div', { class: 'entries' });
  const list = h('ol', { class: 'entry-list', 'aria-label': t('books.entries') });
  const load = async (at) => {
    const { body } = await api(
      'GET',
      `/v1/books/${encodeURIComponent(book.id)}/journal-entries${query({ limit: entriesPageSize, cursor: at })}`,
    );
    list.append(...body.items.map((entry) => entryItem(entry, book)));
    container.querySelector('button.more')?.remove();
    if (body.nextCursor)
      container.append(
        h(
          'button',
          { type: 'button', class: 'more', onClick: () => load(body.nextCursor) },
          t('books.more'),
        ),
      );
    return body.items.length;
  };
  const count = await load(undefined);
  container.prepend(count === 0 ? h('p', { class: 'empty' }, t('books.noEntries')) : '', list);
  return container;
}

function entryItem(entry, book) {
  return h(
    'li',
    { class: 'card entry', 'data-entry': entry.id },
    h(
      'p',
      {},
      h('strong', {}, formatDate(entry.effectiveDate)),
      ' · ',
      entry.description ?? '',
      entry.reference ? ` · ${entry.reference}` : '',
      entry.reversalOf ? ` · ${t('books.reversalOf', { id: entry.reversalOf })}` : '',
      entry.reversedBy ? ` · ${t('books.reversedBy', { id: entry.reversedBy })}` : '',
    ),
    linesTable(entry.lines, { baseCurrency: book.baseCurrency }),
    h(
      'p',
      { class: 'hint' },
      t('books.recorded', { time: formatTime(entry.recordedAt), id: entry.id }),
    ),
  );
}

async function postTab(book) {
  const { body } = await api('GET', `/v1/books/${encodeURIComponent(book.id)}/accounts?limit=1000`);
  return postEntryForm(book, body.items);
}
