import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  RequestContext,
  RequirePermission,
  type RequestContextValue,
} from '../../access/access.module.js';
import {
  ForbiddenError,
  newId,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { NotReadyError, ProjectionsService } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { AuditExportService } from '../application/audit-export.service.js';
import { AuditFilter, parseAuditTime } from '../domain/audit-entry.js';
import { auditEntryJson } from '../domain/audit-export-format.js';
import { auditTrailProjectionName } from '../projections/audit-trail.projection.js';
import { auditPageLimitDefault, readAuditPage } from '../projections/audit-trail.queries.js';
import {
  AuditExportQuery,
  AuditExportRecordResponse,
  AuditFilterQuery,
  AuditPageResponse,
  AuditQuery,
} from './audit.dto.js';

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly projections: ProjectionsService,
    private readonly exports: AuditExportService,
  ) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'The audit trail: every event with who, when, correlation, causation and a summary',
    description:
      'Filters combine with AND; oldest first (newest last); continue with `cursor` = `nextCursor`.',
  })
  @ApiOkResponse({ type: AuditPageResponse })
  async list(
    @Query() query: AuditQuery,
    @RequestContext() context: RequestContextValue,
  ): Promise<AuditPageResponse> {
    const after = BigInt(query.cursor ?? '0');
    const page = await readAuditPage(
      this.db,
      filterOf(query, context),
      after,
      query.limit ?? auditPageLimitDefault,
    );
    return {
      items: page.items.map(auditEntryJson),
      nextCursor: page.nextAfter === null ? null : page.nextAfter.toString(),
    };
  }

  @Get('export')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'The audit trail as a streamed file (csv or jsonl): the header and one line per event',
    description:
      'Nothing but the header and the data lines, so a spreadsheet opens it as it is; `dialect=de` for `;`, decimal comma and a UTF-8 BOM. ' +
      'The export id is in the `Kontor-Export-Id` header. Every export is recorded in the log (AuditTrailExportStarted before the first byte, ' +
      'AuditTrailExported at the end with the sha256 of the whole file, or completed=false when the reader went away): `GET /v1/audit/exports/{id}`.',
  })
  @ApiProduces(contentTypes.csv, contentTypes.jsonl)
  @ApiOkResponse({
    description:
      'The file: CSV (header + one row per event), or JSON Lines (one audit entry per line)',
    headers: {
      'Kontor-Export-Id': {
        description: 'The id of this export: GET /v1/audit/exports/{id} returns its sha256',
        schema: { type: 'string' },
      },
    },
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/x-ndjson': { schema: { type: 'string' } },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'the audit trail is being rebuilt (problem+json `not-ready`)',
  })
  async export(
    @Query() query: AuditExportQuery,
    @RequestContext() context: RequestContextValue,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const runner = this.projections.runner(auditTrailProjectionName);
    if (runner.currentStatus === 'rebuilding')
      throw new NotReadyError('the audit trail is being rebuilt; export again when it is done');
    const metadata = {
      actor: context.actor,
      correlationId: context.correlationId,
      commandId: newId(),
    };
    const started = await this.exports.start(
      { format: query.format, ...(query.dialect === undefined ? {} : { dialect: query.dialect }) },
      filterOf(query, context),
      runner.checkpointPosition,
      metadata,
    );
    void reply
      .header('content-type', contentTypes[query.format])
      .header(
        'content-disposition',
        `attachment; filename="audit-${started.exportId}.${query.format}"`,
      )
      .header('kontor-export-id', started.exportId)
      .header('x-kontor-export-id', started.exportId)
      .header('x-kontor-until-position', started.untilPosition.toString())
      .send(started.stream);
  }

  @Get('exports/:id')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'One recorded audit export: who, which filters, how many rows, the sha256 of the file',
    description:
      'Compare `sha256` with `sha256sum` of the downloaded file. A key restricted to books sees only exports of its books.',
  })
  @ApiParam({ name: 'id', description: 'The `Kontor-Export-Id` of the export' })
  @ApiOkResponse({ type: AuditExportRecordResponse })
  @ApiNotFoundResponse({ description: 'no export with this id (problem+json `not-found`)' })
  async exportRecord(
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
  ): Promise<AuditExportRecordResponse> {
    const record = await this.exports.find(id, context.books);
    if (record === undefined) throw new NotFoundError(`Audit export ${id} not found`);
    return record;
  }
}

function filterOf(query: AuditFilterQuery, context: RequestContextValue): AuditFilter {
  if (query.book !== undefined && context.books && !context.books.includes(query.book)) {
    throw new ForbiddenError(`this key may not read book ${query.book}`);
  }
  const from = query.from === undefined ? undefined : timeOf(query.from, 'from');
  const to = query.to === undefined ? undefined : timeOf(query.to, 'to');
  return {
    ...(query.book !== undefined ? { book: query.book } : {}),
    ...(query.actor !== undefined ? { actor: query.actor } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.stream !== undefined ? { stream: query.stream } : {}),
    ...(query.correlationId !== undefined ? { correlationId: query.correlationId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(context.books ? { visibleBooks: context.books } : {}),
  };
}

function timeOf(value: string, field: 'from' | 'to'): string {
  const time = parseAuditTime(value, field);
  if (time === undefined) {
    const message = 'must be an ISO 8601 time with a zone or a date YYYY-MM-DD';
    throw new ValidationError(`${field}: ${message}`, [{ field, message }]);
  }
  return time;
}
