import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueKeyOffline } from '../../src/access/access.module.js';
import { loadConfig } from '../../src/config.js';
import { enforcedControls } from '../../src/controls/procedure/procedure.js';
import { writeProcedure } from '../../src/controls/procedure/write-procedure.js';
import { openReadModelDatabase } from '../../src/infrastructure/sql/index.js';
import { openStore } from '../../src/main.js';

describe('kontor docs procedure', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-procedure-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names a test file for every control, and every one exists', () => {
    const controls = enforcedControls();
    expect(controls.length).toBeGreaterThan(5);
    for (const control of controls) {
      expect(control.tests.length).toBeGreaterThan(0);
      for (const test of control.tests)
        expect({ test, exists: existsSync(test) }).toEqual({ test, exists: true });
    }
  });

  it('writes the skeleton from a data dir: store, controls, the live keys with roles and books, no secrets', async () => {
    const config = loadConfig({ KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });
    const store = await openStore(config);
    const opsDb = openReadModelDatabase(config);
    let secret: string;
    try {
      secret = (
        await issueKeyOffline(store, opsDb, {
          name: 'Anna Prüferin',
          roles: ['auditor'],
          books: ['acme'],
        })
      ).key;
      await issueKeyOffline(store, opsDb, { name: 'Erika', roles: ['accountant'] });
    } finally {
      await opsDb.close();
      await store.close();
    }
    const out = join(dataDir, 'verfahrensdokumentation.md');
    await writeProcedure(config, out);
    const text = await readFile(out, 'utf8');
    expect(text).toContain(`SQLite in ${dataDir}`);
    expect(text).toMatch(/\| Anna Prüferin \| \S+ \| auditor \| acme \|/);
    expect(text).toMatch(/\| Erika \| \S+ \| accountant \| all books \|/);
    expect(text).toContain('`src/ledger/domain/festschreibung.spec.ts`');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/keyVerifier|keyHash/);
  });
});
