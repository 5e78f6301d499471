import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { AccountsReadModel, LedgerReports } from '../../ledger/ledger-read.module.js';
import { Aging, agingOf, OpenItemView, openItemsAsOf } from '../domain/aging.js';
import { OpenItemKind } from '../domain/open-items.js';
import { Reconciliation, reconcile } from '../domain/reconciliation.js';
import { OpenItemsReadModel } from '../projections/open-items.read-model.js';
import { CONTROL_ACCOUNTS, ControlAccountsSource } from './banking-ports.js';

export interface OpenItemsRequest {
  kind: OpenItemKind;
  asOf: string;
  party?: string;
  overdue?: boolean;
}

/** Reconciliation waits at most this long for the ledger and the open items to reach the log head. */
export const reconciliationCatchUpMilliseconds = 10_000;

@Injectable()
export class OpenItemsService {
  constructor(
    private readonly openItems: OpenItemsReadModel,
    private readonly accounts: AccountsReadModel,
    private readonly reports: LedgerReports,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONTROL_ACCOUNTS) private readonly controlAccounts: ControlAccountsSource,
  ) {}

  async list(book: string, request: OpenItemsRequest): Promise<OpenItemView[]> {
    await this.accounts.requireBook(book);
    const items = await this.openItems.items(book, request);
    return openItemsAsOf(items, request);
  }

  async aging(book: string, kind: OpenItemKind, asOf: string): Promise<Aging[]> {
    return agingOf(await this.list(book, { kind, asOf }));
  }

  /**
   * Open items of a kind against the ledger balance of their control account(s) as of a date
   * (the book's named control account, else every account that holds items of the kind), both
   * read after the two projections reached the same log position.
   */
  async reconcile(book: string, kind: OpenItemKind, asOf: string): Promise<Reconciliation> {
    await this.accounts.requireBook(book);
    const head = await this.store.headPosition();
    await this.projections.waitForAll(head, reconciliationCatchUpMilliseconds);
    const control = await this.controlAccounts.of(book);
    const named = kind === 'receivable' ? control.receivables : control.payables;
    const items = await this.openItems.items(book, { kind, asOf });
    const accounts =
      named !== undefined ? [named] : [...new Set(items.map((item) => item.account))];
    const trial = await this.reports.trialBalance(book, { asOf });
    const ledger = trial.flatMap((currency) =>
      currency.lines.map((line) => ({
        account: line.account,
        currency: currency.currency,
        minor: line.balanceMinor,
      })),
    );
    return reconcile(
      kind,
      asOf,
      accounts,
      await this.openItems.totalsByAccount(book, asOf),
      ledger,
    );
  }
}
