import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConflictError } from '../../event-sourcing/index.js';
import { PersonalField, personalFields } from '../domain/party.js';
import { KeyClass, fieldKeyClass, keyClasses } from '../domain/personal-retention.js';
import { PartyKeyStore } from './party-key-store.js';

const prefix = 'kx1';

/** A party's personal fields as events and read models hold them: each one sealed. */
export type SealedPersonal = Partial<Record<PersonalField, string>>;

/** What opening gives: the plain fields still readable, and those whose key is gone. */
export interface OpenedPersonal {
  values: Partial<Record<PersonalField, unknown>>;
  erased: PersonalField[];
}

/** Whose data: the AAD binds a ciphertext to its book, party and field. */
export interface PersonalDataOwner {
  bookId: string;
  partyId: string;
}

/**
 * Seals and opens a natural person's fields under the party's data key of the field's
 * retention class (docs/adr/0015). The Nest token `PERSONAL_DATA_CIPHER` (parties.module.ts)
 * hands it to other modules that must carry a party's personal data in their own events.
 */
export class PersonalDataCipher {
  constructor(private readonly keys: PartyKeyStore) {}

  /** Seals every given field; ConflictError when the class's key was destroyed (erased). */
  async seal(
    owner: PersonalDataOwner,
    fields: Partial<Record<PersonalField, unknown>>,
  ): Promise<SealedPersonal> {
    const sealed: SealedPersonal = {};
    const keys = new Map<KeyClass, Buffer>();
    for (const field of personalFields) {
      const value = fields[field];
      if (value === undefined) continue;
      const keyClass = fieldKeyClass[field];
      let key = keys.get(keyClass);
      if (!key) {
        key = await this.keys.create({ ...owner, keyClass });
        if (!key)
          throw new ConflictError(
            `The ${field} of party ${owner.partyId} was erased; erased personal data cannot be written again`,
          );
        keys.set(keyClass, key);
      }
      sealed[field] = sealValue(key, owner, field, keyClass, value);
    }
    return sealed;
  }

  /** Opens what it can; a field whose key is gone (or whose ciphertext does not open) is erased. */
  async open(owner: PersonalDataOwner, sealed: SealedPersonal): Promise<OpenedPersonal> {
    const opened: OpenedPersonal = { values: {}, erased: [] };
    const keys = new Map<KeyClass, Buffer | undefined>();
    for (const field of personalFields) {
      const text = sealed[field];
      if (text === undefined) continue;
      const keyClass = classOf(text);
      if (keyClass === undefined || keyClass !== fieldKeyClass[field]) {
        opened.erased.push(field);
        continue;
      }
      if (!keys.has(keyClass)) keys.set(keyClass, await this.keys.get({ ...owner, keyClass }));
      const key = keys.get(keyClass);
      const value = key ? openValue(key, owner, field, text) : undefined;
      if (value === undefined) opened.erased.push(field);
      else opened.values[field] = value;
    }
    return opened;
  }
}

function aad(owner: PersonalDataOwner, field: PersonalField): Buffer {
  return Buffer.from(`kontor.party.v1\u0000${owner.bookId}\u0000${owner.partyId}\u0000${field}`);
}

function sealValue(
  key: Buffer,
  owner: PersonalDataOwner,
  field: PersonalField,
  keyClass: KeyClass,
  value: unknown,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(owner, field));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return [prefix, keyClass, ...parts].join('.');
}

function classOf(text: string): KeyClass | undefined {
  const [marker, keyClass] = text.split('.');
  return marker === prefix && (keyClasses as readonly string[]).includes(keyClass ?? '')
    ? (keyClass as KeyClass)
    : undefined;
}

function openValue(
  key: Buffer,
  owner: PersonalDataOwner,
  field: PersonalField,
  text: string,
): unknown {
  const [, , iv, body, tag] = text.split('.').map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv!).setAAD(aad(owner, field));
    decipher.setAuthTag(tag!);
    const plain = Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as unknown;
  } catch {
    return undefined;
  }
}
