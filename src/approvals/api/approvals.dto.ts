import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { roles } from '../../access/index.js';
import { PageQuery } from '../../infrastructure/http/page-query.dto.js';
import {
  conditionAccountsMax,
  policyNameLengthMax,
  policyStepsMax,
  retireReasonLengthMax,
  stepApprovalsMax,
} from '../domain/approval-policy.decider.js';
import { commentLengthMax, reasonLengthMax } from '../domain/approval-request.decider.js';
import { gatedActions } from '../domain/gated-action.js';
import { approvalsLimitDefault, approvalsLimitMax } from '../projections/approvals-read-model.js';

/**
 * Request bodies and queries of the approvals endpoints. class-validator checks shapes and
 * lengths; the deciders check the meaning (amount digits per currency, durations, windows) and
 * name the fields they refuse.
 */

const amountTextLengthMax = 40;
const accountCodeLengthMax = 64;
const durationTextLengthMax = 64;
const timeTextLengthMax = 64;
const keyIdLengthMax = 128;
const cursorLengthMax = 100;
const approvalStatuses = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;

export class PolicyConditionRequest {
  @ApiPropertyOptional({
    description: 'Applies when the entry debits at least this much in `currency` (decimal string)',
    example: '10000.00',
  })
  @IsOptional()
  @IsString()
  @Length(1, amountTextLengthMax)
  minAmount?: string;

  @ApiPropertyOptional({
    description: 'ISO 4217 currency of `minAmount` (alone: the entry debits this currency at all)',
    example: 'EUR',
  })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  currency?: string;

  @ApiPropertyOptional({
    description: 'Applies when any line (or the closed account) is one of these account codes',
    example: ['1200'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(conditionAccountsMax)
  @IsString({ each: true })
  @Length(1, accountCodeLengthMax, { each: true })
  accounts?: string[];
}

export class PolicyStepRequest {
  @ApiProperty({
    description: 'The role whose holders decide this step',
    enum: roles,
    example: 'approver',
  })
  @IsIn(roles)
  role!: string;

  @ApiProperty({
    description: 'How many different persons must approve',
    minimum: 1,
    maximum: stepApprovalsMax,
    example: 1,
  })
  @IsInt()
  @Min(1)
  @Max(stepApprovalsMax)
  approvals!: number;
}

export class DefineApprovalPolicyRequest {
  @ApiProperty({ example: 'Four eyes above 10,000 EUR', maxLength: policyNameLengthMax })
  @IsString()
  @Length(1, policyNameLengthMax)
  name!: string;

  @ApiProperty({ enum: gatedActions, example: 'journal-entry.post' })
  @IsIn(gatedActions)
  action!: string;

  @ApiPropertyOptional({
    type: PolicyConditionRequest,
    description: 'All given parts must hold; none: every such action',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PolicyConditionRequest)
  condition?: PolicyConditionRequest;

  @ApiProperty({
    type: [PolicyStepRequest],
    description: 'Decided in order; each step needs its approvals before the next opens',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(policyStepsMax)
  @ValidateNested({ each: true })
  @Type(() => PolicyStepRequest)
  steps!: PolicyStepRequest[];

  @ApiPropertyOptional({
    description: 'ISO 8601 duration after which an undecided request expires',
    example: 'P7D',
  })
  @IsOptional()
  @IsString()
  @Length(1, durationTextLengthMax)
  expiresAfter?: string;
}

export class RetireApprovalPolicyQuery {
  @ApiPropertyOptional({
    description: 'Why the policy is retired (kept in its history)',
    maxLength: retireReasonLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(retireReasonLengthMax)
  reason?: string;
}

export class ApprovalPoliciesQuery {
  @ApiPropertyOptional({
    description: 'Also list retired policies (status `retired`)',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeRetired?: boolean;
}

export class ApproveRequest {
  @ApiPropertyOptional({ maxLength: commentLengthMax })
  @IsOptional()
  @IsString()
  @MaxLength(commentLengthMax)
  comment?: string;
}

export class RejectRequest {
  @ApiProperty({ maxLength: reasonLengthMax, example: 'Invoice not received' })
  @IsString()
  @Length(1, reasonLengthMax)
  reason!: string;
}

export class CancelRequest {
  @ApiPropertyOptional({ maxLength: reasonLengthMax })
  @IsOptional()
  @IsString()
  @MaxLength(reasonLengthMax)
  reason?: string;
}

export class DelegateRequest {
  @ApiProperty({
    description: "Id of the API key that may decide in the caller's stead",
    maxLength: keyIdLengthMax,
  })
  @IsString()
  @Length(1, keyIdLengthMax)
  to!: string;

  @ApiPropertyOptional({
    description: 'Start of the window (ISO 8601); default now',
    example: '2026-04-01T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  @Length(1, timeTextLengthMax)
  from?: string;

  @ApiProperty({
    description: 'End of the window (ISO 8601, exclusive)',
    example: '2026-04-15T00:00:00Z',
  })
  @IsString()
  @Length(1, timeTextLengthMax)
  until!: string;

  @ApiPropertyOptional({
    description: 'The role handed over (the caller must hold it)',
    enum: roles,
    default: 'approver',
  })
  @IsOptional()
  @IsIn(roles)
  role?: string;
}

export class RevokeDelegationQuery {
  @ApiPropertyOptional({ maxLength: reasonLengthMax })
  @IsOptional()
  @IsString()
  @MaxLength(reasonLengthMax)
  reason?: string;
}

export class ApprovalsListQuery extends PageQuery({
  limitDefault: approvalsLimitDefault,
  limitMax: approvalsLimitMax,
  cursorLengthMax,
}) {
  @ApiPropertyOptional({ enum: approvalStatuses })
  @IsOptional()
  @IsIn(approvalStatuses)
  status?: (typeof approvalStatuses)[number];

  @ApiPropertyOptional({ description: 'Only requests of this book' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  book?: string;

  @ApiPropertyOptional({
    description:
      "Only pending requests the caller may decide now: holds the open step's role (directly or delegated), is not the requester, has not decided",
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  assignedToMe?: boolean;
}
