import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationError, newId } from '../../event-sourcing/index.js';
import { ApiKeyRegistry } from '../application/api-key-registry.js';
import { IssueApiKeyCommand, RevokeApiKeyCommand } from '../application/api-key-bus.commands.js';
import {
  AuthenticatedActor,
  CurrentActor,
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from './access.decorators.js';
import {
  ApiKeyListResponse,
  CreateApiKeyRequest,
  CreatedApiKeyResponse,
  CurrentKeyResponse,
  ListApiKeysQuery,
  RevokedApiKeyResponse,
  listLimitDefault,
} from './api-keys.dto.js';

@ApiTags('api-keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: ApiKeyRegistry,
  ) {}

  @Post()
  @RequirePermission('keys:manage')
  @ApiOperation({ summary: 'Issue an API key; the secret is shown only in this response' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  async create(@Body() body: CreateApiKeyRequest, @RequestContext() context: RequestContextValue) {
    return this.commandBus.execute(
      new IssueApiKeyCommand(body, {
        actor: context.actor,
        correlationId: context.correlationId,
        commandId: newId(),
      }),
    );
  }

  @Get()
  @RequirePermission('keys:manage')
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyListResponse })
  async list(@Query() query: ListApiKeysQuery): Promise<ApiKeyListResponse> {
    await this.registry.catchUp();
    const start = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
    const limit = query.limit ?? listLimitDefault;
    const all = this.registry.list();
    const items = all.slice(start, start + limit);
    const end = start + items.length;
    return { items, nextCursor: end < all.length ? encodeCursor(end) : null };
  }

  @Delete(':id')
  @RequirePermission('keys:manage')
  @ApiOperation({ summary: 'Revoke an API key; it is refused at once' })
  @ApiOkResponse({ type: RevokedApiKeyResponse })
  async revoke(@Param('id') id: string, @RequestContext() context: RequestContextValue) {
    return this.commandBus.execute(
      new RevokeApiKeyCommand(id, {
        actor: context.actor,
        correlationId: context.correlationId,
        commandId: newId(),
      }),
    );
  }
}

/** `GET /v1/me`: who the calling key belongs to (the console asks it after sign-in). */
@ApiTags('api-keys')
@Controller('v1/me')
export class CurrentKeyController {
  @Get()
  @RequirePermission('self:read')
  @ApiOperation({ summary: 'The calling key: its name, roles and books (never its secret)' })
  @ApiOkResponse({ type: CurrentKeyResponse })
  me(@CurrentActor() actor: AuthenticatedActor): CurrentKeyResponse {
    return {
      id: actor.keyId,
      name: actor.name,
      roles: actor.roles,
      ...(actor.books ? { books: actor.books } : {}),
    };
  }
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      offset?: unknown;
    };
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError('cursor is not one this API gave out', [
    { field: 'cursor', message: 'is invalid' },
  ]);
}
