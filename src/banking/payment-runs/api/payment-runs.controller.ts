import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../../access/access.module.js';
import {
  CommandMetadata,
  ConflictError,
  FieldError,
  ValidationError,
  formatAmount,
  newId,
} from '../../../event-sourcing/index.js';
import { idempotencyOf } from '../../../infrastructure/http/idempotency.js';
import { bicProblem, ibanProblem, normalizeIban } from '../../../parties/index.js';
import {
  PaymentRunsService,
  PaymentRunView,
  paymentRunIdsFor,
} from '../application/payment-runs.service.js';
import { BusinessRuleError } from '../../domain/payment.js';
import { DebtorData, endToEndIdOf, messageIdOf } from '../domain/payment-runs.decider.js';
import { renderPain001 } from '../domain/pain001.js';
import {
  CancelPaymentRunRequest,
  CreatePaymentRunRequest,
  DebtorRequest,
  PaymentRunResponse,
  PaymentRunsResponse,
} from './payment-runs.dto.js';

const bookParam = { name: 'book', description: 'Book id' };
const idParam = { name: 'id', description: 'Payment run id' };

/** API.md "Payment runs and bank statements": payment runs and their pain.001 files. */
@ApiTags('banking')
@Controller('v1/books/:book/payment-runs')
export class PaymentRunsController {
  constructor(private readonly runs: PaymentRunsService) {}

