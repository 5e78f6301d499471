// Tax and audit of one book (docs/compliance.md): the VAT return (UStVA) of a month or quarter,
// the DATEV export (EXTF) and the GoBD Z3 data set as files the API serves, and the late
// bookings (GoBD timeliness).
import { api, downloadFile, query } from '../api.js';
import { field, fieldsForm, h, replace, saveFile } from '../dom.js';
import { formatAmount, formatDate, formatTime, t } from '../i18n.js';
import { problemView, showOnSubmit } from '../problem.js';
import { announce } from '../session.js';
import { entryLink } from './register.js';
import { headRow } from './receivables.js';

/** Late bookings per page (the API allows up to 1000). */
export const lateBookingsPageSize = 100;

export async function taxTab(book) {
  const [vatReturn, lateBookings] = await Promise.all([
    vatReturnSection(book),
    lateBookingsSection(book),
  ]);
  return h('div', { class: 'tax' }, vatReturn, datevSection(book), gobdSection(book), lateBookings);
}

function section(name, title, ...children) {
  const titleId = `tax-${name}-title`;
  return h(
    'section',
    { class: 'card', 'data-view': name, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    ...children,
  );
}

/** A form of field() answers inside its card section. */
function inputsForm(label, inputs, submitLabel) {
  return fieldsForm(
    { class: 'filters', 'aria-label': label },
    inputs.map((input) => input.row),
    submitLabel,
  );
}

/** The month before today as YYYY-MM (the usual UStVA period). */
function previousMonth() {
  const today = new Date();
  const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

async function vatReturnSection(book) {
  const month = field(t('tax.month'), { type: 'month', name: 'month', value: previousMonth() });
  const span = field(t('tax.span'), { tag: 'select', name: 'span' });
  span.input.append(
    h('option', { value: 'month' }, t('tax.span.month')),
    h('option', { value: 'quarter' }, t('tax.span.quarter')),
  );
  const period = () => {
    const [year, monthNumber] = month.input.value.split('-');
    if (span.input.value === 'month' || !monthNumber) return month.input.value;
    return `${year}-Q${Math.ceil(Number(monthNumber) / 3)}`;
  };
  const form = inputsForm(t('tax.vatReturn'), [month, span], t('books.show'));
  const result = h('div', { 'aria-live': 'polite' });
  await showOnSubmit(form, result, async () => {
    const path = `/v1/books/${encodeURIComponent(book.id)}/reports/vat-return`;
    return vatReturnView((await api('GET', `${path}${query({ period: period() })}`)).body);
  });
  return section(
    'vat-return',
    t('tax.vatReturn'),
    h('p', { class: 'hint' }, t('tax.vatReturnHint')),
    form,
    result,
  );
}

function vatReturnView(report) {
  const range = `${formatDate(report.from)} – ${formatDate(report.to)}`;
  const fields = Object.entries(report.fields).sort(([a], [b]) => Number(a) - Number(b));
  return [
    fields.length === 0
      ? h('p', { class: 'empty' }, t('tax.noFigures', { period: report.period, range }))
      : h(
          'table',
          { class: 'list', 'data-period': report.period },
          h(
            'caption',
            {},
            t('tax.fieldsCaption', { period: report.period, range, currency: report.currency }),
          ),
          headRow(['tax.field', 'tax.base', 'tax.tax'], ['tax.base', 'tax.tax']),
          h(
            'tbody',
            {},
            fields.map(([number, amounts]) =>
              h(
                'tr',
                { 'data-field': number },
                h('th', { scope: 'row' }, number),
                h('td', { class: 'num', 'data-part': 'base' }, formatAmount(amounts.base)),
                h('td', { class: 'num', 'data-part': 'tax' }, formatAmount(amounts.tax)),
              ),
            ),
          ),
        ),
    reconciliationView(report.reconciliation, report.currency),
    report.unknownTaxCodes.length > 0
      ? h(
          'p',
          { class: 'broken', 'data-unknown-tax-codes': report.unknownTaxCodes.join(' ') },
          t('tax.unknownTaxCodes', { codes: report.unknownTaxCodes.join(', ') }),
        )
      : null,
    report.otherCurrencies.length > 0
      ? h(
          'p',
          { class: 'broken', 'data-other-currencies': report.otherCurrencies.join(' ') },
          t('tax.otherCurrencies', { currencies: report.otherCurrencies.join(', ') }),
        )
      : null,
  ];
}

function reconciliationView(reconciliation, currency) {
  return h(
    'div',
    { class: 'reconciliation', 'data-agrees': String(reconciliation.agrees) },
    h(
      'p',
      { class: reconciliation.agrees ? 'ok' : 'broken' },
      t(reconciliation.agrees ? 'tax.agrees' : 'tax.differs'),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('tax.declared')),
      h('dd', { 'data-amount': 'declared' }, formatAmount(reconciliation.declared, currency)),
      h('dt', {}, t('tax.booked')),
      h('dd', { 'data-amount': 'booked' }, formatAmount(reconciliation.booked, currency)),
      h('dt', {}, t('tax.difference')),
      h('dd', { 'data-amount': 'difference' }, formatAmount(reconciliation.difference, currency)),
      h('dt', {}, t('tax.outputAccounts')),
      h('dd', {}, reconciliation.outputAccounts.join(', ')),
      h('dt', {}, t('tax.inputAccounts')),
      h('dd', {}, reconciliation.inputAccounts.join(', ')),
    ),
  );
}

/**
 * A form that downloads what `pathOf()` answers under the API's file name (else `fallbackName()`);
 * below it, the saved file's name or the API's problem.
 */
function downloadForm(label, inputs, submitLabel, pathOf, fallbackName) {
  const form = inputsForm(label, inputs, submitLabel);
  const result = h('div', { 'aria-live': 'polite' });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const { blob, fileName } = await downloadFile(pathOf());
      const name = fileName ?? fallbackName();
      saveFile(blob, name);
      replace(result, h('p', { class: 'ok', 'data-saved': name }, t('tax.saved', { name })));
      announce(t('tax.saved', { name }));
    } catch (error) {
      replace(result, problemView(error));
    }
  });
  return [form, result];
}

