import { writeFile } from 'node:fs/promises';
import { KontorConfig } from '../../config.js';
import { openEventStore } from '../../infrastructure/event-store.factory.js';
import { liveKeys, procedureInput, renderProcedure } from './procedure.js';

/** `kontor docs procedure [--out FILE]`: reads the key set from the store (read-only). */
export async function writeProcedure(config: KontorConfig, out?: string): Promise<string> {
  const store = await openEventStore({ ...config, readOnly: true });
  try {
    const text = renderProcedure(procedureInput(config, await liveKeys(store), new Date()));
    if (out === undefined) process.stdout.write(text);
    else await writeFile(out, text, 'utf8');
    return text;
  } finally {
    await store.close();
  }
}
