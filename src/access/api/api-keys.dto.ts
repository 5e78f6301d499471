import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { PageQuery } from '../../infrastructure/http/page-query.dto.js';
import { bookIdLengthMax, keyBooksMax, keyNameLengthMax } from '../domain/api-keys.decider.js';
import { Role, roles } from '../domain/permissions.js';

export const listLimitDefault = 100;
export const listLimitMax = 1000;
const keyCursorLengthMax = 200;

export class CreateApiKeyRequest {
  @ApiProperty({
    description: 'Who or what uses the key (a person, a system); shown in the audit trail',
    example: 'Erika Mustermann',
    maxLength: keyNameLengthMax,
  })
  @IsString()
  @Length(1, keyNameLengthMax)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({
    description: 'Roles granted to the key (at least one)',
    enum: roles,
    isArray: true,
    example: ['accountant'],
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(roles.length)
  @IsIn(roles, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({
    description: 'Restricts the key to these books; leave out for every book',
    type: [String],
    example: ['acme-gmbh'],
    maxItems: keyBooksMax,
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(keyBooksMax)
  @IsString({ each: true })
  @Length(1, bookIdLengthMax, { each: true })
  books?: string[];
}

export class CreatedApiKeyResponse {
  @ApiProperty({
    description: 'Key id (for listing and revoking)',
    example: 'key_4f9c2a1b0d8e7f6a5b4c',
  })
  id!: string;

  @ApiProperty({
    description: 'The secret API key: shown only in this response, stored only as a hash',
    example: 'kontor_Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9v',
  })
  key!: string;

  @ApiProperty({ description: 'Name of the key' })
  name!: string;

  @ApiProperty({ description: 'Roles of the key', enum: roles, isArray: true })
  roles!: Role[];

  @ApiPropertyOptional({ description: 'Books the key is restricted to', type: [String] })
  books?: string[];

  @ApiProperty({ description: 'Global log position of the ApiKeyIssued event' })
  position!: number;
}

export class ApiKeyCreator {
  @ApiProperty({ description: 'Key id of the issuer, or "system"' })
  id!: string;

  @ApiProperty({ description: 'Name of the issuer' })
  name!: string;
}

export class ApiKeyResponse {
  @ApiProperty({ description: 'Key id' })
  id!: string;

  @ApiProperty({ description: 'Name of the key' })
  name!: string;

  @ApiProperty({ description: 'Roles of the key', enum: roles, isArray: true })
  roles!: Role[];

  @ApiPropertyOptional({ description: 'Books the key is restricted to', type: [String] })
  books?: string[];

  @ApiProperty({ description: 'Whether the key still works', enum: ['active', 'revoked'] })
  status!: 'active' | 'revoked';

  @ApiProperty({ description: 'When the key was issued (ISO 8601 UTC)' })
  createdAt!: string;

  @ApiProperty({ description: 'Who issued the key', type: ApiKeyCreator })
  createdBy!: ApiKeyCreator;

  @ApiPropertyOptional({ description: 'When the key was revoked (ISO 8601 UTC)' })
  revokedAt?: string;
}

export class ApiKeyListResponse {
  @ApiProperty({
    description: 'Keys in issue order, without secrets or hashes',
    type: [ApiKeyResponse],
  })
  items!: ApiKeyResponse[];

  @ApiProperty({
    description: 'Pass as ?cursor= for the next page; null on the last page',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

export class RevokedApiKeyResponse {
  @ApiProperty({ description: 'Key id' })
  id!: string;

  @ApiProperty({ description: 'Always true', example: true })
  revoked!: true;

  @ApiProperty({ description: 'Global log position of the ApiKeyRevoked event' })
  position!: number;
}

export class ListApiKeysQuery extends PageQuery({
  limitDefault: listLimitDefault,
  limitMax: listLimitMax,
  cursorLengthMax: keyCursorLengthMax,
}) {}

export class CurrentKeyResponse {
  @ApiProperty({ description: 'Key id', example: 'key_4f9c2a1b0d8e7f6a5b4c' })
  id!: string;

  @ApiProperty({
    description: 'The key holder (a person or a system)',
    example: 'Erika Mustermann',
  })
  name!: string;

  @ApiProperty({ description: 'Roles the key holds', enum: roles, isArray: true })
  roles!: Role[];

  @ApiPropertyOptional({
    description: 'The books the key is restricted to; absent when it reaches every book',
    type: [String],
  })
  books?: string[];
}
