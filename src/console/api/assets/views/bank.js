// Bank statements (src/banking/statements) of one book: the imported statements with their
// counts, and a statement's lines waiting for assignment, each with a form that books it by
// hand to an open item (invoice) or an account (fees, interest).
import { api } from '../api.js';
import { field, h, replace } from '../dom.js';
import { formatAmount, formatDate, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { can } from '../session.js';
import { headRow } from './receivables.js';

function statementsPath(book, id) {
  const base = `/v1/books/${encodeURIComponent(book.id)}/bank-statements`;
  return id ? `${base}/${encodeURIComponent(id)}` : base;
}

async function statementList(book) {
  const { body } = await api('GET', statementsPath(book));
  if (body.items.length === 0) return h('p', { class: 'empty' }, t('bank.none'));
  return h(
    'table',
    { class: 'list', 'data-view': 'bank-statements' },
    h('caption', {}, t('bank.caption')),
    headRow(
      [
        'bank.statement',
        'bank.account',
        'bank.date',
        'bank.entries',
        'bank.matched',
        'bank.waiting',
      ],
      ['bank.entries', 'bank.matched', 'bank.waiting'],
    ),
    h(
      'tbody',
      {},
      body.items.map((statement) =>
        h(
          'tr',
          { 'data-statement': statement.id },
          h(
            'td',
            {},
            h(
              'a',
              {
                href: `#/books/${encodeURIComponent(book.id)}/bank-statements/${encodeURIComponent(statement.id)}`,
              },
              statement.statementId,
            ),
          ),
          h('td', {}, statement.account),
          h('td', {}, formatDate(statement.date)),
          h('td', { class: 'num' }, String(statement.entries)),
          h('td', { class: 'num' }, String(statement.matched + statement.assigned)),
          h('td', { class: 'num', 'data-waiting': '' }, String(statement.unmatched)),
        ),
      ),
    ),
  );
}

/** The assign form of one waiting line: an open item or an account, exactly one. */
function assignForm(book, statementId, line, onAssigned) {
  const result = h('div');
  const target = field(t('bank.target'), { name: 'target', required: true, maxlength: 128 });
  const kind = field(t('bank.kind'), { tag: 'select', name: 'kind' });
  kind.input.append(
    h('option', { value: 'invoice' }, t('bank.kind.invoice')),
    h('option', { value: 'account' }, t('bank.kind.account')),
  );
  const form = h(
    'form',
    { 'aria-label': t('bank.assignLine', { n: line.n }) },
    h('div', { class: 'field-grid' }, kind.row, target.row),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('bank.assign'))),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { [kind.input.value]: target.input.value.trim() };
    try {
      const path = `${statementsPath(book, statementId)}/lines/${line.n}/assign`;
      const { status, body: assigned } = await api('POST', path, { body });
      onAssigned(
        h(
          'p',
          { 'data-outcome': status === 202 ? 'pending_approval' : 'assigned' },
          t('bank.assigned', { n: line.n, target: assigned.matchedTo }),
        ),
      );
    } catch (error) {
      replace(result, problemView(error));
    }
  });
  return form;
}

async function waitingLines(book, id, container, outcome) {
  const { body } = await api('GET', `${statementsPath(book, id)}/lines?status=unmatched`);
  const reload = async (message) => {
    replace(outcome, message);
    await waitingLines(book, id, container, outcome);
  };
  const assign = can(['accountant', 'admin']);
  replace(
    container,
    body.items.length === 0
      ? h('p', { class: 'empty', 'data-waiting': '0' }, t('bank.allAssigned'))
      : h(
          'table',
          { class: 'list', 'data-view': 'bank-lines' },
          h('caption', {}, t('bank.linesCaption')),
          headRow(
            [
              'bank.n',
              'bank.date',
              'bank.amount',
              'bank.counterparty',
              'bank.remittance',
              'bank.assign',
            ],
            ['bank.n', 'bank.amount'],
          ),
          h(
            'tbody',
            {},
            body.items.map((line) =>
              h(
                'tr',
                { 'data-line': String(line.n) },
                h('td', { class: 'num' }, String(line.n)),
                h('td', {}, formatDate(line.date)),
                h(
                  'td',
                  { class: 'num' },
                  `${line.direction === 'debit' ? '−' : ''}${formatAmount(line.amount, line.currency)}`,
                ),
                h('td', {}, [
                  line.counterparty.name ?? '',
                  line.counterparty.iban ? ` (${line.counterparty.iban})` : '',
                ]),
                h('td', {}, line.remittance ?? line.reference),
                h('td', {}, assign ? assignForm(book, id, line, reload) : ''),
              ),
            ),
          ),
        ),
  );
}

async function statementDetail(book, id) {
  const { body: statement } = await api('GET', statementsPath(book, id));
  const lines = h('div', { 'data-view': 'bank-waiting' });
  const outcome = h('div', { 'aria-live': 'polite' });
  await waitingLines(book, id, lines, outcome);
  return h(
    'article',
    { 'data-statement': id, 'aria-labelledby': 'bank-title' },
    h(
      'p',
      {},
      h('a', { href: `#/books/${encodeURIComponent(book.id)}/bank-statements` }, t('bank.back')),
    ),
    h('h2', { id: 'bank-title' }, t('bank.title', { statement: statement.statementId })),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('bank.account')),
      h('dd', {}, statement.account),
      h('dt', {}, t('bank.entries')),
      h('dd', {}, String(statement.entries)),
      h('dt', {}, t('bank.matched')),
      h('dd', {}, String(statement.matched + statement.assigned)),
    ),
    outcome,
    lines,
  );
}

/** #/books/<book>/bank-statements lists, #/books/<book>/bank-statements/<id> shows the waiting lines. */
export function bankStatementsTab(book, item) {
  return item ? statementDetail(book, item) : statementList(book);
}
