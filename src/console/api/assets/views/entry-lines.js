// A journal entry's lines as a readable table: account (code and name), debit, credit, memo.
import { h } from '../dom.js';
import { formatAmount, t } from '../i18n.js';

/** Debit totals per currency of a list of lines, as decimal strings (no floats: minor units as BigInt). */
export function totalsOf(lines, baseCurrency) {
  const totals = new Map();
  for (const line of lines ?? []) {
    if (!line.debit) continue;
    const currency = line.currency ?? baseCurrency ?? '';
    const [whole, fraction = ''] = String(line.debit).split('.');
    const previous = totals.get(currency) ?? { minor: 0n, digits: 0 };
    const digits = Math.max(previous.digits, fraction.length);
    const scale = (value, from) => value * 10n ** BigInt(digits - from);
    const minor =
      scale(previous.minor, previous.digits) + scale(BigInt(whole + fraction), fraction.length);
    totals.set(currency, { minor, digits });
  }
  return [...totals].map(([currency, { minor, digits }]) => {
    const text = minor.toString().padStart(digits + 1, '0');
    const amount = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
    return { currency, amount };
  });
}

export function linesTable(lines, { accountNames = new Map(), baseCurrency, caption } = {}) {
  return h(
    'table',
    { class: 'lines' },
    caption ? h('caption', {}, caption) : null,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('entry.account')),
        h('th', { scope: 'col', class: 'num' }, t('entry.debit')),
        h('th', { scope: 'col', class: 'num' }, t('entry.credit')),
        h('th', { scope: 'col' }, t('entry.memo')),
      ),
    ),
    h(
      'tbody',
      {},
      (lines ?? []).map((line) => {
        const currency = line.currency ?? baseCurrency;
        const name = accountNames.get(line.account);
        return h(
          'tr',
          {},
          h('td', {}, line.account, name ? ` ${name}` : ''),
          h('td', { class: 'num' }, line.debit ? formatAmount(line.debit, currency) : ''),
          h('td', { class: 'num' }, line.credit ? formatAmount(line.credit, currency) : ''),
          h('td', {}, line.memo ?? ''),
        );
      }),
    ),
  );
}
