import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsPosition } from '../../infrastructure/http/page-query.dto.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import {
  webhookBooksMax,
  webhookFilterEntryLengthMax,
  webhookTypesMax,
  webhookUrlLengthMax,
} from '../domain/webhooks.decider.js';

export const deliveriesLimitDefault = 100;
export const deliveriesLimitMax = 1000;

export class RegisterWebhookRequest {
  @ApiProperty({
    description:
      'http(s) URL that receives POSTs of CloudEvents; private and loopback addresses are refused',
    example: 'https://erp.example.com/hooks/kontor',
  })
  @IsString()
  @Length(1, webhookUrlLengthMax)
  url!: string;

  @ApiPropertyOptional({
    description: 'Only these event types (absent: all)',
    example: ['JournalEntryPosted'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(webhookTypesMax)
  @IsString({ each: true })
  @Length(1, webhookFilterEntryLengthMax, { each: true })
  types?: string[];

  @ApiPropertyOptional({
    description: 'Only events of these books (absent: all the key may see)',
    example: ['acme-gmbh'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(webhookBooksMax)
  @IsString({ each: true })
  @Length(1, webhookFilterEntryLengthMax, { each: true })
  books?: string[];
}

export class WebhookOwner {
  @ApiProperty({ description: 'API key id' })
  id!: string;

  @ApiProperty({ description: 'API key name' })
  name!: string;
}

export class WebhookResponse {
  @ApiProperty({ example: 'wh_3f9a0c1d2e4b5a6c7d8e' })
  id!: string;

  @ApiProperty({
    description:
      'The target; in lists and events with its query string masked (`https://hooks.example/in?***`)',
  })
  url!: string;

  @ApiProperty({ type: [String], nullable: true, description: 'null: every type' })
  types!: string[] | null;

  @ApiProperty({ type: [String], nullable: true, description: 'null: every book' })
  books!: string[] | null;

  @ApiProperty({ description: 'When it was registered (ISO 8601 UTC)' })
  createdAt!: string;

  @ApiProperty({ type: WebhookOwner, description: 'The key that registered it (its owner)' })
  createdBy!: WebhookOwner;
}

export class RegisteredWebhookResponse extends WebhookResponse {
  @ApiProperty({
    description: 'Standard Webhooks signing secret (`whsec_…`): shown only here',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;

  @ApiProperty({
    description: 'Global log position of the WebhookRegistered event',
    type: 'integer',
  })
  position!: number;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] })
  items!: WebhookResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Always null: every active webhook is listed',
  })
  nextCursor!: null;
}

export class DeletedWebhookResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  deleted!: true;

  @ApiProperty({ type: 'integer' })
  position!: number;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsPosition('cursor must be a cursor returned by this endpoint')
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: deliveriesLimitMax, default: deliveriesLimitDefault })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(deliveriesLimitMax)
  limit?: number;

  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed', 'cancelled'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed', 'cancelled'])
  status?: 'pending' | 'delivered' | 'failed' | 'cancelled';
}

export class DeliveryAttemptResponse {
  @ApiProperty({ type: 'integer' })
  attempt!: number;

  @ApiProperty({ description: 'When the call started' })
  at!: string;

  @ApiProperty({ type: 'integer' })
  durationMs!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'HTTP status, null when no response came (timeout, refused)',
  })
  statusCode!: number | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}

export class DeliveryResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({
    description: 'The event id (also the `webhook-id` header and the CloudEvents `id`)',
  })
  eventId!: string;

  @ApiProperty()
  eventType!: string;

  @ApiProperty({ type: 'integer' })
  position!: number;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'cancelled'] })
  status!: string;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  nextAttemptAt!: string | null;

  @ApiProperty()
  enqueuedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  completedAt!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({
    type: [DeliveryAttemptResponse],
    description: 'The latest attempts, oldest first',
  })
  attemptLog!: DeliveryAttemptResponse[];
}

export class DeliveriesPageResponse {
  @ApiProperty({ type: [DeliveryResponse] })
  items!: DeliveryResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
