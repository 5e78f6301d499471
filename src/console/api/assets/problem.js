import { h, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * An API problem shown as the API said it: its title, status, type and detail, and each field
 * error. role="alert" so screen readers announce it.
 */
export function problemView(error) {
  const problem = error?.problem ?? { title: String(error?.message ?? error), status: 0 };
  const slug = String(problem.type ?? '').replace(/^\/problems\//, '');
  return h(
    'div',
    { class: 'problem', role: 'alert', 'data-problem': slug || 'unknown' },
    h('strong', {}, problem.title ?? t('problem.failed')),
    problem.status
      ? h('span', { class: 'problem-status' }, ` (${problem.status}${slug ? `, ${slug}` : ''})`)
      : null,
    problem.detail ? h('p', { class: 'problem-detail' }, problem.detail) : null,
    Array.isArray(problem.errors) && problem.errors.length > 0
      ? h(
          'ul',
          {},
          problem.errors.map((fieldError) =>
            h('li', {}, h('code', {}, fieldError.field), ': ', fieldError.message),
          ),
        )
      : null,
  );
}

/**
 * Renders what `load` answers (a node or several) into `result` now and on each submit of `form`;
 * a failed load shows its problem there instead.
 */
export async function showOnSubmit(form, result, load) {
  const show = async () => {
    try {
      replace(result, ...[await load()].flat());
    } catch (error) {
      replace(result, problemView(error));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  await show();
}
