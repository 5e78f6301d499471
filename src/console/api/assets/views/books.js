// The accountant's (and auditor's) books: the list, then per book the trial balance as of a date
// and as known at a time, the chart of accounts, the journal entries and the posting form.
import { api, query } from '../api.js';
import { field, h, replace } from '../dom.js';
import { formatAmount, formatDate, formatTime, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { can } from '../session.js';
import { linesTable } from './entry-lines.js';
import { postEntryForm } from './post-entry.js';
import { accountLink, entryLink, entryView, registerView } from './register.js';
import { bankStatementsTab } from './bank.js';
import { incomingInvoicesTab } from './payables.js';
import { invoicesTab, openItemsTab } from './receivables.js';
import { balanceSheetTab, incomeStatementTab } from './statements.js';

/** Entries per page of the journal (the API allows up to 1000). */
export const entriesPageSize = 50;

const tabs = [
  { path: 'trial-balance', label: 'books.trialBalance', render: trialBalanceTab },
  { path: 'balance-sheet', label: 'books.balanceSheet', render: balanceSheetTab },
  { path: 'income-statement', label: 'books.incomeStatement', render: incomeStatementTab },
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

async function trialBalanceTab(book) {
  const result = h('div', { 'aria-live': 'polite' });
  const asOf = field(t('books.asOf'), { type: 'date', name: 'asOf' }, t('books.asOfHint'));
  const knownAt = field(
    t('books.knownAt'),
    { type: 'datetime-local', name: 'knownAt', step: '1' },
    t('books.knownAtHint'),
  );
  const form = h(
    'form',
    { class: 'card filters', 'aria-label': t('books.trialBalance') },
    h('div', { class: 'field-grid' }, asOf.row, knownAt.row),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('books.show'))),
  );
  const show = async () => {
    const params = {
      asOf: asOf.input.value,
      knownAt: knownAt.input.value ? new Date(knownAt.input.value).toISOString() : '',
    };
    try {
      const { body } = await api(
        'GET',
        `/v1/books/${encodeURIComponent(book.id)}/trial-balance${query(params)}`,
      );
      replace(result, trialBalanceTable({ ...body, book }));
    } catch (error) {
      replace(result, problemView(error));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  await show();
  return h('div', {}, form, result);
}

function trialBalanceTable(report) {
  const stand = [
    report.asOf ? t('books.asOfShown', { date: formatDate(report.asOf) }) : t('books.today'),
    report.knownAt ? t('books.knownAtShown', { time: formatTime(report.knownAt) }) : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (report.currencies.length === 0)
    return h('p', { class: 'empty' }, stand, ': ', t('books.noPostings'));
  return h(
    'div',
    { class: 'trial-balance' },
    report.currencies.map((block) =>
      h(
        'table',
        { class: 'list', 'data-currency': block.currency },
        h('caption', {}, t('books.trialBalance'), ` ${block.currency} · ${stand}`),
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
              'entry.debit',
              'entry.credit',
              'books.balance',
            ].map((key, index) =>
              h('th', { scope: 'col', class: index >= 3 ? 'num' : null }, t(key)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          block.lines.map((line) =>
            h(
              'tr',
              { 'data-account': line.account },
              h('th', { scope: 'row' }, accountLink(report.book, line.account)),
              h('td', {}, line.name),
              h('td', {}, t(`type.${line.type}`)),
              h('td', { class: 'num' }, formatAmount(line.debit)),
              h('td', { class: 'num' }, formatAmount(line.credit)),
              h('td', { class: 'num balance' }, formatAmount(line.balance)),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row', colspan: '3' }, t('books.totals')),
            h('td', { class: 'num' }, formatAmount(block.totals.debit, block.currency)),
            h('td', { class: 'num' }, formatAmount(block.totals.credit, block.currency)),
            h('td', {}),
          ),
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
