// The inbox's live feed: GET /v1/console/approvals/stream (SSE, authenticated by the session
// cookie). When a request arrives or is decided elsewhere, the inbox list reloads itself.
import { announce, refresh } from '../session.js';
import { t } from '../i18n.js';

let source;

function inboxShown() {
  return document.querySelector('section[data-inbox]');
}

function markLive(state) {
  inboxShown()?.setAttribute('data-live', state);
}

/** Opens the feed once (a re-render keeps it) and returns its state for the section shown. */
export function followInbox() {
  if (source && source.readyState !== EventSource.CLOSED)
    return source.readyState === EventSource.OPEN ? 'on' : 'connecting';
  source = new EventSource('/v1/console/approvals/stream');
  source.addEventListener('open', () => markLive('on'));
  source.addEventListener('error', () => markLive('connecting'));
  source.addEventListener('message', () => {
    if (!inboxShown()) return;
    announce(t('inbox.changed'));
    refresh();
  });
  return 'connecting';
}

/** Closes the feed (leaving the inbox, signing out). */
export function stopFollowingInbox() {
  source?.close();
  source = undefined;
}
