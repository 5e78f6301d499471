import { parseAmount, ValidationError } from '../../event-sourcing/index.js';
import {
  child,
  children,
  parseXmlSafely,
  XmlNode,
  xmlAttribute,
  xmlText,
} from '../../einvoice/index.js';

/** The camt.053 version German banks deliver since November 2025 (DFÜ-Abkommen Anlage 3). */
export const camt053Namespace = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';

/** At most this many lines (TxDtls, or entries without) in one file. */
export const statementLinesMax = 20_000;

export type Direction = 'credit' | 'debit';

/** One booked line: a TxDtls of an entry, or the entry itself when it has none. */
export interface StatementLine {
  /** From 1, in file order over all statements. */
  n: number;
  /** From 0: the statement (Stmt) of the file the line belongs to. */
  statementIndex: number;
  statementId: string;
  /** The entry's reference (NtryRef, else AcctSvcrRef, else statement id + entry position). */
  entryReference: string;
  /** From 1: the TxDtls within its entry (1 for an entry without). */
  detail: number;
  date: string;
  amountMinor: bigint;
  currency: string;
  direction: Direction;
  endToEndId?: string;
  remittance?: string;
  /** The other side's IBAN: the debtor's on a credit, the creditor's on a debit. */
  counterpartyIban?: string;
  counterpartyName?: string;
}

export interface Statement {
  id: string;
  iban?: string;
  currency?: string;
}

export interface ParsedStatements {
  statements: Statement[];
  lines: StatementLine[];
}

function invalid(message: string, field = 'body'): ValidationError {
  return new ValidationError(message, [{ field, message }]);
}

/**
 * Reads a camt.053.001.08 document within the XML limits of safe-xml.ts (size, depth, node
 * count, no DTD): every statement, every booked entry (Sts/Cd BOOK), each TxDtls a line. An
 * amount with more decimals than its currency allows refuses the whole file.
 */
export function readCamt053(input: Uint8Array | string): ParsedStatements {
  const parsed = parseXmlSafely(input);
  if (!parsed.ok) throw invalid(`Not a readable camt.053 statement: ${parsed.error.detail}`);
  const { root, rootName, rootNamespace } = parsed.value;
  if (rootName !== 'Document' || rootNamespace !== camt053Namespace)
    throw invalid(
      `Not a camt.053.001.08 document (root ${rootName}, namespace ${rootNamespace ?? 'none'})`,
    );
  const statementNodes = children(child(root, 'BkToCstmrStmt'), 'Stmt');
  if (statementNodes.length === 0) throw invalid('The document holds no statement (Stmt)');
  const statements: Statement[] = [];
  const lines: StatementLine[] = [];
  statementNodes.forEach((node, index) => {
    const id = xmlText(node, 'Id') ?? `statement-${index + 1}`;
    statements.push({
      id,
      ...optional('iban', xmlText(node, 'Acct', 'Id', 'IBAN')),
      ...optional('currency', xmlText(node, 'Acct', 'Ccy')),
    });
    children(node, 'Ntry').forEach((entry, position) => {
      if (!isBooked(entry)) return;
      for (const line of entryLines(entry, id, position + 1)) {
        if (lines.length >= statementLinesMax)
          throw invalid(`More than statementLinesMax = ${statementLinesMax} lines in one file`);
        lines.push({ ...line, n: lines.length + 1, statementIndex: index });
      }
    });
  });
  return { statements, lines };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function isBooked(entry: XmlNode): boolean {
  return (xmlText(entry, 'Sts', 'Cd') ?? xmlText(entry, 'Sts')) === 'BOOK';
}

function entryLines(
  entry: XmlNode,
  statementId: string,
  position: number,
): Omit<StatementLine, 'n' | 'statementIndex'>[] {
  const entryReference =
    xmlText(entry, 'NtryRef') ?? xmlText(entry, 'AcctSvcrRef') ?? `${statementId}#${position}`;
  const where = `entry ${entryReference} of statement ${statementId}`;
  const indicator = xmlText(entry, 'CdtDbtInd');
  if (indicator !== 'CRDT' && indicator !== 'DBIT')
    throw invalid(`CdtDbtInd of ${where} is ${indicator ?? 'missing'}, not CRDT or DBIT`);
  const direction: Direction = indicator === 'CRDT' ? 'credit' : 'debit';
  const date = xmlText(entry, 'BookgDt', 'Dt') ?? xmlText(entry, 'ValDt', 'Dt');
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw invalid(`${where} has no booking date (BookgDt/Dt)`);
  const details = children(entry, 'NtryDtls').flatMap((d) => children(d, 'TxDtls'));
  const entryAmount = amountOf(entry, where);
  if (details.length === 0)
    return [{ statementId, entryReference, detail: 1, date, direction, ...entryAmount }];
  return details.map((detail, index) => {
    const own = child(detail, 'Amt') ?? child(detail, 'AmtDtls', 'TxAmt', 'Amt');
    const amount =
      own === undefined && details.length === 1
        ? entryAmount
        : amountOf(detail, `${where}, TxDtls ${index + 1}`);
    const other = direction === 'credit' ? ['Dbtr', 'DbtrAcct'] : ['Cdtr', 'CdtrAcct'];
    const parties = child(detail, 'RltdPties');
    const endToEndId = xmlText(detail, 'Refs', 'EndToEndId');
    const remittance = children(child(detail, 'RmtInf'), 'Ustrd')
      .map((u) => (typeof u['#text'] === 'string' ? u['#text'] : ''))
      .join(' ')
      .trim();
    return {
      statementId,
      entryReference,
      detail: index + 1,
      date,
      direction,
      ...amount,
      ...(endToEndId !== undefined && endToEndId !== 'NOTPROVIDED' ? { endToEndId } : {}),
      ...(remittance !== '' ? { remittance } : {}),
      ...optional('counterpartyIban', xmlText(parties, other[1]!, 'Id', 'IBAN')),
      ...optional(
        'counterpartyName',
        xmlText(parties, other[0]!, 'Pty', 'Nm') ?? xmlText(parties, other[0]!, 'Nm'),
      ),
    };
  });
}

function amountOf(node: XmlNode, where: string): { amountMinor: bigint; currency: string } {
  const path = child(node, 'Amt') !== undefined ? ['Amt'] : ['AmtDtls', 'TxAmt', 'Amt'];
  const value = xmlText(node, ...path);
  const currency = xmlAttribute(node, 'Ccy', ...path);
  if (value === undefined || currency === undefined)
    throw invalid(`${where} has no amount with a currency (Amt Ccy)`);
  return { amountMinor: parseAmount(value, currency, `${where} Amt`), currency };
}
