// The approver's inbox: pending requests this key may decide, and one request in full with
// approve / reject. Refusals (four eyes, segregation of duties) are shown as the API's problem.
import { api, query } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { formatAmount, formatDate, formatTime, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { announce, refresh } from '../session.js';
import { linesTable, totalsOf } from './entry-lines.js';
import { approvalTimeline } from './charts.js';
import { followInbox } from './live-inbox.js';

/** Pending requests shown at once (the API's page size limit is 1000). */
export const inboxSize = 200;

export async function inboxView([approvalId]) {
  return approvalId ? approvalDetail(approvalId) : inboxList();
}

function actionLabel(action) {
  const key = `action.${action}`;
  const label = t(key);
  return label === key ? action : label;
}

function amountOf(approval, baseCurrencies) {
  const totals = totalsOf(approval.payload?.lines, baseCurrencies.get(approval.book));
  return totals.map(({ amount, currency }) => formatAmount(amount, currency)).join(', ');
}

function stepsText(approval) {
  return approval.steps
    .map((step) =>
      t('inbox.step', {
        role: t(`role.${step.role}`),
        granted: step.granted,
        required: step.required,
      }),
    )
    .join(' → ');
}

async function inboxList() {
  const [{ body }, baseCurrencies] = await Promise.all([
    api(
      'GET',
      `/v1/approvals${query({ status: 'pending', assignedToMe: 'true', limit: inboxSize })}`,
    ),
    baseCurrenciesOfBooks(),
  ]);
  const heading = h('h1', { tabindex: '-1' }, t('inbox.title'));
  // Live: the feed reloads this list when a request arrives or is decided elsewhere.
  const live = { 'data-inbox': '', 'data-live': followInbox() };
  const reload = h(
    'button',
    { type: 'button', class: 'reload', onClick: () => refresh() },
    t('inbox.reload'),
  );
  if (body.items.length === 0)
    return h('section', live, heading, h('p', { class: 'empty' }, t('inbox.empty')), reload);
  return h(
    'section',
    live,
    heading,
    h(
      'table',
      { class: 'list', 'aria-describedby': 'inbox-hint' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'inbox.book',
            'inbox.action',
            'inbox.amount',
            'inbox.requestedBy',
            'inbox.requestedAt',
            'inbox.steps',
            'inbox.open',
          ].map((key) => h('th', { scope: 'col' }, t(key))),
        ),
      ),
      h(
        'tbody',
        {},
        body.items.map((approval) =>
          h(
            'tr',
            { 'data-approval': approval.id },
            h('td', {}, approval.book),
            h(
              'td',
              {},
              actionLabel(approval.action),
              approval.payload?.description ? `: ${approval.payload.description}` : '',
            ),
            h('td', { class: 'num' }, amountOf(approval, baseCurrencies)),
            h('td', {}, approval.requestedBy),
            h('td', {}, formatTime(approval.requestedAt)),
            h('td', {}, stepsText(approval)),
            h(
              'td',
              {},
              h('a', { href: `#/inbox/${encodeURIComponent(approval.id)}` }, t('inbox.decide')),
            ),
          ),
        ),
      ),
    ),
    h('p', { id: 'inbox-hint', class: 'hint' }, t('inbox.hint')),
    reload,
  );
}

/** A line without a currency is in its book's base currency. */
async function baseCurrenciesOfBooks() {
  try {
    const { body } = await api('GET', '/v1/books?limit=1000');
    return new Map(body.items.map((book) => [book.id, book.baseCurrency]));
  } catch {
    return new Map();
  }
}

async function accountNamesOf(book) {
  try {
    const { body } = await api('GET', `/v1/books/${encodeURIComponent(book)}/accounts?limit=1000`);
    return new Map(body.items.map((account) => [account.code, account.name]));
  } catch {
    return new Map();
  }
}

function payloadView(approval, accountNames, baseCurrency) {
  const payload = approval.payload ?? {};
  if (Array.isArray(payload.lines)) {
    return h(
      'div',
      {},
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('entry.effectiveDate')),
        h('dd', {}, formatDate(payload.effectiveDate)),
        h('dt', {}, t('entry.description')),
        h('dd', {}, payload.description ?? ''),
        payload.reference
          ? [h('dt', {}, t('entry.reference')), h('dd', {}, payload.reference)]
          : null,
      ),
      linesTable(payload.lines, { accountNames, baseCurrency, caption: t('inbox.wouldPost') }),
    );
  }
  return h(
    'dl',
    { class: 'facts' },
    Object.entries(payload)
      .filter(([name]) => name !== 'type')
      .map(([name, value]) => [
        h('dt', {}, name),
        h('dd', {}, typeof value === 'string' ? value : JSON.stringify(value)),
      ]),
  );
}

