// An account's register (lines with running balance) and one journal entry in full with its
// documents (Belege) to download and its events: the drill-down from the chart of accounts and the trial balance.
import { api, download, query } from '../api.js';
import { field, fieldsForm, h, replace, saveFile } from '../dom.js';
import { formatAmount, formatDate, formatTime, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { balanceChart } from './charts.js';
import { entryEventsSection } from './entry-events.js';
import { linesTable } from './entry-lines.js';

/** Register lines per page (the API allows up to 1000). */
export const registerPageSize = 100;

export function accountLink(book, code, text) {
  return h(
    'a',
    { href: `#/books/${encodeURIComponent(book.id)}/accounts/${encodeURIComponent(code)}` },
    text ?? code,
  );
}

export function entryLink(book, entryId, text) {
  return h(
    'a',
    { href: `#/books/${encodeURIComponent(book.id)}/entries/${encodeURIComponent(entryId)}` },
    text ?? entryId,
  );
}

export async function registerView(book, code) {
  const bookPath = encodeURIComponent(book.id);
  const accountPath = `/v1/books/${bookPath}/accounts/${encodeURIComponent(code)}`;
  const { body: account } = await api('GET', accountPath);
  const position = field(
    t('books.knownAtPosition'),
    { type: 'number', name: 'knownAtPosition', min: '0', step: '1', inputmode: 'numeric' },
    t('books.knownAtPositionHint'),
  );
  const lines = h('div', { 'aria-live': 'polite' });
  const show = async () => {
    try {
      replace(lines, ...(await registerLines(book, accountPath, position.input.value.trim())));
    } catch (error) {
      replace(lines, problemView(error));
    }
  };
  const form = fieldsForm({ 'aria-label': t('register.caption') }, [position.row], t('books.show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  await show();
  return h(
    'section',
    { class: 'register', 'data-account': account.code },
    h('h2', {}, t('register.title', { code: account.code, name: account.name })),
    form,
    lines,
  );
}

/** The register's opening balance, chart, lines and "load more", as known at a log position or now. */
async function registerLines(book, accountPath, knownAtPosition) {
  const page = (cursor) =>
    api(
      'GET',
      `${accountPath}/ledger${query({ limit: registerPageSize, knownAtPosition, cursor })}`,
    );
  const { body: register } = await page(undefined);
  const tbody = h(
    'tbody',
    {},
    register.items.map((line) => registerRow(book, line)),
  );
  const content = [
    register.knownAtPosition !== null
      ? h('p', {}, t('books.knownAtPositionShown', { position: register.knownAtPosition }))
      : null,
    register.openingBalances.length > 0
      ? h(
          'p',
          {},
          t('register.opening'),
          ': ',
          register.openingBalances
            .map((opening) => formatAmount(opening.balance, opening.currency))
            .join(', '),
        )
      : null,
    balanceChart(register.items, register.items[0]?.currency),
    register.items.length === 0
      ? h('p', { class: 'empty' }, t('books.noEntries'))
      : h(
          'table',
          { class: 'list' },
          h('caption', {}, t('register.caption')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                'entry.effectiveDate',
                'entry.description',
                'entry.reference',
                'entry.debit',
                'entry.credit',
                'books.balance',
                'register.entry',
              ].map((key, index) =>
                h('th', { scope: 'col', class: index >= 3 && index <= 5 ? 'num' : null }, t(key)),
              ),
            ),
          ),
          tbody,
        ),
  ];
  let cursor = register.nextCursor;
  if (cursor) {
    const more = h('button', { type: 'button', class: 'more' }, t('books.more'));
    more.addEventListener('click', async () => {
      const { body } = await page(cursor);
      tbody.append(...body.items.map((line) => registerRow(book, line)));
      cursor = body.nextCursor;
      if (!cursor) more.remove();
    });
    content.push(more);
  }
  return content;
}
function registerRow(book, line) {
  return h(
    'tr',
    { 'data-entry': line.entryId },
    h('td', {}, formatDate(line.effectiveDate)),
    h('td', {}, line.description ?? '', line.memo ? ` (${line.memo})` : ''),
    h('td', {}, line.reference ?? ''),
    h('td', { class: 'num' }, line.debit ? formatAmount(line.debit, line.currency) : ''),
    h('td', { class: 'num' }, line.credit ? formatAmount(line.credit, line.currency) : ''),
    h('td', { class: 'num balance' }, formatAmount(line.balance, line.currency)),
    h('td', {}, entryLink(book, line.entryId, t('register.open'))),
  );
}

export async function entryView(book, entryId) {
  const { body: entry } = await api(
    'GET',
    `/v1/books/${encodeURIComponent(book.id)}/journal-entries/${encodeURIComponent(entryId)}`,
  );
  const [documents, events] = await Promise.all([
    documentsOf(book, entry.documents ?? []),
    entryEventsSection(book, entry.id),
  ]);
  return h(
    'section',
    { class: 'entry-detail', 'data-entry': entry.id },
    h('h2', {}, t('register.entryTitle', { id: entry.id })),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('entry.effectiveDate')),
      h('dd', {}, formatDate(entry.effectiveDate)),
      h('dt', {}, t('entry.description')),
      h('dd', {}, entry.description ?? ''),
      h('dt', {}, t('entry.reference')),
      h('dd', {}, entry.reference ?? '—'),
      h('dt', {}, t('register.recordedAt')),
      h('dd', {}, formatTime(entry.recordedAt)),
      h('dt', {}, t('audit.position')),
      h('dd', {}, String(entry.position)),
      entry.reversalOf
        ? [h('dt', {}, t('register.reversalOf')), h('dd', {}, entryLink(book, entry.reversalOf))]
        : null,
      entry.reversedBy
        ? [h('dt', {}, t('register.reversedBy')), h('dd', {}, entryLink(book, entry.reversedBy))]
        : null,
      entry.metadata
        ? [
            h('dt', {}, t('register.metadata')),
            h('dd', {}, h('pre', {}, JSON.stringify(entry.metadata, null, 2))),
          ]
        : null,
    ),
    linesTable(entry.lines, { baseCurrency: book.baseCurrency, caption: t('entry.lines') }),
    h(
      'p',
      {},
      ...entry.lines.map((line, index) => [
        index > 0 ? ' · ' : '',
        accountLink(book, line.account, t('register.toAccount', { code: line.account })),
      ]),
    ),
    documents.length > 0 ? documentsTable(book, documents) : null,
    events,
  );
}

