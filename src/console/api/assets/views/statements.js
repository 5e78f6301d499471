// Balance sheet (as of a date) and income statement (a date range), per currency; both also as
// known at a time or a log position (the replay view).
import { api, query } from '../api.js';
import { field, fieldsForm, h } from '../dom.js';
import { formatAmount, formatDate, t } from '../i18n.js';
import { showOnSubmit } from '../problem.js';
import { knownShown, standOf } from './trial-balance.js';

/** A report form: its date inputs, a Show button, and the report below, loaded once at first. */
async function reportWithForm(label, inputs, load) {
  const result = h('div', { 'aria-live': 'polite' });
  const form = fieldsForm(
    { 'aria-label': label },
    inputs.map((input) => input.row),
    t('books.show'),
  );
  await showOnSubmit(form, result, load);
  return h('div', {}, form, result);
}

function sectionRows(title, section, currency) {
  return [
    h('tr', { class: 'section' }, h('th', { scope: 'rowgroup', colspan: '3' }, title)),
    section.lines.map((line) =>
      h(
        'tr',
        { 'data-account': line.account },
        h('th', { scope: 'row' }, line.account),
        h('td', {}, line.name),
        h('td', { class: 'num' }, formatAmount(line.amount, currency)),
      ),
    ),
    h(
      'tr',
      { class: 'subtotal' },
      h('th', { scope: 'row', colspan: '2' }, t('statements.total', { section: title })),
      h('td', { class: 'num' }, formatAmount(section.total, currency)),
    ),
  ];
}

function statementTable(caption, currency, rows) {
  return h(
    'table',
    { class: 'list statement', 'data-currency': currency },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('books.account')),
        h('th', { scope: 'col' }, t('books.name')),
        h('th', { scope: 'col', class: 'num' }, t('statements.amount')),
      ),
    ),
    h('tbody', {}, rows),
  );
}

export async function balanceSheetTab(book) {
  const asOf = field(t('books.asOf'), { type: 'date', name: 'asOf' }, t('books.asOfHint'));
  return reportWithForm(t('books.balanceSheet'), [asOf], () =>
    balanceSheetReport(book, { asOf: asOf.input.value }),
  );
}

export async function incomeStatementTab(book) {
  const from = field(t('statements.from'), { type: 'date', name: 'from' });
  const to = field(t('statements.to'), { type: 'date', name: 'to' });
  return reportWithForm(t('books.incomeStatement'), [from, to], () =>
    incomeStatementReport(book, { from: from.input.value, to: to.input.value }),
  );
}

/** The API's balance sheet for these parameters (asOf, knownAt, knownAtPosition), per currency. */
export async function balanceSheetReport(book, params) {
  const path = `/v1/books/${encodeURIComponent(book.id)}/balance-sheet${query(params)}`;
  const { body } = await api('GET', path);
  if (body.currencies.length === 0) return h('p', { class: 'empty' }, t('books.noPostings'));
  const stand = standOf(body);
  return body.currencies.map((sheet) =>
    h(
      'div',
      { class: 'report', 'data-balanced': String(sheet.balanced) },
      statementTable(`${t('books.balanceSheet')} ${sheet.currency} · ${stand}`, sheet.currency, [
        sectionRows(t('statements.assets'), sheet.assets, sheet.currency),
        sectionRows(t('statements.liabilities'), sheet.liabilities, sheet.currency),
        sectionRows(t('statements.equity'), sheet.equity, sheet.currency),
        h(
          'tr',
          {},
          h('th', { scope: 'row', colspan: '2' }, t('statements.result')),
          h('td', { class: 'num' }, formatAmount(sheet.result, sheet.currency)),
        ),
        h(
          'tr',
          { class: 'subtotal' },
          h('th', { scope: 'row', colspan: '2' }, t('statements.liabilitiesAndEquity')),
          h('td', { class: 'num' }, formatAmount(sheet.liabilitiesAndEquity, sheet.currency)),
        ),
      ]),
      h(
        'p',
        { class: sheet.balanced ? 'ok' : 'broken' },
        t(sheet.balanced ? 'statements.balanced' : 'statements.unbalanced'),
      ),
    ),
  );
}

/** The API's income statement for these parameters (from, to, knownAt, knownAtPosition). */
export async function incomeStatementReport(book, params) {
  const path = `/v1/books/${encodeURIComponent(book.id)}/income-statement${query(params)}`;
  const { body } = await api('GET', path);
  if (body.currencies.length === 0) return h('p', { class: 'empty' }, t('books.noPostings'));
  const range = [body.from ? formatDate(body.from) : '…', body.to ? formatDate(body.to) : '…'].join(
    ' – ',
  );
  return body.currencies.map((statement) =>
    statementTable(
      [`${t('books.incomeStatement')} ${statement.currency} · ${range}`, ...knownShown(body)].join(
        ', ',
      ),
      statement.currency,
      [
        sectionRows(t('statements.revenue'), statement.revenue, statement.currency),
        sectionRows(t('statements.expenses'), statement.expenses, statement.currency),
        h(
          'tr',
          { class: 'subtotal net-income' },
          h('th', { scope: 'row', colspan: '2' }, t('statements.netIncome')),
          h('td', { class: 'num' }, formatAmount(statement.netIncome, statement.currency)),
        ),
      ],
    ),
  );
}
