import { FieldError, ProblemCode } from '../../event-sourcing/index.js';

/** Every problem type Kontor answers with: the kernel's codes plus those only HTTP knows. */
export type ProblemSlug =
  | ProblemCode
  | 'unsupported-media-type'
  | 'internal-error'
  | 'store-unavailable'
  | 'insufficient-storage';

export interface ProblemType {
  status: number;
  title: string;
  /** For a person reading `GET /problems/<slug>`. */
  explanation: string;
  /** The same in one German line. */
  explanationDe: string;
}

/** RFC 9457 problem details, as sent with `application/problem+json`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export const problemContentType = 'application/problem+json';

export const problemTypes: Record<ProblemSlug, ProblemType> = {
  validation: {
    status: 400,
    title: 'Invalid request',
    explanation:
      'The request body, a query parameter or a path parameter is malformed or breaks a rule of the API: a missing or unknown field, a wrong type, an amount with too many decimals, malformed JSON. `errors` lists each field and what is wrong with it. Fix the request and send it again.',
    explanationDe:
      'Die Anfrage ist fehlerhaft (Feld fehlt, unbekannt oder hat den falschen Typ); `errors` nennt jedes Feld.',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    explanation:
      'The request carries no API key, or a key Kontor does not know or that was revoked. Send `Authorization: Bearer <api-key>`.',
    explanationDe: 'Kein, ein unbekannter oder ein widerrufener API-Schlüssel.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    explanation:
      'The API key is valid but its roles do not grant this action, the key is restricted to other books, or the server is a read-only replica.',
    explanationDe:
      'Der API-Schlüssel darf diese Aktion nicht ausführen (Rolle, Buch oder schreibgeschützte Instanz).',
  },
  'segregation-of-duties': {
    status: 403,
    title: 'Segregation of duties',
    explanation:
      'Four-eyes principle: the requester of an approval can never approve it, and nobody decides twice on one request.',
    explanationDe:
      'Vier-Augen-Prinzip: Wer anfragt, darf nicht selbst freigeben; niemand entscheidet zweimal.',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    explanation:
      'The route or the resource (book, account, entry, approval, key …) does not exist.',
    explanationDe: 'Die Route oder die Ressource existiert nicht.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    explanation: 'The resource exists but does not support this HTTP method.',
    explanationDe: 'Diese HTTP-Methode wird für die Ressource nicht unterstützt.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    explanation:
      'The request conflicts with the current state: the thing already exists, was already done, or changed concurrently. Read the current state and decide again.',
    explanationDe:
      'Konflikt mit dem aktuellen Zustand (existiert bereits, schon erledigt oder gleichzeitig geändert).',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    explanation: 'The request body is larger than 1 MiB. Split the work into smaller requests.',
    explanationDe: 'Der Anfrageinhalt ist größer als 1 MiB.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    explanation: 'Request bodies must be JSON: send `Content-Type: application/json`.',
    explanationDe: 'Anfragen müssen JSON sein (`Content-Type: application/json`).',
  },
  'unbalanced-entry': {
    status: 422,
    title: 'Unbalanced journal entry',
    explanation:
      'Double-entry bookkeeping: in every currency, the debits of a journal entry must equal its credits. Nothing was posted.',
    explanationDe:
      'Soll und Haben der Buchung sind je Währung nicht ausgeglichen; nichts wurde gebucht.',
  },
  'period-closed': {
    status: 422,
    title: 'Period closed',
    explanation:
      'The effective date lies in a closed accounting period. Post in an open period, or reopen the period (which may need an approval).',
    explanationDe: 'Das Buchungsdatum liegt in einer abgeschlossenen Periode.',
  },
  'account-closed': {
    status: 422,
    title: 'Account closed',
    explanation: 'The account is closed and takes no postings.',
    explanationDe: 'Das Konto ist geschlossen und nimmt keine Buchungen an.',
  },
  'unknown-account': {
    status: 422,
    title: 'Unknown account',
    explanation: 'A line refers to an account code that does not exist in this book.',
    explanationDe: 'Eine Buchungszeile nennt ein Konto, das es in diesem Buch nicht gibt.',
  },
  'idempotency-mismatch': {
    status: 422,
    title: 'Idempotency key reused',
    explanation:
      'The `Idempotency-Key` was used before with a different request body. Use a new key for a new request; repeat the same body to get the original response.',
    explanationDe: 'Der Idempotency-Key wurde bereits für eine andere Anfrage verwendet.',
  },
  'business-rule': {
    status: 422,
    title: 'Business rule violated',
    explanation: 'The request is well-formed but breaks a business rule; `detail` names it.',
    explanationDe: 'Die Anfrage verletzt eine Geschäftsregel; `detail` nennt sie.',
  },
  'invalid-invoice': {
    status: 422,
    title: 'Not a readable e-invoice',
    explanation:
      'The body is not an XRechnung / EN 16931 invoice Kontor can read: not well-formed XML, an XML bomb (DOCTYPE, entities, nesting or size beyond the documented limits), another XML document, an unreadable amount or date, or a PDF without an embedded factur-x.xml / zugferd-invoice.xml / xrechnung.xml. `detail` names the reason; nothing was stored.',
    explanationDe:
      'Keine lesbare E-Rechnung (kein wohlgeformtes XML, XML-Bombe, kein Rechnungsdokument oder PDF ohne eingebettete Rechnung); nichts wurde gespeichert.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    explanation:
      'This API key sent too many requests. Wait as long as `Retry-After` says, then try again.',
    explanationDe: 'Zu viele Anfragen; bitte gemäß `Retry-After` warten.',
  },
  'internal-error': {
    status: 500,
    title: 'Internal error',
    explanation:
      'Kontor hit a bug. Nothing half-done was stored: events are appended atomically. The server log holds the details under the correlation id of the response.',
    explanationDe: 'Interner Fehler; Details stehen im Serverlog unter der Correlation-ID.',
  },
  'store-unavailable': {
    status: 503,
    title: 'Store unavailable',
    explanation:
      'The database is unreachable for a moment (restarting, failing over, too many connections). Retry after `Retry-After` seconds; repeat a posting with the same `Idempotency-Key`, so that a write whose answer was lost is not posted twice.',
    explanationDe:
      'Die Datenbank ist kurz nicht erreichbar; nach `Retry-After` Sekunden erneut versuchen (Buchungen mit demselben Idempotency-Key).',
  },
  'insufficient-storage': {
    status: 507,
    title: 'Insufficient storage',
    explanation:
      'The disk of the database is full: nothing more can be written until an operator frees space; reads still work. Retry after `Retry-After` seconds.',
    explanationDe:
      'Der Datenträger der Datenbank ist voll; Schreiben ist erst wieder möglich, wenn Platz geschaffen wurde.',
  },
  'not-ready': {
    status: 503,
    title: 'Not ready',
    explanation:
      'Kontor cannot answer yet: the store is unreachable, or a read model has not caught up with `consistentWith` in time. Retry shortly.',
    explanationDe:
      'Kontor ist noch nicht bereit (Speicher nicht erreichbar oder Lesemodell nicht aktuell).',
  },
};

export function isProblemSlug(value: string): value is ProblemSlug {
  return Object.hasOwn(problemTypes, value);
}

export function problemDetails(
  slug: ProblemSlug,
  detail: string,
  errors?: FieldError[],
): ProblemDetails {
  const { status, title } = problemTypes[slug];
  return {
    type: `/problems/${slug}`,
    title,
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}
