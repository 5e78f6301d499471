import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CommandMetadata,
  ConflictError,
  Decider,
  DomainEvent,
  EventStore,
  fold,
  handleCommand,
  LoadedStream,
  newId,
  NotFoundError,
} from '../../../event-sourcing/index.js';
import { ProjectionsService } from '../../../infrastructure/projections/index.js';
import { EVENT_STORE } from '../../../infrastructure/tokens.js';
import { formatAmount } from '../../../event-sourcing/index.js';
import { GateRequester, PostDocument } from '../../../ledger/index.js';
import { RunBookCommand } from '../../../ledger/ledger.module.js';
import { AccountsReadModel } from '../../../ledger/ledger-read.module.js';
import { BusinessRuleError } from '../../domain/payment.js';
import {
  BANKING_PARTIES,
  BankingPartiesSource,
  CONTROL_ACCOUNTS,
  ControlAccountsSource,
} from '../../application/banking-ports.js';
import { OpenItemsService } from '../../application/open-items.service.js';
import { DunnedCustomer, DunningNotice, proposeRun } from '../domain/dunning.js';
import {
  DunningNoticeData,
  dunningRunDecider,
  DunningRunProposedData,
  dunningRunStreamId,
  dunningSettingsStreamId,
  requireProposedRun,
} from '../domain/dunning.events.js';
import {
  DunningSettingsData,
  dunningSettingsDecider,
  effectiveSettings,
} from '../domain/dunning-settings.js';
import '../domain/dunning.schemas.js';
import { DunningReadModel, DunningRunView } from '../projections/dunning.projection.js';

/** How long a run waits for the open items and notices to reach the log head. */
export const dunningCatchUpMilliseconds = 10_000;

async function loadStream<C, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
): Promise<LoadedStream<S>> {
  const events = await store.readStream(streamId);
  return { state: fold(decider, events as unknown as E[]), revision: events.length - 1 };
}

/**
 * Dunning runs (docs/billing.md, "Dunning"): a proposal from the overdue receivables as of a
 * date, in its own stream; confirming it is one PostDocument (DunningRunConfirmed with the fee
 * and interest entry), so a second confirmation is refused by the book (409).
 */
