// German and English labels: the browser's language (Accept-Language) unless the switch chose one;
// German when it is neither.
import { de } from './i18n-de.js';
import { en } from './i18n-en.js';

const dictionaries = { de, en };
const storageKey = 'kontor.lang';

/** The switch's choice if made, else the browser's first language (its Accept-Language), else German. */
function initialLang() {
  const chosen = localStorage.getItem(storageKey);
  if (chosen === 'de' || chosen === 'en') return chosen;
  const preferred = (navigator.languages ?? [navigator.language]).find((tag) =>
    /^(de|en)\b/i.test(tag ?? ''),
  );
  return preferred?.toLowerCase().startsWith('en') ? 'en' : 'de';
}

let current = initialLang();

export function lang() {
  return current;
}

/** `remember`: the switch's choice is kept for the next visits; the browser's default is not. */
export function setLang(next, remember = true) {
  current = next === 'en' ? 'en' : 'de';
  if (remember) localStorage.setItem(storageKey, current);
  document.documentElement.lang = current;
}

/** t('inbox.title'), t('audit.more', { count: 3 }): the text in the current language. */
export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_match, name) => String(params[name] ?? ''));
}

/**
 * A decimal amount string of the API ("1234.56", "-3.5") formatted for people without ever
 * becoming a float: German 1.234,56, English 1,234.56.
 */
export function formatAmount(amount, currency) {
  if (amount === undefined || amount === null || amount === '') return '';
  const text = String(amount);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const [group, decimal] = current === 'de' ? ['.', ','] : [',', '.'];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const number = `${negative ? '−' : ''}${grouped}${fraction ? decimal + fraction : ''}`;
  if (!currency) return number;
  return current === 'de' ? `${number} ${currency}` : `${currency} ${number}`;
}

/** "2026-03-31" as 31.03.2026 (German) or 2026-03-31 (English, unambiguous). */
export function formatDate(date) {
  if (!date) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match || current !== 'de') return date;
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** An ISO time in the reader's time zone, in the current language's format. */
export function formatTime(iso) {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return new Intl.DateTimeFormat(current === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(time);
}
