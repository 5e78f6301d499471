import { SqliteDatabase } from '../../infrastructure/sql/index.js';
import { SqlPartyKeyStore, keyStoreMasterKeyFromEnv } from './party-key-store.js';
import { PersonalDataCipher } from './personal-data-cipher.js';

const owner = { bookId: 'acme', partyId: 'p1' };
const address = { street: 'Weg 2', postalCode: '50667', city: 'Köln', country: 'DE' };

describe('PersonalDataCipher', () => {
  let db: SqliteDatabase;
  let keys: SqlPartyKeyStore;
  let cipher: PersonalDataCipher;

  beforeEach(() => {
    db = SqliteDatabase.open(':memory:');
    keys = new SqlPartyKeyStore(
      db,
      keyStoreMasterKeyFromEnv({ KONTOR_KEY_STORE_MASTER_KEY: 'ab'.repeat(32) }),
    );
    cipher = new PersonalDataCipher(keys);
  });
  afterEach(() => db.close());

  it('seals each field (fresh IV each time) and opens it again', async () => {
    const sealed = await cipher.seal(owner, {
      name: 'Max Mustermann',
      address,
      email: 'max@example.de',
    });
    expect(JSON.stringify(sealed)).not.toMatch(/Mustermann|Köln|max@/);
    expect(sealed.name).toMatch(/^kx1\.records\./);
    expect(sealed.email).toMatch(/^kx1\.contact\./);
    expect((await cipher.seal(owner, { name: 'Max Mustermann' })).name).not.toBe(sealed.name);
    expect(await cipher.open(owner, sealed)).toEqual({
      values: { name: 'Max Mustermann', address, email: 'max@example.de' },
      erased: [],
    });
  });

  it('binds a ciphertext to its book, party and field (AAD)', async () => {
    const sealed = await cipher.seal(owner, {
      name: 'Max Mustermann',
      iban: 'DE89370400440532013000',
    });
    const swapped = { name: sealed.iban!, iban: sealed.name! };
    expect((await cipher.open(owner, swapped)).erased).toEqual(['name', 'iban']);
    expect((await cipher.open({ bookId: 'other', partyId: 'p1' }, sealed)).erased).toEqual([
      'name',
      'iban',
    ]);
  });

  it('erases a class by destroying its key; the key is never made again', async () => {
    const sealed = await cipher.seal(owner, { name: 'Max Mustermann', email: 'max@example.de' });
    await keys.destroy({ ...owner, keyClass: 'contact' }, '2026-12-03T00:00:00.000Z');
    expect(await cipher.open(owner, sealed)).toEqual({
      values: { name: 'Max Mustermann' },
      erased: ['email'],
    });
    await expect(cipher.seal(owner, { email: 'again@example.de' })).rejects.toThrow(/erased/);
    const [row] = await db.query<{ data_key: string | null; destroyed_at: string }>(
      `SELECT data_key, destroyed_at FROM party_keys WHERE key_class = 'contact'`,
    );
    expect(row).toEqual({ data_key: null, destroyed_at: '2026-12-03T00:00:00.000Z' });
  });

  it('stores keys wrapped under the master key; without it they do not open', async () => {
    const sealed = await cipher.seal(owner, { name: 'Max Mustermann' });
    const [row] = await db.query<{ data_key: string }>(`SELECT data_key FROM party_keys`);
    expect(row!.data_key).toMatch(/^w1:/);
    await expect(new SqlPartyKeyStore(db).get({ ...owner, keyClass: 'records' })).rejects.toThrow(
      /KONTOR_KEY_STORE_MASTER_KEY/,
    );
    expect((await cipher.open(owner, sealed)).values.name).toBe('Max Mustermann');
    expect(() => keyStoreMasterKeyFromEnv({ KONTOR_KEY_STORE_MASTER_KEY: 'short' })).toThrow(
      /32 bytes/,
    );
  });
});
