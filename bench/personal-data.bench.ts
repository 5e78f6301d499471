// `npm run bench -- personal-data [--parties N]`: cost of sealing and opening a natural
// person's fields (AES-256-GCM, docs/adr/0015) with the SQLite key store in a temp file — what
// a registration, a parties read and an invoice rendering add. Figures: docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { SqlPartyKeyStore } from '../src/parties/personal-data/party-key-store.js';
import { PersonalDataCipher } from '../src/parties/personal-data/personal-data-cipher.js';

const fields = {
  name: 'Max Mustermann',
  address: { street: 'Weg 2', postalCode: '50667', city: 'Köln', country: 'DE' },
  email: 'max@example.de',
  iban: 'DE89370400440532013000',
};

export async function run(args: string[]): Promise<void> {
  const index = args.indexOf('--parties');
  const parties = index >= 0 ? Number(args[index + 1]) : 2000;
  const dir = mkdtempSync(join(tmpdir(), 'kontor-bench-personal-'));
  const db = SqliteDatabase.open(join(dir, 'keys.db'));
  try {
    const cipher = new PersonalDataCipher(new SqlPartyKeyStore(db));
    const owner = (i: number) => ({ bookId: 'bench', partyId: `p${i}` });
    let start = process.hrtime.bigint();
    const sealed = [];
    for (let i = 0; i < parties; i++) sealed.push(await cipher.seal(owner(i), fields));
    const sealMs = Number(process.hrtime.bigint() - start) / 1e6;
    start = process.hrtime.bigint();
    for (let i = 0; i < parties; i++) await cipher.open(owner(i), sealed[i]!);
    const openMs = Number(process.hrtime.bigint() - start) / 1e6;
    const per = (ms: number) => `${((ms / parties) * 1000).toFixed(0)} µs per party`;
    console.log(
      `seal ${parties} parties (4 fields, 2 new keys each): ${sealMs.toFixed(0)} ms, ${per(sealMs)}`,
    );
    console.log(
      `open ${parties} parties (4 fields, 2 key reads each): ${openMs.toFixed(0)} ms, ${per(openMs)}`,
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
