// Incoming invoices (src/payables) of one book: the list by status, one invoice rendered readably
// (seller, lines, VAT breakdown, totals, failed EN 16931 rules), its original to download and the
// default Kontierung (booked at once, or held for approval by a policy).
import { api, download, query } from '../api.js';
import { h, replace, saveFile } from '../dom.js';
import { formatAmount, formatDate, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { can } from '../session.js';
import { headRow } from './receivables.js';

const statuses = ['received', 'booked', 'paid'];

/** An invoice's own amount ("336.9" as the supplier wrote it) with at least two decimals. */
function money(amount, currency) {
  const [whole, fraction = ''] = String(amount ?? '').split('.');
  return amount === undefined || amount === null || amount === ''
    ? ''
    : formatAmount(`${whole}.${fraction.padEnd(2, '0')}`, currency);
}

function incomingPath(book, id) {
  const base = `/v1/books/${encodeURIComponent(book.id)}/incoming-invoices`;
  return id ? `${base}/${encodeURIComponent(id)}` : base;
}

function incomingLink(book, invoice) {
  return h(
    'a',
    {
      href: `#/books/${encodeURIComponent(book.id)}/incoming-invoices/${encodeURIComponent(invoice.id)}`,
    },
    invoice.number,
  );
}

function statusFilter(book, status) {
  return h(
    'nav',
    { class: 'filters', 'aria-label': t('incoming.filter') },
    h(
      'ul',
      {},
      ['', ...statuses].map((value) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `#/books/${encodeURIComponent(book.id)}/incoming-invoices${value ? `/?status=${value}` : ''}`,
              'aria-current': value === (status ?? '') ? 'page' : null,
            },
            value ? t(`incoming.${value}`) : t('incoming.all'),
          ),
        ),
      ),
    ),
  );
}

async function incomingList(book, status) {
  const { body } = await api('GET', `${incomingPath(book)}${query({ status })}`);
  const table =
    body.items.length === 0
      ? h('p', { class: 'empty' }, t('incoming.none'))
      : h(
          'table',
          { class: 'list', 'data-view': 'incoming-invoices' },
          h('caption', {}, t('incoming.caption')),
          headRow(
            [
              'incoming.sequence',
              'invoices.number',
              'incoming.supplier',
              'invoices.issueDate',
              'invoices.dueDate',
              'incoming.net',
              'invoices.gross',
              'invoices.status',
            ],
            ['incoming.sequence', 'incoming.net', 'invoices.gross'],
          ),
          h(
            'tbody',
            {},
            body.items.map((invoice) =>
              h(
                'tr',
                { 'data-incoming': invoice.id, 'data-status': invoice.status },
                h('td', { class: 'num' }, String(invoice.sequence)),
                h('td', {}, incomingLink(book, invoice)),
                h('td', {}, invoice.sellerName),
                h('td', {}, formatDate(invoice.issueDate)),
                h('td', {}, formatDate(invoice.dueDate)),
                h('td', { class: 'num' }, money(invoice.totals.net, invoice.currency)),
                h('td', { class: 'num' }, money(invoice.totals.gross, invoice.currency)),
                h('td', {}, [
                  t(`incoming.${invoice.status}`),
                  invoice.validation.valid ? '' : ` (${t('incoming.invalid')})`,
                ]),
              ),
            ),
          ),
        );
  return h('section', {}, statusFilter(book, status), table);
}

function linesOf(invoice) {
  return h(
    'table',
    { class: 'list', 'data-view': 'incoming-lines' },
    h(
      'caption',
      {},
      t('incoming.lines', { shown: invoice.lines.length, total: invoice.linesTotal }),
    ),
    headRow(['incoming.lineId', 'incoming.text', 'incoming.net'], ['incoming.net']),
    h(
      'tbody',
      {},
      invoice.lines.map((line) =>
        h(
          'tr',
          { 'data-line': line.id },
          h('td', {}, line.id),
          h('td', {}, line.text),
          h('td', { class: 'num' }, money(line.netAmount, invoice.currency)),
        ),
      ),
    ),
  );
}

