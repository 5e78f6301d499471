import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { NotFoundError, newId } from '../../event-sourcing/index.js';
import { binaryBody, bodyBytesOf } from '../../infrastructure/http/http-platform.js';
import { documentBytesMax, documentIdPattern, StoredDocument } from '../domain/documents.js';
import { DOCUMENT_VAULT, DocumentVault } from '../application/document-vault.js';

export class DocumentResponse {
  @ApiProperty({
    example: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  id!: string;
  @ApiProperty({ example: 48213 })
  size!: number;
  @ApiProperty({ example: 'application/pdf' })
  contentType!: string;
  @ApiPropertyOptional({ example: 'rechnung-4711.pdf' })
  fileName?: string;
  @ApiProperty({ description: 'Position of the DocumentStored event', example: 42 })
  position!: number;
}

export class DocumentListResponse {
  @ApiProperty({ type: [DocumentResponse] })
  items!: DocumentResponse[];
  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor!: null;
}

export function documentResponse(document: StoredDocument) {
  return { ...document };
}

export function documentIdParam(id: string): string {
  if (!documentIdPattern.test(id))
    throw new NotFoundError(`No document ${id.slice(0, 80)}: ids are sha256:<64 hex digits>`);
  return id;
}

/** API.md "Incoming invoices and documents": the Beleg vault. docs/payables.md. */
@ApiTags('documents')
@Controller('v1/books/:book/documents')
export class DocumentsController {
  constructor(@Inject(DOCUMENT_VAULT) private readonly vault: DocumentVault) {}

  @Post()
  @RouteConfig(binaryBody(documentBytesMax))
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Store a document (any content type, at most 20 MiB); the same bytes: the same id',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiQuery({ name: 'fileName', required: false, description: 'The original file name' })
  @ApiConsumes('application/pdf', 'application/xml', 'image/png', 'application/octet-stream')
  @ApiBody({ description: 'The file’s bytes', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiPayloadTooLargeResponse({ description: 'more than 20 MiB (`payload-too-large`)' })
  async store(
    @Param('book') book: string,
    @Query('fileName') fileName: string | undefined,
    @Req() request: FastifyRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const { bytes, contentType } = bodyBytesOf(request);
    const stored = await this.vault.store(book, bytes, contentType, fileName, {
      actor: context.actor,
      correlationId: context.correlationId,
      commandId: newId(),
    });
    return documentResponse(stored);
  }

  @Get()
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The documents of a book, in the order they were stored' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: DocumentListResponse })
  async list(@Param('book') book: string) {
    return { items: (await this.vault.list(book)).map(documentResponse), nextCursor: null };
  }

  @Get(':id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The document’s bytes, unchanged, with its content type' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'sha256:<hex>' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The stored bytes' })
  @ApiNotFoundResponse({ description: 'no such document (`not-found`)' })
  async read(@Param('book') book: string, @Param('id') id: string, @Res() reply: FastifyReply) {
    const stored = await this.vault.read(book, documentIdParam(id));
    if (!stored) throw new NotFoundError(`No document ${id} in book ${book}`);
    await reply
      .header('content-type', stored.contentType)
      .header('content-length', String(stored.bytes.byteLength))
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(stored.bytes);
  }
}
