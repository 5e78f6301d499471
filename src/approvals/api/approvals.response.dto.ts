import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { roles } from '../../access/index.js';

/** The OpenAPI shapes of the approvals answers (the handlers return the views themselves). */

/** A key holder: its API key id and name. */
export interface KeyHolderResponse {
  keyId: string;
  name: string;
}

export class ApprovalDecisionResponse {
  @ApiProperty({ description: 'Who decided (key holder name)' })
  by!: string;

  @ApiProperty({ description: 'Their API key id' })
  byKeyId!: string;

  @ApiProperty({
    description: 'The delegating person when decided under a delegation',
    // Inline: OpenAPI 3.0 ignores `nullable` beside a $ref.
    type: 'object',
    nullable: true,
    required: ['keyId', 'name'],
    properties: { keyId: { type: 'string' }, name: { type: 'string' } },
  })
  onBehalfOf!: KeyHolderResponse | null;

  @ApiProperty({ enum: ['approved', 'rejected'] })
  decision!: string;

  @ApiProperty({ description: 'When (ISO 8601 UTC)' })
  at!: string;

  @ApiProperty({ type: String, nullable: true })
  comment!: string | null;
}

export class ApprovalStepResponse {
  @ApiProperty({ description: 'The role that decides this step', enum: roles })
  role!: string;

  @ApiProperty({ description: 'Approvals the step needs', type: 'integer' })
  required!: number;

  @ApiProperty({ description: 'Approvals it has', type: 'integer' })
  granted!: number;

  @ApiProperty({ type: [ApprovalDecisionResponse] })
  decisions!: ApprovalDecisionResponse[];
}

export class ApprovalResponse {
  @ApiProperty({ description: 'Approval id' })
  id!: string;

  @ApiProperty({ description: 'Book id' })
  book!: string;

  @ApiProperty({ description: 'The gated action', example: 'journal-entry.post' })
  action!: string;

  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'expired', 'cancelled'] })
  status!: string;

  @ApiProperty({
    description: 'The request that waits (e.g. the journal entry)',
    type: 'object',
    additionalProperties: true,
  })
  payload!: unknown;

  @ApiProperty({ description: 'Name of the requester' })
  requestedBy!: string;

  @ApiProperty({ description: "The requester's API key id" })
  requestedByKeyId!: string;

  @ApiProperty({ description: 'When requested (ISO 8601 UTC)' })
  requestedAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'When it expires unless decided' })
  expiresAt!: string | null;

  @ApiProperty({ type: [String], description: 'The policies that gated it' })
  policyIds!: string[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Index of the step deciding now (pending only)',
  })
  currentStep!: number | null;

  @ApiProperty({ type: [ApprovalStepResponse] })
  steps!: ApprovalStepResponse[];

  @ApiPropertyOptional({
    description: 'Once approved: what running the action gave (`status` executed or failed)',
    type: 'object',
    additionalProperties: true,
  })
  result?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Why it was rejected or cancelled' })
  reason?: string;

  @ApiPropertyOptional({ description: 'When it was decided, expired or cancelled' })
  closedAt?: string;
}

export class DecidedApprovalResponse extends ApprovalResponse {
  @ApiProperty({ description: 'Global log position of the decision', type: 'integer' })
  position!: number;
}

export class ApprovalsPageResponse {
  @ApiProperty({ type: [ApprovalResponse] })
  items!: ApprovalResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page' })
  nextCursor!: string | null;
}

export class PolicyActorResponse {
  @ApiProperty({ description: 'API key id, or "system"' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class PolicyConditionResponse {
  @ApiPropertyOptional({ description: 'Decimal string', example: '10000.00' })
  minAmount?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  currency?: string;

  @ApiPropertyOptional({ type: [String] })
  accounts?: string[];
}

export class PolicyStepResponse {
  @ApiProperty({ enum: roles })
  role!: string;

  @ApiProperty({ type: 'integer' })
  approvals!: number;
}

export class ApprovalPolicyResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  book!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'journal-entry.post' })
  action!: string;

  @ApiPropertyOptional({ type: PolicyConditionResponse })
  condition?: PolicyConditionResponse;

  @ApiProperty({ type: [PolicyStepResponse] })
  steps!: PolicyStepResponse[];

  @ApiPropertyOptional({ description: 'ISO 8601 duration', example: 'P7D' })
  expiresAfter?: string;

  @ApiProperty({ enum: ['active', 'retired'] })
  status!: string;

  @ApiProperty()
  definedAt!: string;

  @ApiProperty({ type: PolicyActorResponse })
  definedBy!: PolicyActorResponse;

  @ApiProperty({ type: 'integer', description: 'Log position of its latest event' })
  position!: number;

  @ApiPropertyOptional()
  retiredAt?: string;

  @ApiPropertyOptional({ type: PolicyActorResponse })
  retiredBy?: PolicyActorResponse;

  @ApiPropertyOptional()
  retireReason?: string;
}

export class ApprovalPoliciesResponse {
  @ApiProperty({ type: [ApprovalPolicyResponse] })
  items!: ApprovalPolicyResponse[];
}

export class DelegationResponse {
  @ApiProperty()
  delegationId!: string;

  @ApiProperty()
  fromKeyId!: string;

  @ApiProperty()
  fromName!: string;

  @ApiProperty()
  toKeyId!: string;

  @ApiProperty()
  toName!: string;

  @ApiProperty({ enum: roles })
  role!: string;

  @ApiProperty({ description: 'Valid from (inclusive, ISO 8601 UTC)' })
  from!: string;

  @ApiProperty({ description: 'Valid until (exclusive, ISO 8601 UTC)' })
  until!: string;

  @ApiProperty({ description: 'When it was made' })
  at!: string;

  @ApiPropertyOptional({ description: 'When it was revoked' })
  revokedAt?: string;
}

export class DelegationListingResponse extends DelegationResponse {
  @ApiProperty({
    description: 'In its window, not revoked, and the delegator still holds the role',
  })
  active!: boolean;
}

export class DelegationsResponse {
  @ApiProperty({ type: [DelegationListingResponse] })
  items!: DelegationListingResponse[];
}

export class DelegationChangedResponse extends DelegationResponse {
  @ApiProperty({ type: 'integer', description: 'Global log position of the event' })
  position!: number;
}