function vatOf(invoice) {
  return h(
    'table',
    { class: 'list', 'data-view': 'incoming-vat' },
    h('caption', {}, t('incoming.vat')),
    headRow(
      ['incoming.category', 'incoming.rate', 'incoming.base', 'incoming.tax'],
      ['incoming.rate', 'incoming.base', 'incoming.tax'],
    ),
    h(
      'tbody',
      {},
      invoice.vatBreakdown.map((row) =>
        h(
          'tr',
          {},
          h('td', {}, [row.categoryCode, row.exemptionReason ? ` – ${row.exemptionReason}` : '']),
          h('td', { class: 'num' }, row.rate === undefined ? '' : `${formatAmount(row.rate)} %`),
          h('td', { class: 'num' }, money(row.taxableAmount, invoice.currency)),
          h('td', { class: 'num' }, money(row.taxAmount, invoice.currency)),
        ),
      ),
    ),
  );
}

function totalsOf(invoice) {
  const rows = ['net', 'tax', 'gross', 'payable'].map((key) => [
    h('dt', {}, t(`incoming.total.${key}`)),
    h('dd', { 'data-total': key }, money(invoice.totals[key], invoice.currency)),
  ]);
  return h('dl', { class: 'totals' }, rows);
}

function validationOf(invoice) {
  if (invoice.validation.valid) return h('p', { 'data-validation': 'valid' }, t('incoming.valid'));
  return h(
    'section',
    { 'data-validation': 'invalid', 'aria-labelledby': 'incoming-errors' },
    h('h2', { id: 'incoming-errors' }, t('incoming.errors')),
    h(
      'ul',
      {},
      invoice.validation.errors.map((error) =>
        h('li', { 'data-rule': error.rule }, h('strong', {}, error.rule), `: ${error.message}`),
      ),
    ),
  );
}

function originalButton(book, invoice) {
  const button = h('button', { type: 'button', class: 'link' }, t('incoming.original'));
  button.addEventListener('click', async () => {
    const path = `/v1/books/${encodeURIComponent(book.id)}/documents/${encodeURIComponent(invoice.documentId)}`;
    try {
      saveFile(
        await download(path),
        `${invoice.number}.${invoice.container === 'pdf' ? 'pdf' : 'xml'}`,
      );
    } catch (error) {
      button.after(problemView(error));
    }
  });
  return button;
}

function bookButton(book, invoice) {
  const result = h('div', { 'aria-live': 'polite', 'data-booking': '' });
  const button = h('button', { type: 'button' }, t('incoming.book'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { status, body } = await api('POST', `${incomingPath(book, invoice.id)}/book`, {
        body: {},
      });
      replace(
        result,
        h(
          'p',
          { 'data-outcome': body.status },
          status === 202
            ? t('incoming.pending', { approval: body.approvalId })
            : t('incoming.booked', { entry: body.entryId }),
        ),
      );
    } catch (error) {
      button.disabled = false;
      replace(result, problemView(error));
    }
  });
  return h('div', { class: 'buttons' }, button, result);
}

async function incomingDetail(book, id) {
  const { body: invoice } = await api('GET', incomingPath(book, id));
  return h(
    'article',
    { 'data-incoming': invoice.id, 'aria-labelledby': 'incoming-title' },
    h(
      'p',
      {},
      h(
        'a',
        { href: `#/books/${encodeURIComponent(book.id)}/incoming-invoices` },
        t('incoming.back'),
      ),
    ),
    h('h2', { id: 'incoming-title' }, t('incoming.title', { number: invoice.number })),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('incoming.supplier')),
      h('dd', {}, invoice.sellerName),
      h('dt', {}, t('invoices.issueDate')),
      h('dd', {}, formatDate(invoice.issueDate)),
      h('dt', {}, t('invoices.dueDate')),
      h('dd', {}, formatDate(invoice.dueDate)),
      h('dt', {}, t('incoming.sequence')),
      h('dd', {}, String(invoice.sequence)),
      h('dt', {}, t('invoices.status')),
      h('dd', { 'data-status': invoice.status }, t(`incoming.${invoice.status}`)),
    ),
    validationOf(invoice),
    linesOf(invoice),
    vatOf(invoice),
    totalsOf(invoice),
    h('p', {}, originalButton(book, invoice)),
    invoice.status === 'received' && can(['accountant', 'admin'])
      ? bookButton(book, invoice)
      : null,
  );
}

/** #/books/<book>/incoming-invoices[/?status=…] lists, #/books/<book>/incoming-invoices/<id> shows one. */
export function incomingInvoicesTab(book, item) {
  if (item && !item.startsWith('?')) return incomingDetail(book, item);
  const status = new URLSearchParams(item ?? '').get('status');
  return incomingList(book, statuses.includes(status) ? status : undefined);
}
