import { Actor, currencyDigits, formatAmount, RecordedEvent } from '../../event-sourcing/index.js';
import { documentSummary } from '../../ledger/index.js';

/** A summary is one line of at most this many characters (longer free text is cut with "…"). */
export const summaryLengthMax = 300;
/** Free text inside a summary (descriptions, reasons, comments) is cut to this many characters. */
export const summaryTextLengthMax = 120;

type Data = Record<string, unknown>;
type Summarizer = (
  data: Data,
  actor: string,
  event: Pick<RecordedEvent, 'type' | 'streamId'>,
) => string;

/**
 * A one-line human summary of an event ("alice posted JE-1 1,200.00 EUR: Rent February").
 * Pure: the same event always gives the same text (the audit trail is rebuilt from the log).
 * Secrets never appear: API key events show the key id, name and roles, never the hash.
 */
export function summarizeEvent(
  event: Pick<RecordedEvent, 'type' | 'streamId' | 'data' | 'metadata'>,
): string {
  const actor = actorLabel(event.metadata?.actor);
  const data = isObject(event.data) ? event.data : {};
  const summarizer = summarizers[event.type];
  let text: string;
  try {
    text = summarizer
      ? summarizer(data, actor, event)
      : (documentSummary(event.type, data, actor) ?? genericSummary(actor, event));
  } catch {
    text = genericSummary(actor, event);
  }
  return oneLine(text, summaryLengthMax);
}

function genericSummary(actor: string, event: Pick<RecordedEvent, 'type' | 'streamId'>): string {
  return `${actor} recorded ${event.type} on ${event.streamId}`;
}

function actorLabel(actor: Actor | undefined): string {
  return actor && typeof actor.name === 'string' && actor.name !== ''
    ? actor.name
    : (actor?.id ?? 'unknown');
}

// ---------------------------------------------------------------- ledger

interface Line {
  side?: unknown;
  amountMinor?: unknown;
  currency?: unknown;
}

/** Total debits per currency, e.g. "1,200.00 EUR" or "1,200.00 EUR + 50.00 USD". */
export function entryAmountText(lines: unknown): string {
  if (!Array.isArray(lines)) return '';
  const totals = new Map<string, bigint>();
  for (const line of lines as Line[]) {
    if (
      line?.side !== 'debit' ||
      typeof line.currency !== 'string' ||
      typeof line.amountMinor !== 'string'
    )
      continue;
    if (!/^\d{1,30}$/.test(line.amountMinor)) continue;
    totals.set(line.currency, (totals.get(line.currency) ?? 0n) + BigInt(line.amountMinor));
  }
  return [...totals]
    .map(([currency, minor]) => `${groupedAmount(minor, currency)} ${currency}`)
    .join(' + ');
}