/** The vault's descriptions of these document ids, in the entry's order. */
async function documentsOf(book, ids) {
  if (ids.length === 0) return [];
  const { body } = await api('GET', `/v1/books/${encodeURIComponent(book.id)}/documents`);
  const byId = new Map(body.items.map((document) => [document.id, document]));
  return ids.map((id) => byId.get(id) ?? { id });
}

function documentsTable(book, documents) {
  return h(
    'table',
    { class: 'list documents' },
    h('caption', {}, t('documents.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'documents.name',
          'documents.size',
          'documents.contentType',
          'documents.id',
          'documents.file',
        ].map((key, index) => h('th', { scope: 'col', class: index === 1 ? 'num' : null }, t(key))),
      ),
    ),
    h(
      'tbody',
      {},
      documents.map((document) =>
        h(
          'tr',
          { 'data-document': document.id },
          h('th', { scope: 'row' }, document.fileName ?? '—'),
          h(
            'td',
            { class: 'num' },
            document.size === undefined ? '' : formatAmount(String(document.size)),
          ),
          h('td', {}, document.contentType ?? ''),
          h('td', {}, h('code', { class: 'hash' }, document.id)),
          h('td', {}, downloadButton(book, document)),
        ),
      ),
    ),
  );
}

function downloadButton(book, document) {
  const name = document.fileName ?? document.id.replace(':', '-');
  const button = h(
    'button',
    { type: 'button', class: 'link', 'aria-label': t('documents.downloadNamed', { name }) },
    t('documents.download'),
  );
  button.addEventListener('click', async () => {
    const path = `/v1/books/${encodeURIComponent(book.id)}/documents/${encodeURIComponent(document.id)}`;
    try {
      saveFile(await download(path), name);
    } catch (error) {
      button.after(problemView(error));
    }
  });
  return button;
}
