import { ConflictError, Decider, DomainEvent, NotFoundError } from '../../event-sourcing/index.js';
import { IdempotencyMismatchError } from '../../ledger/index.js';
import type { Direction, StatementLine } from './camt053.js';
import type { MatchRule } from './statement-matching.js';

/**
 * A bank statement (one camt.053 `Stmt` of one ledger account) in its own stream: the booked
 * lines as imported, each matched or waiting, and the lines assigned by hand later
 * (docs/adr/0020-bank-statement-lines.md). Nothing is ever edited: an assignment is an event.
 */
export const bankStatementStreamPrefix = 'bank-statement-';
export function bankStatementStreamId(id: string): string {
  return `${bankStatementStreamPrefix}${id}`;
}

/** A line as the events carry it (money as a decimal string of minor units). */
export interface StatementLineData {
  /** From 1, in file order within the statement. */
  n: number;
  entryReference: string;
  /** From 1: the TxDtls within its entry. */
  detail: number;
  date: string;
  amountMinor: string;
  currency: string;
  direction: Direction;
  endToEndId?: string;
  remittance?: string;
  counterpartyName?: string;
  counterpartyIban?: string;
  /**
   * Matched at import: the rule, the open item and the payment posted for it (rule and item are
   * absent when an earlier import posted the payment but did not record the line).
   */
  match?: { rule?: MatchRule; item?: string; payment: string };
}

/** The statement's lines not seen before (the first import carries all of them). */
export interface BankStatementImportedData {
  id: string;
  bookId: string;
  account: string;
  statementId: string;
  iban?: string;
  lines: StatementLineData[];
}

/** A waiting line booked by hand: against an open item (a payment) or an account (an entry). */
export interface BankStatementLineAssignedData {
  id: string;
  bookId: string;
  n: number;
  invoice?: string;
  account?: string;
  /** The payment posted (invoice) or the journal entry (account). */
  payment?: string;
  entryId: string;
  /** Set when an approval policy holds the entry: it is posted once approved. */
  approvalId?: string;
  idempotencyKey?: string;
  requestHash?: string;
}

/**
 * Why an assigned line waits again: its held entry's approval ended without posting it, or the
 * assignment was undone (`unassigned`: its entry reversed).
 */
export const reopenCauses = [
  'approval-rejected',
  'approval-expired',
  'approval-cancelled',
  'approval-failed',
  'unassigned',
] as const;
export type ReopenCause = (typeof reopenCauses)[number];

/** An assigned line waits again (unmatched, assignable anew); the failed assignment stays in its history. */
export interface BankStatementLineReopenedData {
  id: string;
  bookId: string;
  n: number;
  /** The entry of the assignment that did not stand. */
  entryId: string;
  cause: ReopenCause;
  approvalId?: string;
  /** `unassigned`: why, and the entry that reversed the assignment's entry. */
  reason?: string;
  reversalEntryId?: string;
}

export type BankStatementImported = DomainEvent<'BankStatementImported', BankStatementImportedData>;
export type BankStatementLineAssigned = DomainEvent<
  'BankStatementLineAssigned',
  BankStatementLineAssignedData
>;
export type BankStatementLineReopened = DomainEvent<
  'BankStatementLineReopened',
  BankStatementLineReopenedData
>;
export type BankStatementEvent =
  BankStatementImported | BankStatementLineAssigned | BankStatementLineReopened;

export type StatementLineStatus = 'matched' | 'unmatched' | 'assigned';

export interface StatementLineState {
  data: StatementLineData;
  status: StatementLineStatus;
  /** The standing assignment (none while the line waits). */
  assignment?: BankStatementLineAssignedData;
  /** Assignments that did not stand, oldest first, each with why the line waits again. */
  earlier: { assignment: BankStatementLineAssignedData; reopened: BankStatementLineReopenedData }[];
}

export interface BankStatementState {
  header?: Omit<BankStatementImportedData, 'lines'>;
  /** By n. */
  lines: Map<number, StatementLineState>;
  /** entryReference + detail of every line: the same line is never recorded twice. */
  keys: Set<string>;
}

export interface RecordStatementLines {
  type: 'RecordStatementLines';
  statement: Omit<BankStatementImportedData, 'lines'>;
  /** Without n: the decider numbers the new ones after those recorded. */
  lines: Omit<StatementLineData, 'n'>[];
}

export interface AssignStatementLine {
  type: 'AssignStatementLine';
  assignment: BankStatementLineAssignedData;
}

/** Reopens line `n` when its standing assignment is the one named (else nothing: done already). */
export interface ReopenStatementLine {
  type: 'ReopenStatementLine';
  reopened: BankStatementLineReopenedData;
}

export type BankStatementCommand = RecordStatementLines | AssignStatementLine | ReopenStatementLine;

/** The entry metadata that ties an assignment's journal entry to its statement line. */
export function statementLineMetadata(
  id: string,
  n: number,
): { bankStatement: string; bankStatementLine: number } {
  return { bankStatement: id, bankStatementLine: n };
}

