import { Inject, Injectable } from '@nestjs/common';
import {
  CommandMetadata,
  deterministicId,
  EventStore,
  formatAmount,
} from '../../event-sourcing/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import { AccountsReadModel } from '../../ledger/ledger-read.module.js';
import { GateRequester } from '../../ledger/index.js';
import {
  BANKING_PARTIES,
  BankingPartiesSource,
  PAYMENT_END_TO_END_IDS,
  PaymentEndToEndIds,
} from '../application/banking-ports.js';
import { PaymentsService, ReceivePaymentInput } from '../application/payments.service.js';
import { itemAsOf } from '../domain/aging.js';
import { openItemKinds } from '../domain/open-items.js';
import { paymentReferenceLengthMax } from '../domain/payment.js';
import { OpenItemsReadModel } from '../projections/open-items.read-model.js';
import { lineKey, StatementLineData, StatementLineState } from './bank-statement.js';
import { decideOnStatement, loadBankStatement } from './bank-statement-stream.js';
import { StatementAccounts } from './statement-accounts.js';
import { readCamt053, Statement, StatementLine } from './camt053.js';
import { kindOfDirection, LineMatch, MatchCandidate, matchLine } from './statement-matching.js';

export interface ImportedStatement {
  id: string;
  account: string;
  statementId: string;
  /** The lines of this file, as recorded (now or by an earlier import). */
  lines: StatementLineState[];
}

export interface ImportedFile {
  statements: ImportedStatement[];
  /** Log position of the last event appended (0: nothing new). */
  position: bigint;
}

/** The id of a statement: book + ledger account + the bank's statement id. */
export function bankStatementId(bookId: string, account: string, statementId: string): string {
  return deterministicId('kontor.banking.statement', bookId, account, statementId);
}

/** What matching needs of the book, read once per file. */
interface MatchContext {
  candidates: MatchCandidate[];
  ibanParty: Map<string, string>;
}

/**
 * camt.053 import: the whole file is read and every statement's ledger account found before
 * anything is posted; then each line not recorded before is matched and, when matched, posted
 * as a payment under an id derived from account + statement id + entry reference + detail;
 * last, the statement's new lines are recorded in its stream (BankStatementImported). A line
 * recorded before is neither matched nor posted again (docs/adr/0020-bank-statement-lines.md).
 */