@Injectable()
export class DunningService {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly accounts: AccountsReadModel,
    private readonly openItems: OpenItemsService,
    private readonly runs: DunningReadModel,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONTROL_ACCOUNTS) private readonly controlAccounts: ControlAccountsSource,
    @Inject(BANKING_PARTIES) private readonly parties: BankingPartiesSource,
  ) {}

  /** The book's base currency, once the read models caught up with the log (writes read them). */
  async baseCurrency(bookId: string): Promise<string> {
    await this.projections.waitForAll(await this.store.headPosition(), dunningCatchUpMilliseconds);
    return (await this.accounts.getBook(bookId)).baseCurrency;
  }

  async settings(bookId: string): Promise<DunningSettingsData | undefined> {
    await this.accounts.requireBook(bookId);
    return (await loadStream(this.store, dunningSettingsStreamId(bookId), dunningSettingsDecider))
      .state.settings;
  }

  async changeSettings(
    bookId: string,
    settings: DunningSettingsData,
    metadata: CommandMetadata,
  ): Promise<bigint | undefined> {
    await this.accounts.requireBook(bookId);
    const streamId = dunningSettingsStreamId(bookId);
    const appended = await handleCommand(
      this.store,
      {
        streamId,
        load: () => loadStream(this.store, streamId, dunningSettingsDecider),
        decide: dunningSettingsDecider.decide,
      },
      { type: 'SetDunningSettings', settings },
      metadata,
    );
    return appended?.lastPosition;
  }

  async propose(
    bookId: string,
    runId: string,
    asOf: string,
    metadata: CommandMetadata,
  ): Promise<{ run: DunningRunProposedData; position: bigint }> {
    await this.projections.waitForAll(await this.store.headPosition(), dunningCatchUpMilliseconds);
    const book = await this.accounts.getBook(bookId);
    const settings = effectiveSettings(await this.settings(bookId));
    // §289 BGB: no interest on interest; only invoices are dunned, not earlier fees and interest.
    const items = (
      await this.openItems.list(bookId, { kind: 'receivable', asOf, overdue: true })
    ).filter(
      (item) => item.documentType === 'InvoiceIssued' && item.currency === book.baseCurrency,
    );
    const previous = await this.runs.lastNotices(bookId, asOf);
    const customers: DunnedCustomer[] = [];
    for (const party of [...new Set(items.map((item) => item.party))]) {
      const found = await this.parties.find(bookId, party);
      customers.push({
        partyId: party,
        naturalPerson: found?.naturalPerson ?? false,
        currency: book.baseCurrency,
        previous: previous.get(party),
        items: items
          .filter((item) => item.party === party)
          .map((item) => ({
            invoiceId: item.itemId,
            number: item.number,
            dueDate: item.dueDate,
            openMinor: item.openMinor,
            daysOverdue: item.daysOverdue,
          })),
      });
    }
    const notices = proposeRun(customers, asOf, settings).map(noticeData);
    const streamId = dunningRunStreamId(runId);
    const appended = await handleCommand(
      this.store,
      {
        streamId,
        load: () => loadStream(this.store, streamId, dunningRunDecider),
        decide: dunningRunDecider.decide,
      },
      { type: 'ProposeDunningRun', runId, bookId, asOf, notices },
      metadata,
    );
    const run = { runId, bookId, asOf, notices };
    return { run, position: appended!.lastPosition };
  }

  async confirm(
    bookId: string,
    runId: string,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<{ run: DunningRunProposedData; entryId: string; position: bigint }> {
    await this.baseCurrency(bookId);
    const state = (await loadStream(this.store, dunningRunStreamId(runId), dunningRunDecider))
      .state;
    const run = requireProposedRun(state, runId);
    if (run.bookId !== bookId)
      throw new NotFoundError(`Unknown dunning run ${runId} in book ${bookId}`);
    const confirmed = await this.runs.run(bookId, runId);
    if (confirmed?.status === 'confirmed')
      throw new ConflictError(`Dunning run ${runId} is confirmed already`);
    const accounts = await this.postingAccounts(bookId);
    // A fresh entry id: a second confirmation is then a different document under a known id (409), not a re-run.
    const entryId = newId();
    const command: PostDocument = {
      type: 'PostDocument',
      bookId,
      document: {
        type: 'DunningRunConfirmed',
        id: runId,
        data: { runId, asOf: run.asOf, notices: run.notices, ...accounts },
      },
      entry: {
        entryId,
        effectiveDate: run.asOf,
        description: `Dunning run ${run.asOf}`,
        lines: entryLines(run.notices, accounts),
      },
    };
    const outcome = await this.commandBus.execute(new RunBookCommand(command, metadata, requester));
    if (outcome.status !== 'done')
      throw new ConflictError('A dunning run is never held for approval');
    return { run, entryId, position: outcome.result.position };
  }

  async list(bookId: string): Promise<DunningRunView[]> {
    await this.accounts.requireBook(bookId);
    return this.runs.runs(bookId);
  }

  async get(bookId: string, runId: string): Promise<DunningRunView> {
    await this.accounts.requireBook(bookId);
    const run = await this.runs.run(bookId, runId);
    if (run === undefined)
      throw new NotFoundError(`Unknown dunning run ${runId} in book ${bookId}`);
    return run;
  }

  private async postingAccounts(bookId: string) {
    const control = await this.controlAccounts.of(bookId);
    const settings = await this.settings(bookId);
    const receivablesAccount = control.receivables ?? settings?.receivablesAccount;
    const feesAccount = control.dunningFees ?? settings?.feesAccount;
    const interestAccount = control.interestIncome ?? settings?.interestAccount;
    const missing = [
      ['receivablesAccount', receivablesAccount],
      ['feesAccount', feesAccount],
      ['interestAccount', interestAccount],
    ].filter(([, account]) => account === undefined);
    if (missing.length > 0)
      throw new BusinessRuleError(
        `Book ${bookId} names no ${missing.map(([name]) => name).join(', ')} for dunning (PUT /v1/books/${bookId}/settings/dunning)`,
        missing.map(([field]) => ({ field: field!, message: 'an account of the book' })),
      );
    return {
      receivablesAccount: receivablesAccount!,
      feesAccount: feesAccount!,
      interestAccount: interestAccount!,
    };
  }
}

function noticeData(notice: DunningNotice): DunningNoticeData {
  return {
    partyId: notice.partyId,
    level: notice.level,
    currency: notice.currency,
    openMinor: notice.openMinor.toString(),
    feeMinor: notice.feeMinor.toString(),
    interestMinor: notice.interestMinor.toString(),
    interestPoints: notice.interestPoints,
    items: notice.items.map((item) => ({
      invoiceId: item.invoiceId,
      ...(item.number !== undefined ? { number: item.number } : {}),
      dueDate: item.dueDate,
      openMinor: item.openMinor.toString(),
      daysOverdue: item.daysOverdue,
      interestMinor: item.interestMinor.toString(),
    })),
  };
}

/** Receivables (the party on the line) to fee and interest income, per notice with something to charge. */
function entryLines(
  notices: readonly DunningNoticeData[],
  accounts: { receivablesAccount: string; feesAccount: string; interestAccount: string },
) {
  const currency = notices[0]?.currency ?? 'EUR';
  const money = (minor: bigint) => formatAmount(minor, currency);
  let fees = 0n;
  let interest = 0n;
  const lines = [];
  for (const notice of notices) {
    const charged = BigInt(notice.feeMinor) + BigInt(notice.interestMinor);
    fees += BigInt(notice.feeMinor);
    interest += BigInt(notice.interestMinor);
    if (charged > 0n)
      lines.push({
        account: accounts.receivablesAccount,
        debit: money(charged),
        currency,
        party: notice.partyId,
        memo: `Mahnstufe ${notice.level}`,
      });
  }
  if (lines.length === 0)
    throw new BusinessRuleError(
      'Nothing to post: the run charges no fee and no interest (a journal entry needs amounts)',
    );
  if (fees > 0n)
    lines.push({
      account: accounts.feesAccount,
      credit: money(fees),
      currency,
      memo: 'Mahngebühren',
    });
  if (interest > 0n)
    lines.push({
      account: accounts.interestAccount,
      credit: money(interest),
      currency,
      memo: 'Verzugszinsen §288 BGB',
    });
  return lines;
}
