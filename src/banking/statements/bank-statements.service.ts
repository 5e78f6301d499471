import { Inject, Injectable } from '@nestjs/common';
import {
  CommandMetadata,
  deterministicId,
  formatAmount,
  NotFoundError,
} from '../../event-sourcing/index.js';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import { AccountsReadModel } from '../../ledger/ledger-read.module.js';
import { GateRequester } from '../../ledger/index.js';
import { BANKING_PARTIES, BankingPartiesSource } from '../application/banking-ports.js';
import { PaymentsService } from '../application/payments.service.js';
import { itemAsOf } from '../domain/aging.js';
import { openItemKinds } from '../domain/open-items.js';
import { BusinessRuleError, paymentReferenceLengthMax } from '../domain/payment.js';
import { OpenItemsReadModel } from '../projections/open-items.read-model.js';
import { readCamt053, StatementLine } from './camt053.js';
import { kindOfDirection, LineMatch, MatchCandidate, matchLine } from './statement-matching.js';

export type LineStatus = 'matched' | 'unmatched';

export interface ImportedLine {
  line: StatementLine;
  status: LineStatus;
  /** The payment posted for the line (now or by an earlier import of the same statement). */
  paymentId?: string;
  match?: LineMatch;
  position?: bigint;
}

export interface ImportedStatement {
  id: string;
  account: string;
  lines: ImportedLine[];
  position: bigint;
}

/**
 * camt.053 import: each booked line is matched to an open item and, when matched, posted as a
 * payment (a receipt through PaymentsService, a supplier payment as kind payable) under an id
 * derived from account + statement id + entry reference + detail, so importing the same
 * statement again finds its payments and posts nothing twice.
 */
@Injectable()
export class BankStatementsService {
  constructor(
    private readonly payments: PaymentsService,
    private readonly accounts: AccountsReadModel,
    private readonly openItems: OpenItemsReadModel,
    @Inject(BANKING_PARTIES) private readonly parties: BankingPartiesSource,
  ) {}

  async import(
    bookId: string,
    xml: string | Uint8Array,
    account: string | undefined,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<ImportedStatement> {
    await this.accounts.requireBook(bookId);
    const parsed = readCamt053(xml);
    await this.payments.catchUp();
    const bankAccount = await this.bankAccount(bookId, account, parsed.statements[0]?.iban);
    const candidates = await this.candidates(bookId);
    const ibanParty = await this.ibanParties(bookId, candidates);
    const lines: ImportedLine[] = [];
    let position = 0n;
    for (const line of parsed.lines) {
      const key = `${bankAccount}|${line.statementId}|${line.entryReference}|${line.detail}`;
      const paymentId = deterministicId('kontor.banking.statement.payment', bookId, key);
      if (await this.openItems.hasDocument(bookId, paymentId)) {
        lines.push({ line, status: 'matched', paymentId });
        continue;
      }
      const match = matchLine(line, candidates, (iban) => ibanParty.get(iban));
      if (match === undefined) {
        lines.push({ line, status: 'unmatched' });
        continue;
      }
      const posted = await this.post(
        bookId,
        bankAccount,
        line,
        match,
        key,
        paymentId,
        metadata,
        requester,
      );
      match.item.openMinor -= match.allocatedMinor;
      position = posted > position ? posted : position;
      lines.push({ line, status: 'matched', paymentId, match, position: posted });
    }
    const id = deterministicId(
      'kontor.banking.statement',
      bookId,
      bankAccount,
      ...parsed.statements.map((s) => s.id),
    );
    return { id, account: bankAccount, lines, position };
  }

  /** `?account=` (an asset account of the book) or, without it, refused: naming the IBAN. */
  private async bankAccount(
    bookId: string,
    account: string | undefined,
    iban: string | undefined,
  ): Promise<string> {
    if (account === undefined)
      throw new BusinessRuleError(
        `No ledger account is known for the statement's IBAN ${iban ?? '(none)'}; give ?account= (the bank account code)`,
        [{ field: 'account', message: 'the ledger account of the bank account, e.g. 1200' }],
      );
    const found = await this.accounts.getAccount(bookId, account).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (found === undefined || found.type !== 'asset')
      throw new BusinessRuleError(`Account ${account} is no asset account of book ${bookId}`, [
        { field: 'account', message: 'an asset (bank) account of this book' },
      ]);
    return account;
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

  private async post(
    bookId: string,
    bankAccount: string,
    line: StatementLine,
    match: LineMatch,
    key: string,
    paymentId: string,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<bigint> {
    const amount = formatAmount(line.amountMinor, line.currency);
    const allocation = formatAmount(match.allocatedMinor, line.currency);
    const reference = (line.remittance ?? line.endToEndId ?? line.entryReference).slice(
      0,
      paymentReferenceLengthMax,
    );
    const body = {
      kind: kindOfDirection(line.direction),
      party: match.item.party,
      date: line.date,
      amount,
      currency: line.currency,
      bankAccount,
      reference,
      allocations: [{ invoice: match.item.itemId, amount: allocation }],
    };
    const received = await this.payments.receive(
      bookId,
      {
        ...body,
        paymentId,
        entryId: deterministicId('kontor.banking.statement.entry', bookId, key),
        ...idempotencyOf(`statement:${key}`, 'bank-statement-line', body),
      },
      { ...metadata, commandId: deterministicId('kontor.banking.statement.command', bookId, key) },
      requester,
    );
    return received.position;
  }
}
