import { userInfo } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { ConfigError, KontorConfig } from '../../config.js';
import { EventStore, newId } from '../../event-sourcing/index.js';
import { AuditFilter, parseAuditTime } from '../domain/audit-entry.js';
import { isCsvDialect } from '../../event-sourcing/csv/index.js';
import { isAuditExportFormat } from '../domain/audit-export-format.js';
import {
  AuditExportOutcome,
  AuditExportPlan,
  AuditExportRecorder,
  auditEntriesFromLog,
  auditExportStream,
} from './audit-export.js';

/**
 * `kontor audit export`: the same file as `GET /v1/audit/export`, read straight from the log (no
 * read model needed, up to the head when it starts), recorded in the log like an API export with
 * the operating-system user as the actor. On a read-only store it cannot be recorded.
 */
export async function exportAuditFromCli(
  store: EventStore,
  config: KontorConfig,
  options: Record<string, string | undefined>,
  out: NodeJS.WritableStream,
): Promise<AuditExportOutcome & { exportId: string }> {
  const { format, dialect } = options;
  if (!isAuditExportFormat(format)) throw new ConfigError('--format must be csv or jsonl');
  if (dialect !== undefined && (format !== 'csv' || !isCsvDialect(dialect)))
    throw new ConfigError('--dialect must be standard or de, and only with --format csv');
  const untilPosition = await store.headPosition();
  const filter: AuditFilter = { ...cliFilter(options), untilPosition };
  const plan: AuditExportPlan = {
    exportId: newId(),
    format,
    ...(dialect === undefined ? {} : { dialect }),
    filter,
    untilPosition,
  };
  const metadata = {
    actor: { id: 'cli', name: `cli:${userInfo().username}` },
    correlationId: newId(),
    commandId: newId(),
  };
  const recorder = config.readOnly ? undefined : new AuditExportRecorder(store);
  if (recorder) await recorder.started(plan, metadata);
  else process.stderr.write('read-only store: this export is not recorded in the log\n');
  let outcome: AuditExportOutcome | undefined;
  const file = auditExportStream(plan, auditEntriesFromLog(store, filter), async (result) => {
    outcome = result;
    await recorder?.finished(plan, result, metadata);
  });
  await pipeline(file, out, { end: false });
  return { ...outcome!, exportId: plan.exportId };
}

function cliFilter(options: Record<string, string | undefined>): AuditFilter {
  const time = (value: string | undefined, bound: 'from' | 'to') => {
    if (value === undefined) return undefined;
    const parsed = parseAuditTime(value, bound);
    if (parsed === undefined)
      throw new ConfigError(`--${bound} must be an ISO 8601 time with a zone or a date YYYY-MM-DD`);
    return parsed;
  };
  const filter: AuditFilter = {};
  if (options.book !== undefined) filter.book = options.book;
  if (options.actor !== undefined) filter.actor = options.actor;
  if (options.type !== undefined) filter.type = options.type;
  if (options.stream !== undefined) filter.stream = options.stream;
  if (options.correlationId !== undefined) filter.correlationId = options.correlationId;
  const from = time(options.from, 'from');
  const to = time(options.to, 'to');
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  return filter;
}
