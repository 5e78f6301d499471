import type { DomainEvent } from '../../event-sourcing/index.js';
import { dunningRunDecider } from '../dunning/domain/dunning.events.js';
import { dunningSettingsDecider } from '../dunning/domain/dunning-settings.js';

const notice = {
  partyId: 'p-mueller',
  level: 1,
  currency: 'EUR',
  openMinor: '11900',
  feeMinor: '0',
  interestMinor: '93',
  interestPoints: 9,
  items: [
    {
      invoiceId: 'inv-1',
      number: 'RE-2027-00001',
      dueDate: '2027-01-29',
      openMinor: '11900',
      daysOverdue: 30,
      interestMinor: '93',
    },
  ],
};

/** Every banking event once, as the deciders and PostDocument make them (the event catalog spec validates them). */
export function bankingRepresentativeEvents(): DomainEvent[] {
  const settings = dunningSettingsDecider.decide(
    {
      type: 'SetDunningSettings',
      settings: {
        bookId: 'acme',
        feesMinor: ['0', '500', '1000'],
        baseRates: [{ validFrom: '2025-07-01', ratePercent: '1.27' }],
        intervalDays: 14,
        graceDays: 0,
        feesAccount: '2650',
        interestAccount: '2650',
      },
    },
    {},
  );
  const proposed = dunningRunDecider.decide(
    {
      type: 'ProposeDunningRun',
      runId: 'run-1',
      bookId: 'acme',
      asOf: '2027-02-28',
      notices: [notice],
    },
    { status: 'none' },
  );
  return [
    ...settings,
    ...proposed,
    {
      type: 'PaymentReceived',
      data: {
        documentId: 'pay-1',
        entryId: 'entry-pay-1',
        partyId: 'p-mueller',
        date: '2027-02-10',
        amountMinor: '11662',
        currency: 'EUR',
        bankAccount: '1200',
        reference: 'RE-2027-00001',
        allocations: [{ invoiceId: 'inv-1', amountMinor: '11662', discountMinor: '238' }],
        discountMinor: '238',
        controlAccount: '1400',
      },
    },
    {
      type: 'BankStatementLineReopened',
      data: {
        id: 'st-1',
        bookId: 'acme',
        n: 2,
        entryId: 'st-1-entry-2',
        cause: 'approval-rejected',
        approvalId: 'a-1',
      },
    },
    {
      type: 'DunningRunConfirmed',
      data: {
        documentId: 'run-1',
        entryId: 'run-1-entry',
        runId: 'run-1',
        asOf: '2027-02-28',
        notices: [notice],
        receivablesAccount: '1400',
        feesAccount: '2650',
        interestAccount: '2650',
      },
    },
  ];
}
