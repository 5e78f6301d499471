// Who is signed in (the answer of GET /v1/me) and small helpers the views share.
import { replace } from './dom.js';

export const session = { me: undefined };

/** Whether the signed-in key holds one of these roles (only to offer a view; the API decides). */
export function can(roles) {
  return session.me?.roles.some((role) => roles.includes(role)) ?? false;
}

/** Announces a short message to screen readers and shows it in the status line. */
export function announce(message) {
  replace(document.getElementById('status'), message);
}

let rerender = () => undefined;
export function onRefresh(callback) {
  rerender = callback;
}
/** Re-renders the current view (after an action changed what it shows). */
export function refresh() {
  return rerender();
}
