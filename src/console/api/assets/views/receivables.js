// Invoices (src/billing) and open items with their aging (src/banking) of one book: read-only
// lists, the aging as a bar chart, an invoice's PDF and XRechnung to download.
import { api, download, query } from '../api.js';
import { field, h, replace, saveFile } from '../dom.js';
import { formatAmount, formatDate, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { agingBuckets, agingChart } from './charts.js';

/** Invoices per page (the API allows up to 1000). */
export const invoicesPageSize = 100;

/** A table's column heads from i18n keys; `numeric` ones right-aligned. */
export function headRow(keys, numeric = []) {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      keys.map((key) =>
        h('th', { scope: 'col', class: numeric.includes(key) ? 'num' : null }, t(key)),
      ),
    ),
  );
}

function fileButton(book, invoice, kind, label) {
  const button = h('button', { type: 'button', class: 'link' }, label);
  button.addEventListener('click', async () => {
    const path = `/v1/books/${encodeURIComponent(book.id)}/invoices/${encodeURIComponent(invoice.id)}/${kind}`;
    try {
      saveFile(
        await download(path),
        `${invoice.number ?? invoice.id}.${kind === 'pdf' ? 'pdf' : 'xml'}`,
      );
    } catch (error) {
      button.after(problemView(error));
    }
  });
  return button;
}

export async function invoicesTab(book) {
  const { body } = await api(
    'GET',
    `/v1/books/${encodeURIComponent(book.id)}/invoices${query({ limit: invoicesPageSize })}`,
  );
  if (body.items.length === 0) return h('p', { class: 'empty' }, t('invoices.none'));
  return h(
    'table',
    { class: 'list', 'data-view': 'invoices' },
    h('caption', {}, t('invoices.caption')),
    headRow(
      [
        'invoices.number',
        'invoices.customer',
        'invoices.issueDate',
        'invoices.dueDate',
        'invoices.gross',
        'invoices.open',
        'invoices.status',
        'invoices.files',
      ],
      ['invoices.gross', 'invoices.open'],
    ),
    h(
      'tbody',
      {},
      body.items.map((invoice) =>
        h(
          'tr',
          { 'data-invoice': invoice.id, 'data-status': invoice.status },
          h('td', {}, invoice.number ?? t('invoices.draft')),
          h('td', {}, invoice.customer?.name ?? invoice.customer ?? ''),
          h('td', {}, invoice.issueDate ? formatDate(invoice.issueDate) : ''),
          h('td', {}, invoice.dueDate ? formatDate(invoice.dueDate) : ''),
          h(
            'td',
            { class: 'num' },
            invoice.totals ? formatAmount(invoice.totals.gross, invoice.currency) : '',
          ),
          h(
            'td',
            { class: 'num' },
            invoice.openAmount ? formatAmount(invoice.openAmount, invoice.currency) : '',
          ),
          h('td', {}, t(`invoice.${invoice.status}`)),
          h(
            'td',
            {},
            invoice.status === 'draft'
              ? ''
              : [
                  fileButton(book, invoice, 'pdf', 'PDF'),
                  ' ',
                  fileButton(book, invoice, 'xrechnung', 'XRechnung'),
                ],
          ),
        ),
      ),
    ),
  );
}

function agingTable(table) {
  return h(
    'table',
    { class: 'list', 'data-aging': table.currency },
    h('caption', {}, t('aging.caption', { currency: table.currency })),
    headRow(
      ['aging.party', ...agingBuckets.map((bucket) => `aging.${bucket}`), 'aging.total'],
      agingBuckets.map((bucket) => `aging.${bucket}`).concat('aging.total'),
    ),
    h(
      'tbody',
      {},
      [...table.parties, { party: t('aging.sum'), ...table.total }].map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, row.party),
          [...agingBuckets, 'total'].map((bucket) =>
            h('td', { class: 'num' }, formatAmount(row[bucket], table.currency)),
          ),
        ),
      ),
    ),
  );
}

function openItemsTable(items) {
  if (items.length === 0) return h('p', { class: 'empty' }, t('openItems.none'));
  return h(
    'table',
    { class: 'list', 'data-view': 'open-items' },
    h('caption', {}, t('openItems.caption')),
    headRow(
      ['invoices.number', 'aging.party', 'invoices.dueDate', 'invoices.open', 'openItems.overdue'],
      ['invoices.open', 'openItems.overdue'],
    ),
    h(
      'tbody',
      {},
      items.map((item) =>
        h(
          'tr',
          { 'data-item': item.invoice },
          h('td', {}, item.number ?? item.invoice),
          h('td', {}, item.party),
          h('td', {}, formatDate(item.dueDate)),
          h('td', { class: 'num' }, formatAmount(item.openAmount, item.currency)),
          h('td', { class: 'num' }, String(item.daysOverdue)),
        ),
      ),
    ),
  );
}

async function showOpenItems(results, book, kind, asOf) {
  const bookPath = encodeURIComponent(book.id);
  try {
    const [{ body: aging }, { body: items }] = await Promise.all([
      api('GET', `/v1/books/${bookPath}/open-items/aging${query({ kind, asOf })}`),
      api('GET', `/v1/books/${bookPath}/open-items${query({ kind, asOf })}`),
    ]);
    replace(
      results,
      h('p', {}, t('openItems.asOf', { date: formatDate(aging.asOf) })),
      aging.currencies.map((table) => [agingChart(table.total, table.currency), agingTable(table)]),
      openItemsTable(items.items),
    );
  } catch (error) {
    replace(results, problemView(error));
  }
}

export async function openItemsTab(book) {
  const kind = field(t('openItems.kind'), { tag: 'select', name: 'kind' });
  for (const value of ['receivable', 'payable'])
    kind.input.append(h('option', { value }, t(`openItems.${value}`)));
  const asOf = field(t('openItems.asOfField'), { type: 'date', name: 'asOf' });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t('openItems.title') },
    kind.row,
    asOf.row,
    h('button', { type: 'submit' }, t('openItems.show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showOpenItems(results, book, kind.input.value, asOf.input.value || undefined);
  });
  await showOpenItems(results, book, 'receivable', undefined);
  return h('section', {}, form, results);
}
