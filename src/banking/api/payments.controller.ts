import { Body, Controller, Get, Headers, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { Clock, deterministicId, formatAmount, newId } from '../../event-sourcing/index.js';
import { CLOCK } from '../../infrastructure/tokens.js';
import { OpenItemView } from '../domain/aging.js';
import { AgingRow } from '../domain/aging.js';
import { OpenItemsService } from '../application/open-items.service.js';
import { PaymentsService, ReceivedPayment } from '../application/payments.service.js';
import { PaymentRunsReadModel } from '../payment-runs/payment-runs.module.js';
import {
  AgingQuery,
  AgingResponse,
  OpenItemsQuery,
  OpenItemsResponse,
  PaymentResponse,
  ReceivePaymentRequest,
  ReconciliationResponse,
} from './banking.dto.js';

const idempotencyKeyHeader = 'idempotency-key';

/** API.md "Payments, open items, dunning": payments, open items, aging, reconciliation. */
@ApiTags('banking')
@Controller('v1/books/:book')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly openItems: OpenItemsService,
    private readonly paymentRuns: PaymentRunsReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('payments')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Record a received payment: bank to receivables, allocated to invoices',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key: the same payment id and entry id',
  })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiUnprocessableEntityResponse({
    description: '`business-rule` (allocation above the open amount …), `unknown-account`',
  })
  async receive(
    @Param('book') book: string,
    @Body() body: ReceivePaymentRequest,
    @Headers(idempotencyKeyHeader) idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
  ) {
    const ids =
      idempotencyKey === undefined
        ? { paymentId: newId(), entryId: newId(), commandId: newId() }
        : {
            paymentId: deterministicId('kontor.banking.payment', book, idempotencyKey),
            entryId: deterministicId('kontor.banking.payment.entry', book, idempotencyKey),
            commandId: deterministicId('kontor.banking.payment.command', book, idempotencyKey),
          };
    const received = await this.payments.receive(
      book,
      {
        ...body,
        paymentId: ids.paymentId,
        entryId: ids.entryId,
        ...idempotencyOf(idempotencyKey, 'receive-payment', body),
      },
      { actor: context.actor, correlationId: context.correlationId, commandId: ids.commandId },
      { ...context.actor, roles: context.roles },
    );
    return paymentResponse(received);
  }

  @Get('open-items')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'Open items of a kind as of a date (open amounts then, not today)' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: OpenItemsResponse })
  async list(
    @Param('book') book: string,
    @Query() query: OpenItemsQuery,
  ): Promise<OpenItemsResponse> {
    const asOf = query.asOf ?? this.today();
    const items = await this.openItems.list(book, {
      kind: query.kind,
      asOf,
      ...(query.party !== undefined ? { party: query.party } : {}),
      overdue: query.overdue === 'true',
    });
    // Payables in an executed payment run are in payment until the bank statement pays them.
    const inPayment = query.kind === 'payable' ? await this.paymentRuns.inPayment(book) : new Map();
    return {
      asOf,
      items: items.map((item) => {
        const payment = item.openMinor > 0n ? inPayment.get(item.itemId) : undefined;
        return payment === undefined
          ? itemResponse(item)
          : {
              ...itemResponse(item),
              inPayment: { run: payment.runId, endToEndId: payment.endToEndId },
            };
      }),
      nextCursor: null,
    };
  }

  @Get('open-items/aging')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: 'Open amounts per party in current, 1-30, 31-60, 61-90, over-90 days overdue',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: AgingResponse })
  async aging(@Param('book') book: string, @Query() query: AgingQuery): Promise<AgingResponse> {
    const asOf = query.asOf ?? this.today();
    const tables = await this.openItems.aging(book, query.kind, asOf);
    return {
      kind: query.kind,
      asOf,
      currencies: tables.map((table) => ({
        currency: table.currency,
        parties: table.parties.map((row) => ({
          party: row.party,
          ...bucketsOf(row.buckets, table.currency),
        })),
        total: bucketsOf(table.total, table.currency),
      })),
    };
  }

  @Get('open-items/reconciliation')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'Open items of a kind against their control account’s ledger balance' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: ReconciliationResponse })
  async reconciliation(
    @Param('book') book: string,
    @Query() query: AgingQuery,
  ): Promise<ReconciliationResponse> {
    const result = await this.openItems.reconcile(book, query.kind, query.asOf ?? this.today());
    return {
      kind: result.kind,
      asOf: result.asOf,
      ok: result.ok,
      lines: result.lines.map((line) => ({
        account: line.account,
        currency: line.currency,
        openItems: formatAmount(line.openItemsMinor, line.currency),
        ledger: formatAmount(line.ledgerMinor, line.currency),
        difference: formatAmount(line.differenceMinor, line.currency),
      })),
    };
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }
}

function paymentResponse(received: ReceivedPayment) {
  const { data } = received.plan;
  const money = (minor: string | bigint) => formatAmount(BigInt(minor), data.currency);
  const allocated = data.allocations.reduce((sum, a) => sum + BigInt(a.amountMinor), 0n);
  return {
    id: received.id,
    kind: data.kind ?? 'receivable',
    entryId: received.entryId,
    party: received.party,
    date: data.date,
    amount: money(data.amountMinor),
    currency: data.currency,
    discount: money(data.discountMinor),
    allocations: data.allocations.map((a) => ({
      invoice: a.invoiceId,
      amount: money(a.amountMinor),
      discount: money(a.discountMinor),
    })),
    unallocated: money(BigInt(data.amountMinor) - allocated),
    position: received.position,
  };
}

function itemResponse(item: OpenItemView) {
  return {
    invoice: item.itemId,
    party: item.party,
    ...(item.number !== undefined ? { number: item.number } : {}),
    documentType: item.documentType,
    account: item.account,
    currency: item.currency,
    issueDate: item.issueDate,
    dueDate: item.dueDate,
    amount: formatAmount(item.amountMinor, item.currency),
    openAmount: formatAmount(item.openMinor, item.currency),
    daysOverdue: item.daysOverdue,
  };
}

function bucketsOf(row: AgingRow, currency: string) {
  const money = (minor: bigint) => formatAmount(minor, currency);
  return {
    current: money(row.current),
    '1-30': money(row['1-30']),
    '31-60': money(row['31-60']),
    '61-90': money(row['61-90']),
    'over-90': money(row['over-90']),
    total: money(row.total),
  };
}
