// `npm run bench -- import [--entries N]`: `kontor import` of a generated N-entry hledger journal
// (default 100,000; 2 postings each, one elided) into a fresh SQLite data dir, in process, timed
// from the boot to the read models caught up; then a second run of the same file (nothing posted
// twice).
// Figures: docs/benchmarks.md.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { newId } from '../src/event-sourcing/index.js';
import { openEventStore } from '../src/infrastructure/event-store.factory.js';
import { LedgerCommands } from '../src/ledger/ledger.module.js';
import { runImport } from '../src/operations/import.js';

function journalOf(entries: number): string {
  const parts: string[] = [];
  for (let index = 0; index < entries; index++) {
    const day = String((index % 28) + 1).padStart(2, '0');
    const month = String((index % 12) + 1).padStart(2, '0');
    const cents = String(100 + (index % 9000));
    parts.push(
      `2026-${month}-${day} Entry ${index}\n    expenses:rent  ${cents.slice(0, -2)}.${cents.slice(-2)} EUR\n    assets:bank\n`,
    );
  }
  return parts.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--entries');
  const entries = at >= 0 ? Number(args[at + 1]) : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'kontor-import-bench-'));
  const env = { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  try {
    const config = loadConfig(env);
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, eventStore: await openEventStore(config) }),
      { logger: false },
    );
    await app
      .get(LedgerCommands)
      .execute(
        { type: 'OpenBook', bookId: 'bench', name: 'Bench', baseCurrency: 'EUR' },
        { actor: { id: 'bench', name: 'bench' }, correlationId: newId(), commandId: newId() },
      );
    await app.close();
    const file = join(dir, 'bench.journal');
    writeFileSync(file, journalOf(entries));
    for (const round of ['first run', 'second run (all repeated)']) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const report = await runImport(loadConfig(env), { book: 'bench', format: 'hledger', file });
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      // On a shared machine the CPU seconds are the steadier figure: wall time waits for the others.
      console.log(
        `${round}: ${entries} entries in ${seconds.toFixed(1)} s = ${Math.round(entries / seconds)} entries/s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (posted ${report.posted}, repeated ${report.repeated}, refused ${report.refusals.length}); rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
