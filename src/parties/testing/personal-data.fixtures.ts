import { SqliteDatabase } from '../../infrastructure/sql/index.js';
import { SqlPartyKeyStore } from '../personal-data/party-key-store.js';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher.js';

/** A cipher over a key store in an in-memory SQLite database (unit and integration tests). */
export function inMemoryPersonalDataCipher(): {
  cipher: PersonalDataCipher;
  keys: SqlPartyKeyStore;
} {
  const keys = new SqlPartyKeyStore(SqliteDatabase.open(':memory:'));
  return { cipher: new PersonalDataCipher(keys), keys };
}
