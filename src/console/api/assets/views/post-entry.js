// Posting a journal entry: a form whose problems are shown where they are (the API's field
// errors beside their inputs) and as the API's problem at the top. One Idempotency-Key per
// filled-in form, so a double click or a retry posts once.
import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { problemView } from '../problem.js';
import { announce } from '../session.js';

/** Rows the form starts with, and at most this many (the API's own limit is checked by the API). */
export const entryFormLinesInitial = 2;
export const entryFormLinesMax = 100;

function input(fieldPath, attributes) {
  return h('input', { ...attributes, 'data-field': fieldPath, id: uid('in') });
}

function labelled(label, control, className) {
  return h(
    'div',
    { class: `field ${className ?? ''}` },
    h('label', { for: control.id }, label),
    control,
  );
}

export function postEntryForm(book, accounts) {
  const listId = uid('accounts');
  const datalist = h(
    'datalist',
    { id: listId },
    accounts
      .filter((account) => account.status === 'open')
      .map((account) => h('option', { value: account.code }, `${account.code} ${account.name}`)),
  );
  const today = new Date().toISOString().slice(0, 10);
  const effectiveDate = input('effectiveDate', {
    type: 'date',
    name: 'effectiveDate',
    required: true,
    value: today,
  });
  const description = input('description', {
    name: 'description',
    required: true,
    maxlength: '500',
  });
  const reference = input('reference', { name: 'reference', maxlength: '100' });
  const lines = h('tbody', {});
  const linesBox = h(
    'fieldset',
    { class: 'lines-box', 'data-field': 'lines' },
    h('legend', {}, t('entry.lines')),
  );
  const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
  let idempotencyKey = crypto.randomUUID();

  const addLine = () => {
    if (lines.children.length >= entryFormLinesMax) return;
    const index = lines.children.length;
    const row = h(
      'tr',
      {},
      h(
        'td',
        {},
        labelled(
          t('entry.account'),
          input(`lines[${index}].account`, {
            name: 'account',
            list: listId,
            required: true,
            autocomplete: 'off',
          }),
        ),
      ),
      h(
        'td',
        {},
        labelled(
          t('entry.debit'),
          input(`lines[${index}].debit`, {
            name: 'debit',
            inputmode: 'decimal',
            placeholder: '0.00',
          }),
        ),
      ),
      h(
        'td',
        {},
        labelled(
          t('entry.credit'),
          input(`lines[${index}].credit`, {
            name: 'credit',
            inputmode: 'decimal',
            placeholder: '0.00',
          }),
        ),
      ),
      h(
        'td',
        {},
        labelled(
          t('entry.currency'),
          input(`lines[${index}].currency`, {
            name: 'currency',
            placeholder: book.baseCurrency,
            maxlength: '3',
            size: '4',
          }),
        ),
      ),
      h('td', {}, labelled(t('entry.memo'), input(`lines[${index}].memo`, { name: 'memo' }))),
    );
    lines.append(row);
    return row;
  };
  for (let index = 0; index < entryFormLinesInitial; index += 1) addLine();

  linesBox.append(
    h('table', { class: 'entry-form-lines' }, lines),
    h(
      'button',
      { type: 'button', onClick: () => addLine()?.querySelector('input')?.focus() },
      t('entry.addLine'),
    ),
  );
  const form = h(
    'form',
    { class: 'card post-entry', 'aria-labelledby': 'post-title', novalidate: true },
    h('h2', { id: 'post-title' }, t('books.post')),
    datalist,
    h(
      'div',
      { class: 'field-grid' },
      labelled(t('entry.effectiveDate'), effectiveDate),
      labelled(t('entry.description'), description),
      labelled(t('entry.reference'), reference),
    ),
    linesBox,
    outcome,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('entry.submit'))),
  );

  form.addEventListener('input', () => {
    // A changed form is a new request: a new key, else the API answers idempotency-mismatch.
    idempotencyKey = crypto.randomUUID();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    replace(outcome);
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const { status, body } = await api(
        'POST',
        `/v1/books/${encodeURIComponent(book.id)}/journal-entries`,
        {
          body: entryBody({ effectiveDate, description, reference, lines }),
          headers: { 'idempotency-key': idempotencyKey },
        },
      );
      const message =
        status === 202
          ? t('entry.pending', { id: body.approvalId })
          : t('entry.posted', { id: body.id });
      replace(
        outcome,
        h('p', { class: 'success', 'data-entry': body.id, 'data-status': body.status }, message),
      );
      announce(message);
      form.querySelectorAll('input').forEach((control) => {
        if (control !== effectiveDate) control.value = '';
      });
      idempotencyKey = crypto.randomUUID();
    } catch (error) {
      replace(outcome, problemView(error));
      showFieldErrors(form, error.problem?.errors ?? []);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function entryBody({ effectiveDate, description, reference, lines }) {
  const value = (control) => control.value.trim();
  return {
    effectiveDate: value(effectiveDate),
    description: value(description),
    ...(value(reference) ? { reference: value(reference) } : {}),
    lines: [...lines.children].map((row) => {
      const line = {};
      for (const control of row.querySelectorAll('input')) {
        const text = value(control);
        if (text) line[control.name] = control.name === 'currency' ? text.toUpperCase() : text;
      }
      return line;
    }),
  };
}

function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('[aria-invalid]').forEach((node) => {
    node.removeAttribute('aria-invalid');
    node.removeAttribute('aria-describedby');
  });
}

/** Each `{ field, message }` of the problem beside its input (`lines[1].debit`), or beside the lines. */
function showFieldErrors(form, errors) {
  let first;
  for (const fieldError of errors) {
    const target = [...form.querySelectorAll('[data-field]')].find(
      (node) => node.dataset.field === fieldError.field,
    );
    const fallback = form.querySelector('fieldset[data-field="lines"]');
    const anchor = target ?? (String(fieldError.field).startsWith('lines') ? fallback : null);
    if (!anchor) continue;
    const id = uid('err');
    const message = h(
      'small',
      { id, class: 'field-error', 'data-error-for': fieldError.field },
      fieldError.message,
    );
    if (anchor.tagName === 'FIELDSET') anchor.append(message);
    else anchor.after(message);
    anchor.setAttribute('aria-invalid', 'true');
    anchor.setAttribute('aria-describedby', id);
    first ??= anchor;
  }
  (first?.tagName === 'INPUT' ? first : form.querySelector('.problem'))?.focus?.();
}
