import { Actor, MinorUnits, assert } from '../../event-sourcing/index.js';
import {
  BookCommand,
  CloseAccount,
  PostDocument,
  PostJournalEntry,
  ReopenPeriod,
} from '../domain/book.commands.js';

/**
 * The seam through which another module (approvals) may hold a ledger command back: the ledger
 * asks the gate before running a gateable command and answers 202 `pending_approval` when the
 * gate says so. The ledger knows nothing of policies or approvals.
 */
export const LEDGER_COMMAND_GATE = 'LEDGER_COMMAND_GATE';

export type GateableAction =
  'journal-entry.post' | 'period.reopen' | 'account.close' | DocumentGateAction;

/** The actions a PostDocument may be gated as (`gate.action`); any other is never held back. */
export const documentGateActions = [
  'invoice.issue',
  'credit-note.issue',
  'incoming-invoice.book',
] as const;
export type DocumentGateAction = (typeof documentGateActions)[number];

/** The book commands the gate is asked about, by type. */
export type GateableCommand = PostJournalEntry | ReopenPeriod | CloseAccount | PostDocument;

const gateableActions: Record<Exclude<GateableCommand['type'], 'PostDocument'>, GateableAction> = {
  PostJournalEntry: 'journal-entry.post',
  ReopenPeriod: 'period.reopen',
  CloseAccount: 'account.close',
};

/** The gated action a command is, or undefined when the gate never holds it back. */
export function gateableActionOf(command: BookCommand): GateableAction | undefined {
  if (command.type === 'PostDocument') return documentGateActionOf(command);
  return Object.hasOwn(gateableActions, command.type)
    ? gateableActions[command.type as keyof typeof gateableActions]
    : undefined;
}

function documentGateActionOf(command: PostDocument): DocumentGateAction | undefined {
  const action = command.gate?.action;
  return (documentGateActions as readonly string[]).includes(action ?? '')
    ? (action as DocumentGateAction)
    : undefined;
}

/** The person asking, with the roles of their key at the moment of the request. */
export interface GateRequester extends Actor {
  roles: readonly string[];
}

interface GateRequestBase {
  bookId: string;
  /**
   * What policies look at: debit totals per currency and every account touched. For
   * `account.close` it is the closed account; for `period.reopen` both are empty; for a
   * document (`invoice.issue`, `credit-note.issue`) those of its entry.
   */
  summary: { debitTotalsMinor: Readonly<Record<string, MinorUnits>>; accounts: readonly string[] };
  actor: GateRequester;
  correlationId: string;
  /** The command id the ledger would have used; stable for Idempotency-Key requests. */
  commandId: string;
  idempotencyKey?: string;
}

/**
 * A gateable command, already validated against the current book state (a dry run), so an
 * approval is never requested for something that could not be done now. `command` is the
 * domain command to run once approved (through `LedgerCommands`, which bypasses the gate).
 */
export type LedgerGateRequest =
  | (GateRequestBase & { action: 'journal-entry.post'; command: PostJournalEntry })
  | (GateRequestBase & { action: 'period.reopen'; command: ReopenPeriod })
  | (GateRequestBase & { action: 'account.close'; command: CloseAccount })
  | (GateRequestBase & { action: DocumentGateAction; command: PostDocument });

export type LedgerGateDecision =
  { gated: false } | { gated: true; approvalId: string; position: bigint };

export interface LedgerCommandGate {
  /**
   * Whether the gate may hold back `action` on the book at all (a policy for it is in force):
   * when not, the ledger skips the dry run and the check. Read from the truth each time (the
   * policy stream), so a policy defined through another instance gates the next command.
   */
  mayHold(bookId: string, action: GateableAction): Promise<boolean>;
  check(request: LedgerGateRequest): Promise<LedgerGateDecision>;
  /**
   * Withdraws the approval `check` just requested for `request`: the command was found done
   * already (a twin with the same command id ran without being held). A request decided
   * meanwhile keeps its outcome.
   */
  withdraw(request: LedgerGateRequest, approvalId: string): Promise<void>;
}

/** The default: nothing is ever held back. */
export const neverGate: LedgerCommandGate = {
  mayHold: async () => false,
  check: async () => ({ gated: false }),
  withdraw: async () => undefined,
};

/**
 * What `LEDGER_COMMAND_GATE` resolves to inside the ledger module: a slot holding the gate in
 * force (by default `neverGate`). The approvals module imports the LedgerModule, injects
 * `LEDGER_COMMAND_GATE` and calls `install(itsGate)` in `onModuleInit` — no cycle between the
 * modules, and the ledger never imports approvals.
 */
export class LedgerCommandGateSlot implements LedgerCommandGate {
  private gate: LedgerCommandGate = neverGate;
  private installed = false;

  install(gate: LedgerCommandGate): void {
    assert(!this.installed, 'a ledger command gate is already installed');
    this.gate = gate;
    this.installed = true;
  }

  /** Without an installed gate nothing is gated, and the dry run before the gate can be skipped. */
  get isInstalled(): boolean {
    return this.installed;
  }

  mayHold(bookId: string, action: GateableAction): Promise<boolean> {
    return this.gate.mayHold(bookId, action);
  }

  check(request: LedgerGateRequest): Promise<LedgerGateDecision> {
    return this.gate.check(request);
  }

  withdraw(request: LedgerGateRequest, approvalId: string): Promise<void> {
    return this.gate.withdraw(request, approvalId);
  }
}