  @Post()
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Draft a payment run: the due booked incoming invoices (or the given ones) to pay',
  })
  @ApiParam(bookParam)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key: the same run' })
  @ApiCreatedResponse({ type: PaymentRunResponse })
  @ApiConflictResponse({ description: 'an item is in another run (`conflict`)' })
  @ApiUnprocessableEntityResponse({
    description: '`business-rule`: nothing due, a supplier without IBAN, no debtor IBAN',
  })
  async create(
    @Param('book') book: string,
    @Body() body: CreatePaymentRunRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
  ) {
    if (body.items != null && body.dueUntil != null)
      throw new ValidationError('Give either dueUntil or items, not both', [
        { field: 'items', message: 'not together with dueUntil' },
      ]);
    const ids =
      idempotencyKey === undefined
        ? { runId: newId(), commandId: newId() }
        : paymentRunIdsFor(book, idempotencyKey);
    const run = await this.runs.create(
      book,
      {
        runId: ids.runId,
        executionDate: body.executionDate,
        bankAccount: body.bankAccount,
        ...(body.debtor != null ? { debtor: debtorOf(body.debtor) } : {}),
        selection:
          body.items != null
            ? { invoiceIds: body.items }
            : { dueUntil: body.dueUntil ?? body.executionDate },
        ...idempotencyOf(idempotencyKey, 'create-payment-run', body),
      },
      { actor: context.actor, correlationId: context.correlationId, commandId: ids.commandId },
    );
    return this.response(book, run);
  }

  @Post(':id/execute')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Execute a draft run: end-to-end ids, items in payment; 202 when a payment-run.execute policy applies',
  })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ type: PaymentRunResponse })
  @ApiAcceptedResponse({ description: '`{ status: "pending_approval", approvalId, position }`' })
  @ApiConflictResponse({ description: 'executed already (`conflict`)' })
  async execute(
    @Param('book') book: string,
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.runs.execute(book, id, metadataOf(context), context.actor);
    if (outcome.status === 'pending_approval') {
      void reply.status(202);
      return { ...outcome, position: Number(outcome.position) };
    }
    return this.response(book, outcome.run);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Cancel a draft run: its invoices are free for another run' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ type: PaymentRunResponse })
  @ApiConflictResponse({ description: 'executed or cancelled already (`conflict`)' })
  async cancel(
    @Param('book') book: string,
    @Param('id') id: string,
    @Body() body: CancelPaymentRunRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    return this.response(book, await this.runs.cancel(book, id, body.reason, metadataOf(context)));
  }

  @Get()
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The book’s payment runs, oldest first' })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: PaymentRunsResponse })
  async list(@Param('book') book: string) {
    const runs = await this.runs.list(book);
    return {
      items: await Promise.all(runs.map((run) => this.response(book, run))),
      nextCursor: null,
    };
  }

  @Get(':id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One payment run' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ type: PaymentRunResponse })
  async get(@Param('book') book: string, @Param('id') id: string) {
    return this.response(book, await this.runs.view(book, id));
  }

  @Get(':id/pain001')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: 'The executed run as ISO 20022 pain.001.001.09 (SEPA credit transfers)',
  })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'pain.001.001.09 XML' })
  @ApiConflictResponse({ description: 'the run is a draft (`conflict`)' })
  async pain001(@Param('book') book: string, @Param('id') id: string, @Res() reply: FastifyReply) {
    const run = await this.runs.view(book, id);
    if (run.cancelled !== undefined)
      throw new ConflictError(`Payment run ${id} was cancelled: it has no pain.001 file`);
    if (run.executed === undefined)
      throw new ConflictError(
        `Payment run ${id} is a draft: execute it first (POST /v1/books/${book}/payment-runs/${id}/execute)`,
      );
    const { created, executed } = run;
    const transfers = await Promise.all(
      created.items.map(async (item, index) => ({
        endToEndId: endToEndIdOf(created.sequence, index),
        amountMinor: BigInt(item.amountMinor),
        creditor: await this.runs.openCreditor(book, item),
        remittance: item.number,
      })),
    );
    const erased = transfers.filter((transfer) => transfer.creditor.iban === '');
    if (erased.length > 0)
      throw new BusinessRuleError(
        `No pain.001 for payment run ${id}: the IBAN of ${erased.map((t) => t.remittance).join(', ')} was erased (GDPR); pay these invoices by hand`,
      );
    const xml = renderPain001({
      messageId: messageIdOf(created.sequence),
      createdAt: executed.executedAt,
      executionDate: created.executionDate,
      debtor: created.debtor,
      transfers,
    });
    await reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${messageIdOf(created.sequence)}.xml"`)
      .send(xml);
  }

  private async response(book: string, run: PaymentRunView): Promise<PaymentRunResponse> {
    const { created, executed, cancelled } = run;
    const money = (minor: string) => formatAmount(BigInt(minor), created.currency);
    const endToEnd = new Map(executed?.items.map((item) => [item.invoiceId, item.endToEndId]));
    return {
      id: created.runId,
      status: cancelled !== undefined ? 'cancelled' : executed === undefined ? 'draft' : 'executed',
      executionDate: created.executionDate,
      bankAccount: created.bankAccount,
      debtor: created.debtor,
      currency: created.currency,
      total: money(created.totalMinor),
      items: await Promise.all(
        created.items.map(async (item) => ({
          invoice: item.invoiceId,
          number: item.number,
          party: item.partyId,
          dueDate: item.dueDate,
          amount: money(item.amountMinor),
          creditor: await this.runs.openCreditor(book, item),
          ...(endToEnd.has(item.invoiceId) ? { endToEndId: endToEnd.get(item.invoiceId)! } : {}),
        })),
      ),
      ...(executed !== undefined
        ? { executedAt: executed.executedAt, messageId: messageIdOf(created.sequence) }
        : {}),
      ...(cancelled !== undefined ? { cancelledAt: cancelled.cancelledAt } : {}),
      position: Number(run.position),
    };
  }
}

function metadataOf(context: RequestContextValue): CommandMetadata {
  return { actor: context.actor, correlationId: context.correlationId, commandId: newId() };
}

/** The debtor as given, its IBAN in electronic format; a bad IBAN or BIC is a 400. */
function debtorOf(debtor: DebtorRequest): DebtorData {
  const iban = normalizeIban(debtor.iban);
  const bic = debtor.bic?.trim().toUpperCase();
  const problems: FieldError[] = [];
  const ibanWrong = ibanProblem(iban);
  if (ibanWrong !== undefined) problems.push({ field: 'debtor.iban', message: ibanWrong });
  const bicWrong = bic === undefined ? undefined : bicProblem(bic);
  if (bicWrong !== undefined) problems.push({ field: 'debtor.bic', message: bicWrong });
  if (debtor.name.trim() === '')
    problems.push({ field: 'debtor.name', message: 'must not be blank' });
  if (problems.length > 0)
    throw new ValidationError(
      `The debtor ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems,
    );
  return { name: debtor.name.trim(), iban, ...(bic !== undefined ? { bic } : {}) };
}
