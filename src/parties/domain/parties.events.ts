import { DomainEvent } from '../../event-sourcing/index.js';
import { Address } from './address.js';
import { PartyKind, PartyMasterData, personalFields } from './party.js';

/** One stream per book holds all its parties: personal account numbers are unique within it. */
export function partiesStreamId(bookId: string): string {
  return `parties-${bookId}`;
}

/** Personal data of a natural person, kept apart in the event so it can be erased (GDPR). */
export interface PersonalData {
  name: string;
  address: Address;
  email?: string;
  phone?: string;
  iban?: string;
}

/**
 * Master data as an event carries it: a company's fields at the top; a natural person's name,
 * address, e-mail, phone and IBAN under `personal` instead.
 */
export interface MasterDataFields {
  naturalPerson: boolean;
  name?: string;
  address?: Address;
  email?: string;
  phone?: string;
  iban?: string;
  personal?: PersonalData;
  vatId?: string;
  taxNumber?: string;
  bic?: string;
  buyerReference?: string;
  paymentTermsDays?: number;
  defaultExpenseAccount?: string;
}

export interface PartyRegisteredData extends MasterDataFields {
  partyId: string;
  bookId: string;
  kind: PartyKind;
  number: string;
  idempotencyKey?: string;
  requestHash?: string;
}

/** The whole master data after the change, and which fields changed. */
export interface PartyChangedData extends MasterDataFields {
  partyId: string;
  bookId: string;
  kind: PartyKind;
  number: string;
  changed: string[];
}

export type PartyRegistered = DomainEvent<'PartyRegistered', PartyRegisteredData>;
export type PartyChanged = DomainEvent<'PartyChanged', PartyChangedData>;
export type PartyEvent = PartyRegistered | PartyChanged;
export const partyEventTypes: readonly PartyEvent['type'][] = ['PartyRegistered', 'PartyChanged'];

export function toMasterDataFields(master: PartyMasterData): MasterDataFields {
  const fields: Record<string, unknown> = { naturalPerson: master.naturalPerson };
  const personal: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(master)) {
    if (field === 'naturalPerson' || value === undefined) continue;
    const isPersonal = (personalFields as readonly string[]).includes(field);
    if (master.naturalPerson && isPersonal) personal[field] = value;
    else fields[field] = value;
  }
  if (master.naturalPerson) fields.personal = personal;
  return fields as unknown as MasterDataFields;
}

/** The master data of an event, wherever its personal fields are. */
export function masterDataOf(fields: MasterDataFields): PartyMasterData {
  const source = { ...fields, ...(fields.personal ?? {}) };
  const master: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(source)) {
    if (value === undefined || field === 'personal') continue;
    if (['partyId', 'bookId', 'kind', 'number', 'changed'].includes(field)) continue;
    if (field === 'idempotencyKey' || field === 'requestHash') continue;
    master[field] = value;
  }
  return master as unknown as PartyMasterData;
}
