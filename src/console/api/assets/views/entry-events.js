// A journal entry's own events (GET /v1/books/<book>/journal-entries/<id>/events): its posting,
// its reversal's posting and its approval's events, each with who, when, why and its chain hash.
import { api } from '../api.js';
import { h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { problemView } from '../problem.js';
import { can } from '../session.js';

/** The roles that grant `events:read` (only to offer the table; the API decides). */
const eventReaders = ['accountant', 'auditor', 'compliance', 'admin', 'subscriber'];

export async function entryEventsSection(book, entryId) {
  if (!can(eventReaders)) return null;
  try {
    const { body } = await api(
      'GET',
      `/v1/books/${encodeURIComponent(book.id)}/journal-entries/${encodeURIComponent(entryId)}/events`,
    );
    return eventsTable(body.items);
  } catch (error) {
    return problemView(error);
  }
}

function eventsTable(events) {
  const columns = [
    'audit.position',
    'entryEvents.relation',
    'audit.type',
    'audit.recordedAt',
    'entryEvents.actor',
    'audit.correlationId',
    'audit.causationId',
    'entryEvents.hash',
  ];
  return h(
    'table',
    { class: 'list entry-events' },
    h('caption', {}, t('entryEvents.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((key) => h('th', { scope: 'col' }, t(key))),
      ),
    ),
    h(
      'tbody',
      {},
      events.map((event) =>
        h(
          'tr',
          { 'data-position': String(event.position), 'data-relation': event.relation },
          h('th', { scope: 'row' }, String(event.position)),
          h('td', {}, t(`entryEvents.relation.${event.relation}`)),
          h('td', {}, event.type),
          h('td', {}, formatTime(event.recordedAt)),
          h('td', {}, event.metadata.actor.name),
          h('td', {}, h('code', { class: 'hash' }, event.metadata.correlationId)),
          h('td', {}, h('code', { class: 'hash' }, event.metadata.causationId ?? '—')),
          h('td', {}, h('code', { class: 'hash' }, event.hash)),
        ),
      ),
    ),
  );
}
