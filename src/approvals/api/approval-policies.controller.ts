import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { newId } from '../../event-sourcing/index.js';
import {
  DefineApprovalPolicyCommand,
  RetireApprovalPolicyCommand,
} from '../application/approval-bus.commands.js';
import { ApprovalPolicies } from '../application/approval-policies.js';
import {
  ApprovalPoliciesQuery,
  DefineApprovalPolicyRequest,
  RetireApprovalPolicyQuery,
} from './approvals.dto.js';

/** `POST/GET /v1/books/:book/approval-policies`, `DELETE …/:id` (API.md "Approvals"). */
@ApiTags('approvals')
@Controller('v1/books/:book/approval-policies')
export class ApprovalPoliciesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly policies: ApprovalPolicies,
  ) {}

  @Post()
  @RequirePermission('policies:write')
  @ApiOperation({ summary: 'Define an approval policy on the book (admin, compliance)' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiCreatedResponse({ description: 'the policy as listed, with `position`' })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  define(
    @Param('book') book: string,
    @Body() body: DefineApprovalPolicyRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const command = {
      type: 'DefineApprovalPolicy' as const,
      book,
      policyId: newId(),
      name: body.name,
      action: body.action,
      ...(body.condition !== undefined ? { condition: { ...body.condition } } : {}),
      steps: body.steps.map((step) => ({ role: step.role, approvals: step.approvals })),
      ...(body.expiresAfter !== undefined ? { expiresAfter: body.expiresAfter } : {}),
    };
    return this.commandBus.execute(new DefineApprovalPolicyCommand(command, metadataOf(context)));
  }

  @Get()
  @RequirePermission('policies:read')
  @ApiOperation({
    summary:
      "The book's approval policies in definition order (active ones; retired too on request)",
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ description: '`{ items: [policy] }`' })
  async list(@Param('book') book: string, @Query() query: ApprovalPoliciesQuery) {
    const all = await this.policies.list(book);
    return {
      items: query.includeRetired ? all : all.filter((policy) => policy.status === 'active'),
    };
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('policies:write')
  @ApiOperation({
    summary: 'Retire a policy: it gates nothing new; requests already made keep their steps',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Policy id' })
  @ApiOkResponse({ description: 'the policy with status `retired`, and `position`' })
  @ApiNotFoundResponse({ description: 'no such policy (problem+json `not-found`)' })
  retire(
    @Param('book') book: string,
    @Param('id') policyId: string,
    @Query() query: RetireApprovalPolicyQuery,
    @RequestContext() context: RequestContextValue,
  ) {
    const command = {
      type: 'RetireApprovalPolicy' as const,
      book,
      policyId,
      ...(query.reason !== undefined ? { reason: query.reason } : {}),
    };
    return this.commandBus.execute(new RetireApprovalPolicyCommand(command, metadataOf(context)));
  }
}

export function metadataOf(context: RequestContextValue) {
  return { actor: context.actor, correlationId: context.correlationId, commandId: newId() };
}
