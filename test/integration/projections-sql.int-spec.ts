/** The read-model database adapters behave alike: placeholders, exact integers, transactions. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PostgresDatabase,
  SqlDatabase,
  SqliteDatabase,
  toBigInt,
} from '../../src/infrastructure/sql/index.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';

const adapters: [string, () => Promise<{ db: SqlDatabase; dispose(): Promise<void> }>][] = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kontor-sql-'));
      const db = SqliteDatabase.open(join(dir, 'readmodels.db'));
      return { db, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'postgres',
    async () => {
      const schema: TestSchema = await createTestSchema();
      const db = PostgresDatabase.connect(schema.url);
      return { db, dispose: () => schema.drop() };
    },
  ],
];

describe.each(adapters)('SqlDatabase on %s', (_name, open) => {
  let db: SqlDatabase;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ db, dispose } = await open());
    await db.execute(
      'CREATE TABLE amounts (id TEXT PRIMARY KEY, amount_minor BIGINT NOT NULL, flag INTEGER NOT NULL)',
    );
  });

  afterEach(async () => {
    await db.close();
    await dispose();
  });

  it('round-trips 64-bit integers exactly and small ones as numbers', async () => {
    const big = 9_223_372_036_854_775_807n;
    await db.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
      'big',
      big,
      true,
    ]);
    await db.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
      'small',
      1234n,
      false,
    ]);
    const rows = await db.query<{ id: string; amount_minor: number | bigint; flag: number }>(
      'SELECT id, amount_minor, flag FROM amounts ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 'big', amount_minor: big, flag: 1 },
      { id: 'small', amount_minor: 1234, flag: 0 },
    ]);
    const [sum] = await db.query<{ total: unknown; n: unknown }>(
      'SELECT SUM(amount_minor) AS total, COUNT(*) AS n FROM amounts WHERE id = ?',
      ['small'],
    );
    expect(toBigInt(sum!.total)).toBe(1234n);
    expect(Number(sum!.n)).toBe(1);
  });

  it('keeps question marks inside string literals', async () => {
    await db.execute(`INSERT INTO amounts (id, amount_minor, flag) VALUES ('what?', ?, ?)`, [1, 0]);
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM amounts WHERE id = 'what?' AND amount_minor = ?`,
      [1],
    );
    expect(rows).toEqual([{ id: 'what?' }]);
  });

  it('commits a transaction and reports changes', async () => {
    const changes = await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
        'a',
        1,
        0,
      ]);
      await tx.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
        'b',
        2,
        0,
      ]);
      return (await tx.execute('UPDATE amounts SET flag = 1')).changes;
    });
    expect(changes).toBe(2);
    expect(await db.query('SELECT id FROM amounts WHERE flag = 1 ORDER BY id')).toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
  });

  it('rolls back everything when the function throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
          'a',
          1,
          0,
        ]);
        throw new Error('fault');
      }),
    ).rejects.toThrow('fault');
    expect(await db.query('SELECT id FROM amounts')).toEqual([]);
  });

  it('rolls back a nested transaction to its savepoint only', async () => {
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
        'outer',
        1,
        0,
      ]);
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
            'inner',
            1,
            0,
          ]);
          throw new Error('inner fault');
        }),
      ).rejects.toThrow('inner fault');
    });
    expect(await db.query('SELECT id FROM amounts')).toEqual([{ id: 'outer' }]);
  });

  it('runs concurrent read-modify-write transactions without losing an update', async () => {
    await db.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
      'counter',
      0,
      0,
    ]);
    const increments = 20;
    // SQLite serializes transactions; PostgreSQL needs the row lock (a dialect-only feature, guarded).
    const lock = db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    await Promise.all(
      Array.from({ length: increments }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ amount_minor: unknown }>(
            `SELECT amount_minor FROM amounts WHERE id = ?${lock}`,
            ['counter'],
          );
          await tx.execute('UPDATE amounts SET amount_minor = ? WHERE id = ?', [
            toBigInt(row!.amount_minor) + 1n,
            'counter',
          ]);
        }),
      ),
    );
    const [row] = await db.query<{ amount_minor: unknown }>(
      'SELECT amount_minor FROM amounts WHERE id = ?',
      ['counter'],
    );
    expect(toBigInt(row!.amount_minor)).toBe(BigInt(increments));
  });

  it('does not show uncommitted writes to reads outside the transaction', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const pending = db.transaction(async (tx) => {
      await tx.execute('INSERT INTO amounts (id, amount_minor, flag) VALUES (?, ?, ?)', [
        'pending',
        1,
        0,
      ]);
      inserted();
      await gate;
    });
    await insertedSignal;
    expect(await db.query('SELECT id FROM amounts')).toEqual([]);
    release();
    await pending;
    expect(await db.query('SELECT id FROM amounts')).toEqual([{ id: 'pending' }]);
  });
});