/** The statement line a journal entry command was assigned from, by its metadata. */
export function statementLineOf(metadata: unknown): { id: string; n: number } | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { bankStatement, bankStatementLine } = metadata as Record<string, unknown>;
  return typeof bankStatement === 'string' && typeof bankStatementLine === 'number'
    ? { id: bankStatement, n: bankStatementLine }
    : undefined;
}

/** Identifies a line within its statement (with account + statement id: within the book). */
export function lineKey(line: Pick<StatementLine, 'entryReference' | 'detail'>): string {
  return `${line.entryReference}|${line.detail}`;
}

export type Assignability = 'assignable' | 'repeat';

/**
 * Whether line `n` may be assigned: 404 for an unknown n, 409 for a line matched at import or
 * assigned before — unless it is a retry with the same Idempotency-Key and body (`repeat`).
 */
export function assignability(
  state: BankStatementState,
  n: number,
  idempotency?: { key: string; requestHash: string },
): Assignability {
  const line = state.lines.get(n);
  if (line === undefined)
    throw new NotFoundError(
      `Bank statement ${state.header?.id ?? '?'} has no line ${n} (it has ${state.lines.size})`,
    );
  if (line.status === 'matched')
    throw new ConflictError(
      `Line ${n} was matched at import to ${line.data.match?.item ?? '?'}; only unmatched lines are assigned`,
    );
  if (line.assignment === undefined) return 'assignable';
  if (idempotency !== undefined && line.assignment.idempotencyKey === idempotency.key) {
    if (line.assignment.requestHash === idempotency.requestHash) return 'repeat';
    throw new IdempotencyMismatchError(idempotency.key);
  }
  const target = line.assignment.invoice ?? line.assignment.account ?? '?';
  throw new ConflictError(`Line ${n} is already assigned (to ${target})`);
}

/** The standing assignment of line `n` to undo: 404 for an unknown n, 409 for a line not assigned. */
export function standingAssignment(
  state: BankStatementState,
  n: number,
): BankStatementLineAssignedData {
  const line = state.lines.get(n);
  if (line === undefined)
    throw new NotFoundError(`Bank statement ${state.header?.id ?? '?'} has no line ${n}`);
  if (line.assignment === undefined)
    throw new ConflictError(
      `Line ${n} is ${line.status}${line.status === 'matched' ? ' (at import)' : ''}; only a line assigned by hand is unassigned`,
    );
  return line.assignment;
}

/** The key the ids of line `n`'s next assignment derive from: one per attempt, so no retry meets an earlier one. */
export function assignmentKey(state: BankStatementState, id: string, n: number): string {
  const attempt = state.lines.get(n)?.earlier.length ?? 0;
  return attempt === 0 ? `${id}|${n}` : `${id}|${n}|${attempt + 1}`;
}

function decide(command: BankStatementCommand, state: BankStatementState): BankStatementEvent[] {
  if (command.type === 'ReopenStatementLine') {
    const { reopened } = command;
    const standing = state.lines.get(reopened.n)?.assignment;
    if (standing === undefined || standing.entryId !== reopened.entryId) return [];
    return [{ type: 'BankStatementLineReopened', data: reopened }];
  }
  if (command.type === 'RecordStatementLines') {
    const fresh = command.lines.filter((line) => !state.keys.has(lineKey(line)));
    if (fresh.length === 0) return [];
    const first = state.lines.size + 1;
    const lines = fresh.map((line, index) => ({ ...line, n: first + index }));
    return [{ type: 'BankStatementImported', data: { ...command.statement, lines } }];
  }
  const { assignment } = command;
  const idempotency =
    assignment.idempotencyKey !== undefined && assignment.requestHash !== undefined
      ? { key: assignment.idempotencyKey, requestHash: assignment.requestHash }
      : undefined;
  if (assignability(state, assignment.n, idempotency) === 'repeat') return [];
  return [{ type: 'BankStatementLineAssigned', data: assignment }];
}

/** Updates `state` in place (a statement holds up to statementLinesMax lines): fold owns it. */
function evolve(state: BankStatementState, event: BankStatementEvent): BankStatementState {
  if (event.type === 'BankStatementImported') {
    const { lines, ...header } = event.data;
    state.header ??= header;
    for (const line of lines) {
      state.lines.set(line.n, {
        data: line,
        status: line.match ? 'matched' : 'unmatched',
        earlier: [],
      });
      state.keys.add(lineKey(line));
    }
    return state;
  }
  const line = state.lines.get(event.data.n);
  if (line === undefined) return state;
  if (event.type === 'BankStatementLineReopened') {
    if (line.assignment !== undefined)
      line.earlier.push({ assignment: line.assignment, reopened: event.data });
    delete line.assignment;
    line.status = 'unmatched';
    return state;
  }
  line.status = 'assigned';
  line.assignment = event.data;
  return state;
}

export const bankStatementDecider: Decider<
  BankStatementCommand,
  BankStatementEvent,
  BankStatementState
> = {
  initialState: () => ({ lines: new Map(), keys: new Set() }),
  decide,
  evolve,
};