function decisionsView(approval) {
  return h(
    'ol',
    { class: 'steps', 'aria-label': t('inbox.steps') },
    approval.steps.map((step) =>
      h(
        'li',
        {},
        t('inbox.step', {
          role: t(`role.${step.role}`),
          granted: step.granted,
          required: step.required,
        }),
        step.decisions.length > 0
          ? h(
              'ul',
              {},
              step.decisions.map((decision) =>
                h(
                  'li',
                  {},
                  t(`decision.${decision.decision}`, { by: decision.by }),
                  ' · ',
                  formatTime(decision.at),
                  decision.comment ? ` · „${decision.comment}“` : '',
                ),
              ),
            )
          : null,
      ),
    ),
  );
}

function resultView(approval) {
  if (approval.status === 'pending') return null;
  const result = approval.result;
  return h(
    'div',
    { class: 'result', 'data-status': approval.status },
    h('p', {}, h('strong', {}, t(`status.${approval.status}`))),
    approval.reason ? h('p', {}, t('inbox.reason'), ': ', approval.reason) : null,
    result?.status === 'executed' && result.entryId
      ? h(
          'p',
          {},
          t('inbox.posted'),
          ' ',
          h(
            'a',
            { href: `#/books/${encodeURIComponent(approval.book)}/entries` },
            String(result.entryId),
          ),
        )
      : null,
    result?.status === 'failed'
      ? h('p', { role: 'alert' }, t('inbox.failed'), ': ', result.error?.detail ?? '')
      : null,
  );
}

async function approvalDetail(approvalId) {
  const { body: approval } = await api('GET', `/v1/approvals/${encodeURIComponent(approvalId)}`);
  const [accountNames, baseCurrencies] = await Promise.all([
    accountNamesOf(approval.book),
    baseCurrenciesOfBooks(),
  ]);
  const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
  const section = h(
    'section',
    { 'data-approval': approval.id, 'data-status': approval.status },
    h('p', {}, h('a', { href: '#/inbox' }, t('inbox.back'))),
    h('h1', { tabindex: '-1' }, actionLabel(approval.action), ' · ', approval.book),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('inbox.status')),
      h('dd', { class: 'approval-status' }, t(`status.${approval.status}`)),
      h('dt', {}, t('inbox.requestedBy')),
      h('dd', {}, approval.requestedBy),
      h('dt', {}, t('inbox.requestedAt')),
      h('dd', {}, formatTime(approval.requestedAt)),
      approval.expiresAt
        ? [h('dt', {}, t('inbox.expiresAt')), h('dd', {}, formatTime(approval.expiresAt))]
        : null,
    ),
    h('h2', {}, t('inbox.whatItDoes')),
    payloadView(approval, accountNames, baseCurrencies.get(approval.book)),
    h('h2', {}, t('inbox.steps')),
    approvalTimeline(approval),
    decisionsView(approval),
    resultView(approval),
    approval.status === 'pending' ? decisionForm(approval, outcome) : null,
    outcome,
  );
  return section;
}

function decisionForm(approval, outcome) {
  const commentId = uid('comment');
  const comment = h('textarea', { id: commentId, name: 'comment', rows: '3', maxlength: '1000' });
  const buttons = [];
  const decide = async (kind) => {
    const text = comment.value.trim();
    if (kind === 'reject' && !text) {
      replace(outcome, h('p', { role: 'alert', class: 'problem' }, t('inbox.reasonNeeded')));
      comment.focus();
      return;
    }
    buttons.forEach((button) => (button.disabled = true));
    replace(outcome);
    try {
      const body = kind === 'approve' ? (text ? { comment: text } : {}) : { reason: text };
      await api('POST', `/v1/approvals/${encodeURIComponent(approval.id)}/${kind}`, { body });
      const { body: decided } = await api(
        'GET',
        `/v1/approvals/${encodeURIComponent(approval.id)}`,
      );
      announce(t(kind === 'approve' ? 'inbox.approved' : 'inbox.rejected'));
      const fresh = await approvalDetail(decided.id);
      outcome.closest('section')?.replaceWith(fresh);
      fresh.querySelector('h1')?.focus();
    } catch (error) {
      replace(outcome, problemView(error));
      buttons.forEach((button) => (button.disabled = false));
    }
  };
  buttons.push(
    h(
      'button',
      { type: 'button', class: 'approve', onClick: () => decide('approve') },
      t('inbox.approve'),
    ),
    h(
      'button',
      { type: 'button', class: 'reject', onClick: () => decide('reject') },
      t('inbox.reject'),
    ),
  );
  return h(
    'form',
    {
      class: 'card decision',
      'aria-label': t('inbox.decision'),
      onSubmit: (event) => event.preventDefault(),
    },
    h('div', { class: 'field' }, h('label', { for: commentId }, t('inbox.comment')), comment),
    h('div', { class: 'buttons' }, buttons),
  );
}