/** "1234567.50" → "1,234,567.50" (the currency's digits; grouping for people, not for machines). */
export function groupedAmount(minor: bigint, currency: string): string {
  const plain =
    currencyDigits(currency) === undefined ? minor.toString() : formatAmount(minor, currency);
  const [whole, fraction] = plain.split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const digits = sign ? whole!.slice(1) : whole!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

function journalEntryPosted(data: Data, actor: string): string {
  const amount = entryAmountText(data.lines);
  const reversal = data.reversalOf !== undefined ? ` reversing ${str(data.reversalOf)}` : '';
  const reference = data.reference !== undefined ? ` (ref ${text(data.reference)})` : '';
  return `${actor} posted ${str(data.entryId)}${reversal}${amount ? ` ${amount}` : ''}: ${text(data.description)}${reference}`;
}

// ---------------------------------------------------------------- approvals

function keyHolderName(value: unknown): string {
  return isObject(value) && typeof value.name === 'string' ? value.name : 'unknown';
}

function onBehalf(data: Data): string {
  return data.onBehalfOf !== undefined ? ` for ${keyHolderName(data.onBehalfOf)}` : '';
}

function requestedAmount(data: Data): string {
  const summary = isObject(data.summary) ? data.summary : {};
  const totals = isObject(summary.debitTotalsMinor) ? summary.debitTotalsMinor : {};
  const parts = Object.entries(totals)
    .filter(([, minor]) => typeof minor === 'string' && /^\d{1,30}$/.test(minor))
    .map(([currency, minor]) => `${groupedAmount(BigInt(minor as string), currency)} ${currency}`);
  return parts.length > 0 ? ` ${parts.join(' + ')}` : '';
}

function executionResult(data: Data): string {
  const result = isObject(data.result) ? data.result : {};
  if (result.entryId !== undefined) return `: posted ${str(result.entryId)}`;
  const fields = Object.keys(result);
  return fields.length > 0
    ? `: ${fields.map((field) => `${field} ${str(result[field])}`).join(', ')}`
    : '';
}

// ---------------------------------------------------------------- the table

const summarizers: Record<string, Summarizer> = {
  BookOpened: (d, a) =>
    `${a} opened book ${str(d.bookId)} "${text(d.name)}" (${str(d.baseCurrency)})`,
  AccountOpened: (d, a) =>
    `${a} opened account ${str(d.code)} ${text(d.name)} (${str(d.type)}${d.currency !== undefined ? `, ${str(d.currency)}` : ''})${d.iban !== undefined ? `, IBAN ${str(d.iban)}` : ''}`,
  AccountIbanChanged: (d, a) =>
    d.iban === null
      ? `${a} removed the IBAN of account ${str(d.code)}`
      : `${a} set the IBAN of account ${str(d.code)} to ${str(d.iban)}`,
  AccountClosed: (d, a) => `${a} closed account ${str(d.code)}`,
  JournalEntryPosted: journalEntryPosted,
  PeriodClosed: (d, a) => `${a} closed period ${str(d.period)}`,
  PeriodReopened: (d, a) => `${a} reopened period ${str(d.period)}: ${text(d.reason)}`,
  TaxCodeDefined: (d, a) => `${a} defined tax code ${str(d.code)} ${text(d.name)} (${str(d.kind)})`,

  ApprovalPolicyDefined: (d, a) =>
    `${a} defined approval policy "${text(d.name)}" for ${str(d.action)} in ${str(d.book)}`,
  ApprovalPolicyRetired: (d, a) =>
    `${a} retired approval policy ${str(d.policyId)} in ${str(d.book)}`,
  ApprovalRequested: (d, a) =>
    `${a} requested approval ${str(d.approvalId)} for ${str(d.action)} in ${str(d.book)}${requestedAmount(d)}`,
  ApprovalGranted: (d) =>
    `${keyHolderName(d.by)} approved ${str(d.approvalId)} as ${str(d.role)}${onBehalf(d)}${d.comment !== undefined ? `: ${text(d.comment)}` : ''}`,
  ApprovalRejected: (d) =>
    `${keyHolderName(d.by)} rejected ${str(d.approvalId)} as ${str(d.role)}${onBehalf(d)}: ${text(d.reason)}`,
  ApprovalApproved: (d) =>
    `approval ${str(d.approvalId)} fully approved: ${str(d.action)} in ${str(d.book)} runs now`,
  ApprovalExpired: (d) => `approval ${str(d.approvalId)} expired at ${str(d.expiresAt)}`,
  ApprovalCancelled: (d) =>
    `${keyHolderName(d.by)} cancelled approval ${str(d.approvalId)}${d.reason !== undefined ? `: ${text(d.reason)}` : ''}`,
  ApprovalExecuted: (d) => `approval ${str(d.approvalId)} executed${executionResult(d)}`,
  ApprovalExecutionFailed: (d) => {
    const error = isObject(d.error) ? d.error : {};
    return `approval ${str(d.approvalId)} could not be executed: ${str(error.code)} ${text(error.detail)}`;
  },
  ApprovalDelegated: (d, a) =>
    `${a}: ${text(d.fromName)} delegated ${str(d.role)} to ${text(d.toName)} from ${str(d.from)} until ${str(d.until)}`,
  ApprovalDelegationRevoked: (d) =>
    `${keyHolderName(d.revokedBy)} revoked delegation ${str(d.delegationId)}`,

  // Never the key hash, never a secret.
  ApiKeyIssued: (d, a) => {
    const roles = Array.isArray(d.roles) ? d.roles.map(str).join(', ') : '';
    const books = Array.isArray(d.books) ? `; books ${d.books.map(str).join(', ')}` : '';
    return `${a} issued API key ${str(d.keyId)} "${text(d.name)}" (${roles}${books})`;
  },
  ApiKeyRevoked: (d, a) => `${a} revoked API key ${str(d.keyId)}`,

  WebhookRegistered: (d, a) => `${a} registered webhook ${str(d.webhookId)} to ${text(d.url)}`,
  WebhookDeleted: (d, a) => `${a} deleted webhook ${str(d.webhookId)}`,

  // A natural person's name is personal data: the summary names the account, not the person.
  PartyRegistered: (d, a) =>
    `${a} registered ${str(d.kind)} ${str(d.number)} ${d.naturalPerson === true ? '(a natural person)' : `"${text(d.name)}"`} in ${str(d.bookId)}`,
  PartyChanged: (d, a) =>
    `${a} changed ${str(d.kind)} ${str(d.number)} in ${str(d.bookId)}: ${Array.isArray(d.changed) ? d.changed.map(str).join(', ') : '?'}`,
  PartyErasureRequested: (d, a) =>
    `${a} requested the erasure of party ${str(d.partyId)} in ${str(d.bookId)}${d.erasableFrom ? `, kept until ${str(d.retainedUntil)}` : ''}: ${text(d.reason)}`,
  PartyFieldsErased: (d, a) =>
    `${a} erased ${Array.isArray(d.fields) ? d.fields.map(str).join(', ') : '?'} of party ${str(d.partyId)} in ${str(d.bookId)}`,
  PartyErasureRescheduled: (d, a) =>
    `${a} moved the erasure of party ${str(d.partyId)} in ${str(d.bookId)} to ${str(d.erasableFrom)}`,
  CompanySettingsChanged: (d, a) =>
    `${a} set the company data of ${str(d.bookId)} ("${text(d.name)}"): ${Array.isArray(d.changed) ? d.changed.map(str).join(', ') : '?'}`,

  AuditTrailExportStarted: (d, a) =>
    `${a} started audit export ${str(d.exportId)} (${str(d.format)}${filterText(d.filter)})`,
  DunningRunProposed: (d, a) =>
    `${a} proposed dunning run ${str(d.runId)} as of ${str(d.asOf)} with ${Array.isArray(d.notices) ? d.notices.length : 0} notices`,
  DatevSettingsChanged: (d, a) =>
    `${a} set the DATEV numbers of book ${str(d.bookId)} (consultant ${str(d.consultantNumber)}, client ${str(d.clientNumber)})`,
  BankStatementImported: (d, a) =>
    `${a} imported ${Array.isArray(d.lines) ? d.lines.length : '?'} line(s) of bank statement ${text(d.statementId)} into account ${str(d.account)}`,
  BankStatementLineAssigned: (d, a) =>
    `${a} assigned line ${str(d.n)} of bank statement ${str(d.id)} to ${d.invoice !== undefined ? `invoice ${str(d.invoice)}` : `account ${str(d.account)}`}`,
  BankStatementLineReopened: (d, a) =>
    d.cause === 'unassigned'
      ? `${a} unassigned line ${str(d.n)} of bank statement ${str(d.id)} (entry ${str(d.entryId)} reversed by ${str(d.reversalEntryId)}): ${text(d.reason)}`
      : `line ${str(d.n)} of bank statement ${str(d.id)} waits again: ${str(d.cause)}${d.approvalId !== undefined ? ` (${str(d.approvalId)})` : ''}, entry ${str(d.entryId)} not posted`,
  DunningSettingsChanged: (d, a) => `${a} changed the dunning settings of book ${str(d.bookId)}`,
  AuditTrailExported: (d, a) =>
    d.completed === true
      ? `${a} exported ${str(d.rowCount)} audit rows (${str(d.format)}${filterText(d.filter)}), sha256 ${str(d.sha256).slice(0, 12)}…`
      : `${a} aborted audit export ${str(d.exportId)} after ${str(d.rowCount)} rows (${str(d.format)}${filterText(d.filter)})`,

  DocumentStored: (d, a) =>
    `${a} stored document ${str(d.fileName ?? d.documentId)} (${str(d.contentType)}, ${str(d.size)} bytes)`,
  IncomingInvoiceReceived: (d, a) =>
    `${a} received incoming invoice ${str(d.number)} of ${str(d.sellerName)} over ${str((d.totals as Data | undefined)?.gross)} ${str(d.currency)}`,
  PaymentRunCreated: (d, a) =>
    `${a} drafted payment run ${str(d.runId)} for ${str(d.executionDate)}: ${Array.isArray(d.items) ? d.items.length : 0} invoices, ${minorAmountText(d.totalMinor, d.currency)} from account ${str(d.bankAccount)}`,
  PaymentRunExecuted: (d, a) =>
    `${a} executed payment run ${str(d.runId)}: ${Array.isArray(d.items) ? d.items.length : 0} credit transfers for the pain.001 file${d.approvalId === undefined ? '' : ` (approval ${str(d.approvalId)})`}`,
  PaymentRunCancelled: (d, a) =>
    `${a} cancelled payment run ${str(d.runId)}${d.reason === undefined ? '' : `: ${text(d.reason)}`}`,
  // billing (InvoiceIssued / CreditNoteIssued summarise through the document type registry)
  InvoiceDraftCreated: (d, a) =>
    `${a} created invoice draft ${str(d.invoiceId)}${draftText(d.draft)}`,
  InvoiceDraftReplaced: (d, a) =>
    `${a} replaced invoice draft ${str(d.invoiceId)}${draftText(d.draft)}`,
  InvoiceDraftDiscarded: (d, a) => `${a} discarded invoice draft ${str(d.invoiceId)}`,
  InvoiceDraftIssued: (d, a) => `${a} issued invoice draft ${str(d.invoiceId)} as ${str(d.number)}`,
};

/** " for Müller KG over 1,561.03 EUR" of an invoice draft. */
function draftText(draft: unknown): string {
  if (!isObject(draft) || !isObject(draft.customer) || !isObject(draft.totals)) return '';
  const currency = str(draft.currency);
  const gross =
    currencyDigits(currency) === undefined
      ? ''
      : ` over ${groupedAmount(BigInt(str(draft.totals.grossMinor)), currency)} ${currency}`;
  // A private customer's draft carries no name (personal data): the account names them.
  const customer =
    draft.customer.name === undefined
      ? `customer ${str(draft.customer.number)}`
      : text(draft.customer.name);
  return ` for ${customer}${gross}`;
}

function filterText(filter: unknown): string {
  if (!isObject(filter)) return '';
  const parts = Object.entries(filter)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${str(value)}`);
  return parts.length > 0 ? `; ${parts.join(' ')}` : '';
}

// ---------------------------------------------------------------- text helpers

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Identifiers and small values as they are. */
function str(value: unknown): string {
  if (value === undefined || value === null) return '?';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Free text, cut to summaryTextLengthMax. */
function text(value: unknown): string {
  return oneLine(str(value), summaryTextLengthMax);
}

/** Control characters (newlines, tabs) become spaces, so a summary is always one line. */
function oneLine(value: string, lengthMax: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  return flat.length > lengthMax ? `${flat.slice(0, lengthMax - 1)}…` : flat;
}

/** "1,561.03 EUR" of a minor-unit string, or "?" when it is not one. */
function minorAmountText(minor: unknown, currency: unknown): string {
  if (typeof minor !== 'string' || !/^\d{1,30}$/.test(minor)) return '?';
  return `${groupedAmount(BigInt(minor), str(currency))} ${str(currency)}`;
}
