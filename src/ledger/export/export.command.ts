import { once } from 'node:events';
import { ConfigError, KontorConfig } from '../../config.js';
import { parsePosition, positionExpected } from '../../event-sourcing/index.js';
import { openEventStore } from '../../infrastructure/event-store.factory.js';
import { isCsvDialect } from '../../event-sourcing/csv/index.js';
import { exportBook, ExportFormat, exportFormats } from './book-export.js';

export interface ExportCommandOptions {
  book: string;
  format: string;
  /** csv only: standard or de. */
  dialect?: string;
  untilPosition?: string;
  /** Other modules' streams of the book, exported with it in jsonl (see ExportOptions). */
  companionStreams?: readonly string[];
}

/** `kontor export --book B --format jsonl|csv|hledger [--until-position P]`: streams to `out` (stdout). */
export async function runExport(
  config: KontorConfig,
  options: ExportCommandOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (!(exportFormats as readonly string[]).includes(options.format)) {
    throw new ConfigError(
      `--format must be one of ${exportFormats.join(', ')}, got ${JSON.stringify(options.format)}`,
    );
  }
  const { dialect } = options;
  if (dialect !== undefined && (options.format !== 'csv' || !isCsvDialect(dialect)))
    throw new ConfigError('--dialect must be standard or de, and only with --format csv');
  const untilPosition =
    options.untilPosition === undefined ? undefined : parsePosition(options.untilPosition);
  if (options.untilPosition !== undefined && untilPosition === undefined) {
    throw new ConfigError(
      `--until-position must be ${positionExpected}, got ${JSON.stringify(options.untilPosition)}`,
    );
  }
  const store = await openEventStore({ ...config, readOnly: true });
  // A reader that stops early (`| head`) is not an error.
  const stopped = new Promise<void>((resolve, reject) =>
    out.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' ? resolve() : reject(error),
    ),
  );
  let closed = false;
  void stopped.then(
    () => (closed = true),
    () => undefined,
  );
  try {
    const chunks = exportBook(store, options.book, options.format as ExportFormat, {
      ...(untilPosition !== undefined ? { untilPosition } : {}),
      ...(dialect !== undefined ? { dialect } : {}),
      ...(options.companionStreams ? { companionStreams: options.companionStreams } : {}),
    });
    for await (const chunk of chunks) {
      if (closed) break;
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), stopped]);
    }
  } finally {
    await store.close();
  }
}
