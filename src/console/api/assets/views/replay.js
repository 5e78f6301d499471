// The books replayed as they stood at a log position or a recording time (ADR 0021): the trial
// balance, the balance sheet and the income statement, each as the API answers with
// knownAtPosition or knownAt. #/books/<book>/replay/<position> opens it at that position (the
// audit trail links every book event here).
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { showOnSubmit } from '../problem.js';
import { balanceSheetReport, incomeStatementReport } from './statements.js';
import { knownFields, trialBalanceReport } from './trial-balance.js';

export async function replayTab(book, position) {
  const result = h('div', { class: 'replay', 'aria-live': 'polite' });
  const known = knownFields();
  if (position) known.knownAtPosition.input.value = position;
  const asOf = field(t('books.asOf'), { type: 'date', name: 'asOf' }, t('books.asOfHint'));
  const form = h(
    'form',
    { class: 'card filters', 'aria-label': t('replay.title') },
    h('p', { class: 'hint' }, t('replay.hint')),
    h('div', { class: 'field-grid' }, known.knownAtPosition.row, known.knownAt.row, asOf.row),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('replay.show'))),
  );
  await showOnSubmit(form, result, async () => {
    const params = known.params();
    if (!params.knownAt && !params.knownAtPosition)
      return h('p', { class: 'empty' }, t('replay.choose'));
    if (params.knownAtPosition)
      history.replaceState(
        null,
        '',
        `#/books/${encodeURIComponent(book.id)}/replay/${encodeURIComponent(params.knownAtPosition)}`,
      );
    const [trial, sheet, income] = await Promise.all([
      trialBalanceReport(book, { ...params, asOf: asOf.input.value }),
      balanceSheetReport(book, { ...params, asOf: asOf.input.value }),
      incomeStatementReport(book, { ...params, to: asOf.input.value }),
    ]);
    return [
      section('replay-trial-balance', t('books.trialBalance'), trial),
      section('replay-balance-sheet', t('books.balanceSheet'), sheet),
      section('replay-income-statement', t('books.incomeStatement'), income),
    ];
  });
  return h('div', {}, h('h2', {}, t('replay.title')), form, result);
}

function section(id, title, content) {
  return h(
    'section',
    { 'aria-labelledby': id, 'data-report': id },
    h('h3', { id }, title),
    content,
  );
}
