// The trial balance as of an effective date and as known at a recording time or a log position
// (the bitemporal pickers), and the table the replay view shows as well.
import { api, query } from '../api.js';
import { field, fieldsForm, h } from '../dom.js';
import { formatAmount, formatDate, formatTime, t } from '../i18n.js';
import { showOnSubmit } from '../problem.js';
import { accountLink } from './register.js';

/** "known at" inputs: a recording time and a log position (the API takes one of them). */
export function knownFields() {
  const knownAt = field(
    t('books.knownAt'),
    { type: 'datetime-local', name: 'knownAt', step: '1' },
    t('books.knownAtHint'),
  );
  const knownAtPosition = field(
    t('books.knownAtPosition'),
    { type: 'number', name: 'knownAtPosition', min: '0', step: '1', inputmode: 'numeric' },
    t('books.knownAtPositionHint'),
  );
  return {
    knownAt,
    knownAtPosition,
    params: () => ({
      knownAt: knownAt.input.value ? new Date(knownAt.input.value).toISOString() : '',
      knownAtPosition: knownAtPosition.input.value.trim(),
    }),
  };
}

/** What a report's answer says it shows: "as of …, known at … / at log position …". */
export function standOf(report) {
  return [
    report.asOf ? t('books.asOfShown', { date: formatDate(report.asOf) }) : t('books.today'),
    ...knownShown(report),
  ].join(', ');
}

/** The "known" part of that: the recording time or the log position asked for, if any. */
export function knownShown(report) {
  return [
    report.knownAt ? t('books.knownAtShown', { time: formatTime(report.knownAt) }) : '',
    report.knownAtPosition !== null && report.knownAtPosition !== undefined
      ? t('books.knownAtPositionShown', { position: report.knownAtPosition })
      : '',
  ].filter(Boolean);
}

export async function trialBalanceTab(book) {
  const result = h('div', { 'aria-live': 'polite' });
  const asOf = field(t('books.asOf'), { type: 'date', name: 'asOf' }, t('books.asOfHint'));
  const known = knownFields();
  const form = fieldsForm(
    { 'aria-label': t('books.trialBalance') },
    [asOf.row, known.knownAt.row, known.knownAtPosition.row],
    t('books.show'),
  );
  await showOnSubmit(form, result, () =>
    trialBalanceReport(book, { asOf: asOf.input.value, ...known.params() }),
  );
  return h('div', {}, form, result);
}

/** The API's trial balance for these parameters, as tables per currency. */
export async function trialBalanceReport(book, params) {
  const { body } = await api(
    'GET',
    `/v1/books/${encodeURIComponent(book.id)}/trial-balance${query(params)}`,
  );
  return trialBalanceTable({ ...body, book });
}

function trialBalanceTable(report) {
  const stand = standOf(report);
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
