import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { parsePosition, positionExpected, ValidationError } from '../../event-sourcing/index.js';
import { NotReadyError } from './projection.js';
import { ProjectionsService } from './projections.service.js';

export const consistentWithParameter = 'consistentWith';

interface QueryCarrier {
  method?: string;
  url?: string;
  query?: Record<string, unknown> | null;
  params?: Record<string, unknown> | null;
}

/**
 * Read-your-writes for every read endpoint (global): a GET or HEAD with `?consistentWith=<position>`
 * waits until every projection has committed that position, or fails with 503 `not-ready` after
 * `KONTOR_CONSISTENCY_TIMEOUT_MS`. Woken by the runners' commits, never by polling.
 *
 * The parameter is validated here and then REMOVED from the request's query object, before
 * pipes run, so query DTOs neither declare it nor trip `forbidNonWhitelisted` on it.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(private readonly projections: ProjectionsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<QueryCarrier>();
    const position = takeConsistentWith(request);
    this.refuseSetAsideBook(request);
    // The API waits the moment after start when the tables are not there yet (health does not).
    if (!this.projections.tablesExist && request.url?.startsWith('/v1/'))
      await this.projections.waitForTables();
    if (position !== undefined) await this.projections.waitForAll(position);
    return next.handle();
  }

  /** A read of a book that a projection set aside (PartitionQuarantine) would be stale: 503. */
  private refuseSetAsideBook(request: QueryCarrier): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const book = request.params?.book;
    if (typeof book !== 'string') return;
    const quarantined = this.projections.quarantineOf(book);
    if (!quarantined) return;
    throw new NotReadyError(
      `the ${quarantined.projection} read model stopped applying book ${book} at log position ${quarantined.position} (${quarantined.error}); other books are unaffected and the log is intact: after a fix, rebuild it (POST /v1/projections/${quarantined.projection}/rebuild)`,
    );
  }
}

/** Reads, validates and removes `consistentWith` from a GET/HEAD request's query. */
export function takeConsistentWith(request: QueryCarrier): bigint | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const query = request.query;
  if (!query || !Object.prototype.hasOwnProperty.call(query, consistentWithParameter))
    return undefined;
  const raw = query[consistentWithParameter];
  delete query[consistentWithParameter];
  const position = typeof raw === 'string' ? parsePosition(raw) : undefined;
  if (position === undefined) {
    const message = `must be a position returned by a write: ${positionExpected}`;
    throw new ValidationError(`${consistentWithParameter}: ${message}`, [
      { field: consistentWithParameter, message },
    ]);
  }
  return position;
}
