import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
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
import {
  CommandMetadata,
  NotFoundError,
  deterministicId,
  newId,
} from '../../event-sourcing/index.js';
import { bookIdLengthMax, identifierProblem } from '../../ledger/index.js';
import { PartiesService, PartyHistoryEntry, PartyRecord } from '../application/parties.service.js';
import { Party, PartyMasterData } from '../domain/party.js';
import { PartyPatch } from '../domain/parties.decider.js';
import { PartiesReadModel } from '../projections/parties-read-model.js';
import { ChangePartyRequest, PartiesListQuery, RegisterPartyRequest } from './parties.dto.js';
import {
  PartiesPageResponse,
  PartyHistoryResponse,
  PartyResponse,
} from './parties.response.dto.js';

const idempotencyKeyHeader = 'idempotency-key';

/** `POST/GET /v1/books/:book/parties`, `GET/PATCH …/:id`, `GET …/:id/history` (API.md "Parties"). */
@ApiTags('parties')
@Controller('v1/books/:book/parties')
export class PartiesController {
  constructor(
    private readonly parties: PartiesService,
    private readonly readModel: PartiesReadModel,
  ) {}

  @Post()
  @RequirePermission('parties:write')
  @ApiOperation({ summary: 'Register a customer or supplier with its personal account number' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Same key and same body again: the original answer, nothing registered twice; same key, other body: 422 `idempotency-mismatch`',
  })
  @ApiCreatedResponse({ type: PartyResponse })
  @ApiConflictResponse({ description: 'the personal account number is taken (`conflict`)' })
  @ApiNotFoundResponse({ description: 'no such book (`not-found`)' })
  @ApiUnprocessableEntityResponse({
    description: '`idempotency-mismatch`; `business-rule` when the number range is used up',
  })
  async register(
    @Param('book') book: string,
    @Body() body: RegisterPartyRequest,
    @Headers(idempotencyKeyHeader) idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
  ) {
    const bookId = bookParam(book);
    const { kind, number, ...master } = withoutNulls(body);
    const ids = partyIds(bookId, idempotencyKey);
    const record = await this.parties.register(
      {
        type: 'RegisterParty',
        bookId,
        partyId: ids.partyId,
        kind,
        ...(number !== undefined ? { number } : {}),
        master: master as PartyMasterData,
        ...idempotencyOf(idempotencyKey, 'register-party', body),
      },
      { ...metadataOf(context), commandId: ids.commandId },
    );
    return partyResponse(record);
  }

  @Get()
  @RequirePermission('parties:read')
  @ApiOperation({
    summary: "The book's parties in number order; `q` searches name, number, VAT id",
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: PartiesPageResponse })
  async list(@Param('book') book: string, @Query() query: PartiesListQuery) {
    const page = await this.readModel.list({
      bookId: bookParam(book),
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(query.q !== undefined ? { q: query.q } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
    return {
      items: page.items.map((item) => ({
        ...partyView(item.party),
        version: item.version,
        registeredAt: item.registeredAt,
        updatedAt: item.updatedAt,
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @RequirePermission('parties:read')
  @ApiOperation({ summary: 'A party by id or personal account number' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Party id or personal account number' })
  @ApiOkResponse({ type: PartyResponse })
  @ApiNotFoundResponse({ description: 'no such book or party (`not-found`)' })
  async find(@Param('book') book: string, @Param('id') id: string) {
    return partyResponse(await this.parties.requireRecord(bookParam(book), id));
  }

  @Get(':id/history')
  @RequirePermission('parties:read')
  @ApiOperation({ summary: "Every version of the party's master data, who changed what, when" })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Party id or personal account number' })
  @ApiOkResponse({ type: PartyHistoryResponse })
  @ApiNotFoundResponse({ description: 'no such book or party (`not-found`)' })
  async history(@Param('book') book: string, @Param('id') id: string) {
    const bookId = bookParam(book);
    const entries = await this.parties.history(bookId, id);
    if (entries.length === 0) throw new NotFoundError(`Party ${id} not found in book ${bookId}`);
    return { items: entries.map(historyEntryResponse) };
  }

  @Patch(':id')
  @RequirePermission('parties:write')
  @ApiOperation({
    summary:
      'Change master data (merge patch: given fields replace, null removes an optional one); a new PartyChanged event, the history kept',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Party id or personal account number' })
  @ApiOkResponse({ type: PartyResponse })
  @ApiNotFoundResponse({ description: 'no such book or party (`not-found`)' })
  async change(
    @Param('book') book: string,
    @Param('id') id: string,
    @Body() body: ChangePartyRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const bookId = bookParam(book);
    const record = await this.parties.change(
      { type: 'ChangeParty', bookId, party: id, patch: { ...body } as PartyPatch },
      metadataOf(context),
    );
    return partyResponse(record);
  }
}

/** A book id no book can have is a 404 at once. */
export function bookParam(book: string): string {
  if (identifierProblem(book, bookIdLengthMax) !== undefined)
    throw new NotFoundError(`Book ${book} not found`);
  return book;
}

export function metadataOf(context: RequestContextValue): CommandMetadata {
  return { actor: context.actor, correlationId: context.correlationId, commandId: newId() };
}

/** Fields sent as null are left out (on a create, null and absent mean the same). */
export function withoutNulls<Body extends object>(
  body: Body,
): { [K in keyof Body]: Exclude<Body[K], null> } {
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== null && value !== undefined),
  ) as { [K in keyof Body]: Exclude<Body[K], null> };
}

/** With an Idempotency-Key, the party id and the command id derive from (book, key). */
function partyIds(bookId: string, key: string | undefined) {
  if (key === undefined) return { partyId: newId(), commandId: newId() };
  return {
    partyId: deterministicId('kontor.parties.party', bookId, key),
    commandId: deterministicId('kontor.parties.party.command', bookId, key),
  };
}

/** A party as the API shows it: erased personal fields as null, with `erased: true`. */
export function partyView(party: Party) {
  const { id, bookId, erased, ...rest } = party;
  if (!erased?.length) return { id, book: bookId, ...rest };
  const nulls = Object.fromEntries(erased.map((field) => [field, null]));
  return { id, book: bookId, ...rest, ...nulls, erased: true as const, erasedFields: erased };
}

function partyResponse(record: PartyRecord) {
  return {
    ...partyView(record.party),
    version: record.version,
    registeredAt: record.registeredAt,
    updatedAt: record.updatedAt,
    position: Number(record.position),
  };
}

export function historyEntryResponse(entry: PartyHistoryEntry) {
  return {
    type: entry.type,
    at: entry.at,
    by: { id: entry.by.id, name: entry.by.name },
    changed: entry.changed,
    party: partyView(entry.party),
    position: Number(entry.position),
  };
}