function datevSection(book) {
  const from = field(t('statements.from'), { type: 'date', name: 'from' });
  const to = field(t('statements.to'), { type: 'date', name: 'to' });
  const kind = field(t('tax.datevKind'), { tag: 'select', name: 'kind' });
  kind.input.append(
    h('option', { value: 'bookings' }, t('tax.datev.bookings')),
    h('option', { value: 'parties' }, t('tax.datev.parties')),
  );
  const bookings = () => kind.input.value === 'bookings';
  const path = () =>
    `/v1/books/${encodeURIComponent(book.id)}/exports/datev${query(
      bookings()
        ? { kind: 'bookings', from: from.input.value, to: to.input.value }
        : { kind: 'parties' },
    )}`;
  const fallbackName = () =>
    bookings()
      ? `datev-bookings-${book.id}-${from.input.value}-${to.input.value}.csv`
      : `datev-parties-${book.id}.csv`;
  return section(
    'datev',
    t('tax.datev'),
    h('p', { class: 'hint' }, t('tax.datevHint')),
    ...downloadForm(t('tax.datev'), [from, to, kind], t('tax.download'), path, fallbackName),
  );
}

function gobdSection(book) {
  const year = field(
    t('tax.fiscalYear'),
    {
      type: 'number',
      name: 'fiscalYear',
      min: '1900',
      max: '9999',
      step: '1',
      inputmode: 'numeric',
      value: String(new Date().getUTCFullYear()),
    },
    t('tax.fiscalYearHint'),
  );
  const path = () =>
    `/v1/books/${encodeURIComponent(book.id)}/exports/gobd${query({ fiscalYear: year.input.value.trim() })}`;
  return section(
    'gobd',
    t('tax.gobd'),
    h('p', { class: 'hint' }, t('tax.gobdHint')),
    ...downloadForm(
      t('tax.gobd'),
      [year],
      t('tax.download'),
      path,
      () => `gobd-z3-${book.id}-${year.input.value}.zip`,
    ),
  );
}

async function lateBookingsSection(book) {
  const from = field(t('statements.from'), { type: 'date', name: 'from' });
  const to = field(t('statements.to'), { type: 'date', name: 'to' });
  const days = field(
    t('tax.days'),
    { type: 'number', name: 'days', min: '0', step: '1', inputmode: 'numeric', value: '10' },
    t('tax.daysHint'),
  );
  const form = inputsForm(t('tax.lateBookings'), [from, to, days], t('books.show'));
  const result = h('div', { 'aria-live': 'polite' });
  await showOnSubmit(form, result, () =>
    lateBookingsList(book, {
      from: from.input.value,
      to: to.input.value,
      days: days.input.value.trim(),
    }),
  );
  return section(
    'late-bookings',
    t('tax.lateBookings'),
    h('p', { class: 'hint' }, t('tax.lateBookingsHint')),
    form,
    result,
  );
}

async function lateBookingsList(book, params) {
  const path = `/v1/books/${encodeURIComponent(book.id)}/reports/late-bookings`;
  const tbody = h('tbody', {});
  const container = h('div', {});
  const load = async (cursor) => {
    const { body } = await api(
      'GET',
      `${path}${query({ ...params, limit: lateBookingsPageSize, cursor })}`,
    );
    tbody.append(...body.items.map((item) => lateBookingRow(book, item)));
    container.querySelector('button.more')?.remove();
    if (body.nextCursor)
      container.append(
        h(
          'button',
          {
            type: 'button',
            class: 'more',
            onClick: () =>
              load(body.nextCursor).catch((error) => container.append(problemView(error))),
          },
          t('books.more'),
        ),
      );
    return body;
  };
  const first = await load(undefined);
  if (first.items.length === 0)
    return h('p', { class: 'empty' }, t('tax.noLateBookings', { days: first.days }));
  container.prepend(
    h(
      'table',
      { class: 'list', 'data-view': 'late-bookings' },
      h('caption', {}, t('tax.lateCaption', { days: first.days })),
      headRow(
        [
          'register.entry',
          'entry.effectiveDate',
          'register.recordedAt',
          'tax.delay',
          'tax.reasons',
          'entry.description',
          'entry.reference',
        ],
        ['tax.delay'],
      ),
      tbody,
    ),
  );
  return container;
}

function lateBookingRow(book, item) {
  return h(
    'tr',
    { 'data-entry': item.entryId },
    h('th', { scope: 'row' }, entryLink(book, item.entryId)),
    h('td', {}, formatDate(item.effectiveDate)),
    h('td', {}, formatTime(item.recordedAt)),
    h('td', { class: 'num' }, String(item.delayDays)),
    h('td', {}, item.reasons.map((reason) => t(`tax.reason.${reason}`)).join(', ')),
    h('td', {}, item.description),
    h('td', {}, item.reference ?? ''),
  );
}