@Injectable()
export class BankStatementsService {
  constructor(
    private readonly payments: PaymentsService,
    private readonly accounts: AccountsReadModel,
    private readonly openItems: OpenItemsReadModel,
    private readonly statementAccounts: StatementAccounts,
    @Inject(BANKING_PARTIES) private readonly parties: BankingPartiesSource,
    @Inject(PAYMENT_END_TO_END_IDS) private readonly endToEndIds: PaymentEndToEndIds,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async import(
    bookId: string,
    xml: string | Uint8Array,
    account: string | undefined,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<ImportedFile> {
    const parsed = readCamt053(xml);
    // The book, its accounts and open items as of the log's head (read models may lag a write).
    await this.payments.catchUp();
    await this.accounts.requireBook(bookId);
    const accounts = await this.statementAccounts.resolve(bookId, parsed.statements, account);
    const candidates = await this.candidates(bookId);
    const context = { candidates, ibanParty: await this.ibanParties(bookId, candidates) };
    const statements: ImportedStatement[] = [];
    let position = 0n;
    for (const [index, statement] of parsed.statements.entries()) {
      const lines = parsed.lines.filter((line) => line.statementIndex === index);
      const imported = await this.importStatement(
        bookId,
        { statement, account: accounts[index]!, lines },
        context,
        metadata,
        requester,
      );
      statements.push(imported.statement);
      if (imported.position > position) position = imported.position;
    }
    return { statements, position };
  }

  private async importStatement(
    bookId: string,
    input: { statement: Statement; account: string; lines: StatementLine[] },
    context: MatchContext,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<{ statement: ImportedStatement; position: bigint }> {
    const { statement, account } = input;
    const id = bankStatementId(bookId, account, statement.id);
    const { state } = await loadBankStatement(this.store, id);
    const matched: MatchedLine[] = [];
    for (const line of input.lines)
      if (!state.keys.has(lineKey(line)))
        matched.push(await this.match(bookId, account, line, context));
    const position = await this.postMatched(bookId, account, matched, metadata, requester);
    const fresh = matched.map((m) => m.data);
    const appended = await decideOnStatement(
      this.store,
      id,
      {
        type: 'RecordStatementLines',
        statement: {
          id,
          bookId,
          account,
          statementId: statement.id,
          ...(statement.iban !== undefined ? { iban: statement.iban } : {}),
        },
        lines: fresh,
      },
      { ...metadata, commandId: deterministicId(metadata.commandId, id) },
    );
    const last =
      appended !== undefined && appended.lastPosition > position ? appended.lastPosition : position;
    const recorded = (await loadBankStatement(this.store, id)).state;
    const keys = new Set(input.lines.map(lineKey));
    const lines = [...recorded.lines.values()].filter((line) => keys.has(lineKey(line.data)));
    return { statement: { id, account, statementId: statement.id, lines }, position: last };
  }

  /** The line as it will be recorded, with the payment to post when it matches an open item. */
  private async match(
    bookId: string,
    account: string,
    line: StatementLine,
    context: MatchContext,
  ): Promise<MatchedLine> {
    const key = `${account}|${line.statementId}|${line.entryReference}|${line.detail}`;
    const payment = deterministicId('kontor.banking.statement.payment', bookId, key);
    const data = lineData(line);
    // Posted by an import that did not get to record the statement (or an earlier Kontor).
    if (await this.openItems.hasDocument(bookId, payment))
      return { line, data: { ...data, match: { payment } } };
    const endToEndItem =
      line.endToEndId === undefined
        ? undefined
        : await this.endToEndIds.itemOf(bookId, line.endToEndId);
    const match = matchLine(
      line,
      context.candidates,
      (iban) => context.ibanParty.get(iban),
      endToEndItem,
    );
    if (match === undefined) return { line, data };
    match.item.openMinor -= match.allocatedMinor;
    return { line, data, pending: { match, key, payment } };
  }

  /**
   * Posts the matched lines' payments, paymentBatchMax at a time as one batch of the book's
   * worker; a payment the book refuses leaves its line waiting. Returns the last position.
   */
  private async postMatched(
    bookId: string,
    bankAccount: string,
    lines: MatchedLine[],
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<bigint> {
    const pending = lines.filter((l) => l.pending !== undefined);
    let position = 0n;
    for (let start = 0; start < pending.length; start += paymentBatchMax) {
      const chunk = pending.slice(start, start + paymentBatchMax);
      const results = await this.payments.receiveAll(
        bookId,
        chunk.map((l) => paymentOf(bookId, bankAccount, l, metadata)),
        requester,
      );
      results.forEach((result, index) => {
        const { data, pending } = chunk[index]!;
        const { match, payment } = pending!;
        if ('error' in result) {
          match.item.openMinor += match.allocatedMinor;
          return;
        }
        data.match = { rule: match.rule, item: match.item.itemId, payment };
        if (result.position > position) position = result.position;
      });
    }
    return position;
  }

  private async candidates(bookId: string): Promise<MatchCandidate[]> {
    const candidates: MatchCandidate[] = [];
    for (const kind of openItemKinds)
      for (const item of await this.openItems.items(bookId, { kind, asOf: '9999-12-31' })) {
        const view = itemAsOf(item, '9999-12-31');
        if (view === undefined || view.openMinor <= 0n) continue;
        candidates.push({
          itemId: item.itemId,
          kind,
          party: item.party,
          currency: item.currency,
          openMinor: view.openMinor,
          dueDate: item.dueDate,
          ...(item.number !== undefined ? { number: item.number } : {}),
        });
      }
    return candidates;
  }

  /** The IBANs of the parties with open items (the only ones a line can be matched to). */
  private async ibanParties(
    bookId: string,
    candidates: readonly MatchCandidate[],
  ): Promise<Map<string, string>> {
    const byIban = new Map<string, string>();
    for (const partyId of new Set(candidates.map((c) => c.party))) {
      const party = await this.parties.find(bookId, partyId);
      if (party?.iban !== undefined)
        byIban.set(party.iban.replace(/\s+/g, '').toUpperCase(), party.id);
    }
    return byIban;
  }
}

/** Payments posted per batch of the book's worker (the batch route's limit is 1,000 entries). */
export const paymentBatchMax = 500;

interface MatchedLine {
  line: StatementLine;
  data: Omit<StatementLineData, 'n'>;
  /** A match whose payment is still to be posted. */
  pending?: { match: LineMatch; key: string; payment: string };
}

function paymentOf(
  bookId: string,
  bankAccount: string,
  { line, pending }: MatchedLine,
  metadata: CommandMetadata,
): { input: ReceivePaymentInput; metadata: CommandMetadata } {
  const { match, key, payment } = pending!;
  const body = {
    kind: kindOfDirection(line.direction),
    party: match.item.party,
    date: line.date,
    amount: formatAmount(line.amountMinor, line.currency),
    currency: line.currency,
    bankAccount,
    reference: lineReference(line),
    allocations: [
      { invoice: match.item.itemId, amount: formatAmount(match.allocatedMinor, line.currency) },
    ],
  };
  return {
    input: {
      ...body,
      paymentId: payment,
      entryId: deterministicId('kontor.banking.statement.entry', bookId, key),
      ...idempotencyOf(`statement:${key}`, 'bank-statement-line', body),
    },
    metadata: {
      ...metadata,
      commandId: deterministicId('kontor.banking.statement.command', bookId, key),
    },
  };
}

/** The payment's (entry's) reference: the remittance text, else the end-to-end id or the entry's. */
export function lineReference(
  line: Pick<StatementLine, 'remittance' | 'endToEndId' | 'entryReference'>,
): string {
  return (line.remittance ?? line.endToEndId ?? line.entryReference).slice(
    0,
    paymentReferenceLengthMax,
  );
}

function lineData(line: StatementLine): Omit<StatementLineData, 'n'> {
  return {
    entryReference: line.entryReference,
    detail: line.detail,
    date: line.date,
    amountMinor: line.amountMinor.toString(),
    currency: line.currency,
    direction: line.direction,
    ...(line.endToEndId !== undefined ? { endToEndId: line.endToEndId } : {}),
    ...(line.remittance !== undefined ? { remittance: line.remittance } : {}),
    ...(line.counterpartyName !== undefined ? { counterpartyName: line.counterpartyName } : {}),
    ...(line.counterpartyIban !== undefined ? { counterpartyIban: line.counterpartyIban } : {}),
  };
}
