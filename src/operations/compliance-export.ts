import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigError, KontorConfig } from '../config.js';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { openStore } from '../main.js';
import {
  DatevExportService,
  GobdExportService,
  requireDates,
} from '../compliance/compliance.module.js';

export interface ComplianceExportOptions {
  book: string;
  format: 'datev' | 'gobd';
  from?: string;
  to?: string;
  kind?: string;
  fiscalYear?: string;
  out?: string;
}

/**
 * `kontor export --format datev|gobd`: boots Kontor without HTTP, waits until the read models hold
 * the whole log, and writes the very bytes `GET /v1/books/:book/exports/datev|gobd` answers.
 */
export async function runComplianceExport(
  config: KontorConfig,
  options: ComplianceExportOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (options.kind !== undefined && !['bookings', 'parties'].includes(options.kind))
    throw new ConfigError(
      `--kind must be bookings or parties, got ${JSON.stringify(options.kind)}`,
    );
  if (options.format === 'gobd' && !/^\d{4}$/.test(options.fiscalYear ?? ''))
    throw new ConfigError('--format gobd needs --fiscal-year YYYY');
  const eventStore = await openStore(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, eventStore }),
    { logger: ['error', 'warn'] },
  );
  try {
    await app.get(ProjectionsService).waitForAll(await eventStore.headPosition());
    const bytes =
      options.format === 'gobd'
        ? await app.get(GobdExportService).export(options.book, Number(options.fiscalYear))
        : options.kind === 'parties'
          ? await app.get(DatevExportService).partiesFile(options.book)
          : await datevBookings(app.get(DatevExportService), options);
    if (options.out !== undefined) await writeFile(options.out, bytes);
    else out.write(bytes);
  } finally {
    await app.close();
  }
}

function datevBookings(datev: DatevExportService, options: ComplianceExportOptions) {
  const { from, to } = requireDates(options.from, options.to);
  return datev.bookings(options.book, from, to);
}
