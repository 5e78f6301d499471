import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Role, UnauthorizedError, canAccessBook } from '../../access/index.js';
import {
  ApiKeyRegistry,
  CurrentActor,
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import type { AuthenticatedActor } from '../../access/access.module.js';
import { Clock, ForbiddenError, NotFoundError, newId } from '../../event-sourcing/index.js';
import { CLOCK } from '../../infrastructure/tokens.js';
import {
  CancelApprovalCommand,
  Caller,
  DecideApprovalCommand,
  DelegateApprovalCommand,
  RevokeApprovalDelegationCommand,
} from '../application/approval-bus.commands.js';
import { ApprovalDelegations } from '../application/approval-delegations.js';
import { ApprovalsReadModel } from '../projections/approvals-read-model.js';
import { metadataOf } from './approval-policies.controller.js';
import {
  ApprovalsListQuery,
  ApproveRequest,
  CancelRequest,
  DelegateRequest,
  RejectRequest,
  RevokeDelegationQuery,
} from './approvals.dto.js';

const segregationOfDutiesDescription =
  "the requester deciding, or a person deciding twice (problem+json `segregation-of-duties`); a key without the step's role (`forbidden`)";

/** `/v1/approvals` (API.md "Approvals"): lists, one request with its history, decisions, delegations. */
@ApiTags('approvals')
@Controller('v1/approvals')
export class ApprovalsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly readModel: ApprovalsReadModel,
    private readonly delegations: ApprovalDelegations,
    private readonly registry: ApiKeyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('approvals:read')
  @ApiOperation({ summary: 'Approval requests, oldest first, by status, book and assignedToMe' })
  @ApiOkResponse({ description: '`{ items: [approval], nextCursor }`' })
  async list(@Query() query: ApprovalsListQuery, @CurrentActor() actor: AuthenticatedActor) {
    if (query.book !== undefined && !canAccessBook(actor, query.book)) {
      throw new ForbiddenError(
        `the API key "${actor.name}" is not allowed to access book ${query.book}`,
      );
    }
    return this.readModel.list({
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.book !== undefined ? { book: query.book } : {}),
      ...(actor.books !== undefined ? { books: actor.books } : {}),
      ...(query.assignedToMe ? { assignedTo: await this.assignee(actor) } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
  }

  @Get('delegations')
  @RequirePermission('approvals:read')
  @ApiOperation({
    summary:
      'Every delegation, in the order made, with `active` (in its window, not revoked, delegator still holds the role)',
  })
  @ApiOkResponse({ description: '`{ items: [delegation] }`' })
  async listDelegations() {
    return { items: await this.delegations.list(this.clock.now().toISOString()) };
  }

  @Post('delegations')
  @RequirePermission('approvals:decide')
  @ApiOperation({
    summary:
      'Hand one of your roles (default `approver`) to another key for a window; decisions record both persons',
  })
  @ApiCreatedResponse({ description: 'the delegation, with `position`' })
  delegate(
    @Body() body: DelegateRequest,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestContext() context: RequestContextValue,
  ) {
    const delegation = {
      delegationId: newId(),
      toKeyId: body.to,
      role: (body.role ?? 'approver') as Role,
      until: body.until,
      ...(body.from !== undefined ? { from: body.from } : {}),
    };
    return this.commandBus.execute(
      new DelegateApprovalCommand(delegation, callerOf(actor), metadataOf(context)),
    );
  }

  @Delete('delegations/:id')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiOperation({ summary: 'Revoke a delegation (the delegating person or an admin)' })
  @ApiParam({ name: 'id', description: 'Delegation id' })
  @ApiOkResponse({ description: 'the delegation, with `position`' })
  @ApiNotFoundResponse({ description: 'no such delegation (problem+json `not-found`)' })
  revokeDelegation(
    @Param('id') delegationId: string,
    @Query() query: RevokeDelegationQuery,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestContext() context: RequestContextValue,
  ) {
    return this.commandBus.execute(
      new RevokeApprovalDelegationCommand(
        delegationId,
        query.reason,
        callerOf(actor),
        metadataOf(context),
      ),
    );
  }

  @Get(':id')
  @RequirePermission('approvals:read')
  @ApiOperation({
    summary: 'One approval request with its full history and, once the action ran, its `result`',
  })
  @ApiParam({ name: 'id', description: 'Approval id' })
  @ApiOkResponse({
    description:
      '`{ id, book, action, status, payload, requestedBy, steps: [{ role, required, decisions }], result? , ... }`',
  })
  @ApiNotFoundResponse({ description: 'no such approval (problem+json `not-found`)' })
  async get(@Param('id') approvalId: string, @CurrentActor() actor: AuthenticatedActor) {
    const found = await this.readModel.find(approvalId);
    if (!found) throw new NotFoundError(`Approval ${approvalId} not found`);
    if (!canAccessBook(actor, found.view.book))
      throw new ForbiddenError(
        `the API key "${actor.name}" is not allowed to access book ${found.view.book}`,
      );
    return found.view;
  }

  @Post(':id/approve')
  @HttpCode(200)
  // approvals:decide is checked by the handler against own AND delegated roles (a delegate may lack it).
  @RequirePermission('approvals:read')
  @ApiOperation({
    summary:
      'Approve the open step (needs approvals:decide through own or delegated roles); after the last step the action runs once and the answer shows its `result`',
  })
  @ApiParam({ name: 'id', description: 'Approval id' })
  @ApiOkResponse({ description: 'the approval, with `position`' })
  @ApiForbiddenResponse({ description: segregationOfDutiesDescription })
  @ApiConflictResponse({
    description: 'the request is no longer pending (problem+json `conflict`)',
  })
  approve(
    @Param('id') approvalId: string,
    @Body() body: ApproveRequest,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestContext() context: RequestContextValue,
  ) {
    const decision = {
      kind: 'approve' as const,
      ...(body?.comment !== undefined ? { comment: body.comment } : {}),
    };
    return this.commandBus.execute(
      new DecideApprovalCommand(approvalId, decision, callerOf(actor), metadataOf(context)),
    );
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('approvals:read')
  @ApiOperation({
    summary:
      'Reject the request, which closes it (needs approvals:decide through own or delegated roles)',
  })
  @ApiParam({ name: 'id', description: 'Approval id' })
  @ApiOkResponse({ description: 'the approval, with `position`' })
  @ApiForbiddenResponse({ description: segregationOfDutiesDescription })
  @ApiConflictResponse({
    description: 'the request is no longer pending (problem+json `conflict`)',
  })
  reject(
    @Param('id') approvalId: string,
    @Body() body: RejectRequest,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestContext() context: RequestContextValue,
  ) {
    const decision = { kind: 'reject' as const, reason: body.reason };
    return this.commandBus.execute(
      new DecideApprovalCommand(approvalId, decision, callerOf(actor), metadataOf(context)),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('approvals:request')
  @ApiOperation({ summary: 'Withdraw a pending request (requester only)' })
  @ApiParam({ name: 'id', description: 'Approval id' })
  @ApiOkResponse({ description: 'the approval, with `position`' })
  @ApiConflictResponse({
    description: 'the request is no longer pending (problem+json `conflict`)',
  })
  cancel(
    @Param('id') approvalId: string,
    @Body() body: CancelRequest,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestContext() context: RequestContextValue,
  ) {
    return this.commandBus.execute(
      new CancelApprovalCommand(approvalId, body?.reason, callerOf(actor), metadataOf(context)),
    );
  }

  /** The caller as `assignedToMe` sees them: their name and every role they hold now, delegated ones included. */
  private async assignee(actor: AuthenticatedActor): Promise<{ name: string; roles: Role[] }> {
    const key = this.registry.find(actor.keyId);
    if (!key || key.status !== 'active') throw new UnauthorizedError('unknown or revoked API key');
    const delegated = await this.delegations.rolesDelegatedTo(
      key.id,
      this.clock.now().toISOString(),
    );
    return { name: key.name, roles: [...new Set([...key.roles, ...delegated])] };
  }
}

function callerOf(actor: AuthenticatedActor): Caller {
  return { keyId: actor.keyId, name: actor.name, ...(actor.books ? { books: actor.books } : {}) };
}
