// The auditor's view: the audit trail with every filter of /v1/audit and paging, the hash
// chain's verification and the current digest, and the trail as a CSV/JSONL download.
import { api, download, query } from '../api.js';
import { field, h, replace, saveFile } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { announce } from '../session.js';

/** Events per page of the trail (the API allows up to 1000). */
export const auditPageSize = 50;

const filters = [
  { name: 'book', label: 'audit.book' },
  { name: 'actor', label: 'audit.actor' },
  { name: 'type', label: 'audit.type' },
  { name: 'stream', label: 'audit.stream' },
  { name: 'correlationId', label: 'audit.correlationId' },
  { name: 'from', label: 'audit.from', type: 'datetime-local' },
  { name: 'to', label: 'audit.to', type: 'datetime-local' },
];

export async function auditView() {
  const verifyBox = h('section', { class: 'card verify', 'aria-labelledby': 'verify-title' });
  const results = h('div', { class: 'audit-results' });
  const inputs = new Map();
  const form = h(
    'form',
    { class: 'card filters', role: 'search', 'aria-label': t('audit.filters') },
    h(
      'div',
      { class: 'field-grid' },
      filters.map((filter) => {
        const { row, input } = field(t(filter.label), {
          name: filter.name,
          type: filter.type ?? 'text',
        });
        inputs.set(filter.name, { input, filter });
        return row;
      }),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit' }, t('audit.apply')),
      h('button', { type: 'button', onClick: () => exportTrail('csv') }, t('audit.exportCsv')),
      h('button', { type: 'button', onClick: () => exportTrail('jsonl') }, t('audit.exportJsonl')),
    ),
  );
  const currentFilter = () => {
    const values = {};
    for (const [name, { input, filter }] of inputs) {
      const value = input.value.trim();
      if (!value) continue;
      values[name] = filter.type === 'datetime-local' ? new Date(value).toISOString() : value;
    }
    return values;
  };
  const exportTrail = async (format) => {
    try {
      const blob = await download(`/v1/audit/export${query({ ...currentFilter(), format })}`);
      saveFile(blob, `kontor-audit.${format}`);
    } catch (error) {
      replace(results, problemView(error));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showTrail(results, currentFilter());
  });
  await Promise.all([showVerify(verifyBox), showTrail(results, {})]);
  return h('section', {}, h('h1', { tabindex: '-1' }, t('audit.title')), verifyBox, form, results);
}

async function showVerify(box) {
  try {
    const [{ body: verify }, { body: digest }] = await Promise.all([
      api('GET', '/v1/audit/verify'),
      api('GET', '/v1/audit/digest'),
    ]);
    const digestId = 'digest-hash';
    replace(
      box,
      h('h2', { id: 'verify-title' }, t('audit.chain')),
      h(
        'p',
        { class: verify.ok ? 'ok' : 'broken', 'data-verify': verify.ok ? 'ok' : 'broken' },
        verify.ok
          ? t('audit.chainOk', { count: verify.checkedEvents })
          : t('audit.chainBroken', { position: verify.firstBrokenPosition }),
      ),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('audit.digestPosition')),
        h('dd', {}, String(digest.position)),
        h('dt', {}, t('audit.digestHash')),
        h('dd', {}, h('code', { id: digestId, class: 'hash' }, digest.hash)),
        h('dt', {}, t('audit.digestAt')),
        h('dd', {}, formatTime(digest.at)),
      ),
      h(
        'button',
        {
          type: 'button',
          'aria-describedby': digestId,
          onClick: async () => {
            await navigator.clipboard?.writeText(digest.hash);
            announce(t('audit.copied'));
          },
        },
        t('audit.copyDigest'),
      ),
    );
  } catch (error) {
    replace(box, h('h2', { id: 'verify-title' }, t('audit.chain')), problemView(error));
  }
}

async function showTrail(container, filter, cursor, appendTo) {
  let page;
  try {
    page = (await api('GET', `/v1/audit${query({ ...filter, limit: auditPageSize, cursor })}`))
      .body;
  } catch (error) {
    replace(container, problemView(error));
    return;
  }
  const rows = page.items.map((item) =>
    h(
      'tr',
      { 'data-position': String(item.position), 'data-type': item.type },
      h('td', { class: 'num' }, String(item.position)),
      h('td', {}, formatTime(item.recordedAt)),
      h('td', {}, item.type),
      h('td', {}, item.actor?.name ?? ''),
      h('td', {}, item.summary ?? ''),
      h('td', {}, recordDetails(item)),
    ),
  );
  const more = page.nextCursor
    ? h(
        'button',
        {
          type: 'button',
          class: 'more',
          onClick: (event) => {
            event.currentTarget.remove();
            showTrail(container, filter, page.nextCursor, tbody);
          },
        },
        t('audit.more'),
      )
    : null;
  if (appendTo) {
    appendTo.append(...rows);
    if (more) container.append(more);
    announce(t('audit.loaded', { count: rows.length }));
    return;
  }
  const tbody = h('tbody', {}, rows);
  replace(
    container,
    h('p', { class: 'count', role: 'status' }, t('audit.shown', { count: rows.length })),
    h(
      'table',
      { class: 'list audit' },
      h('caption', {}, t('audit.trail')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'audit.position',
            'audit.recordedAt',
            'audit.type',
            'audit.actor',
            'audit.summary',
            'audit.record',
          ].map((key) => h('th', { scope: 'col' }, t(key))),
        ),
      ),
      tbody,
    ),
    more,
  );
}

function recordDetails(item) {
  return h(
    'details',
    {},
    h('summary', {}, t('audit.show')),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('audit.stream')),
      h('dd', {}, item.streamId),
      h('dt', {}, t('audit.actor')),
      h('dd', {}, `${item.actor?.name ?? ''} (${item.actor?.id ?? ''})`),
      h('dt', {}, t('audit.correlationId')),
      h('dd', {}, item.correlationId ?? '—'),
      h('dt', {}, t('audit.causationId')),
      h('dd', {}, item.causationId ?? '—'),
    ),
    h('pre', {}, JSON.stringify(item.data, null, 2)),
    item.book
      ? h(
          'p',
          {},
          h(
            'a',
            {
              href: `#/books/${encodeURIComponent(item.book)}/replay/${item.position}`,
              'data-replay': String(item.position),
            },
            t('audit.booksAsOf', { position: item.position }),
          ),
        )
      : null,
  );
}
