import { DomainEvent } from '../../event-sourcing/index.js';
import { PersonalField } from './party.js';
import { KeyClass, RetentionEnd } from './personal-retention.js';

/**
 * A natural person asked for erasure (GDPR Art. 17): `contact` fields are erased with it, the
 * `records` fields when the retention of the invoices and bookings ends (`erasableFrom`; null:
 * no duty, erased with it too). The party is restricted from then on (Art. 18): no changes.
 */
export interface PartyErasureRequestedData extends RetentionEnd {
  partyId: string;
  bookId: string;
  reason: string;
}

/** The fields of one retention class were erased: their data key is destroyed. */
export interface PartyFieldsErasedData {
  partyId: string;
  bookId: string;
  keyClass: KeyClass;
  fields: PersonalField[];
}

/** A record made after the request (a booking) extended the retention: the erasure moves. */
export interface PartyErasureRescheduledData extends RetentionEnd {
  partyId: string;
  bookId: string;
}

export type PartyErasureRequested = DomainEvent<'PartyErasureRequested', PartyErasureRequestedData>;
export type PartyFieldsErased = DomainEvent<'PartyFieldsErased', PartyFieldsErasedData>;
export type PartyErasureRescheduled = DomainEvent<
  'PartyErasureRescheduled',
  PartyErasureRescheduledData
>;
export type PartyErasureEvent = PartyErasureRequested | PartyFieldsErased | PartyErasureRescheduled;
export const partyErasureEventTypes: readonly PartyErasureEvent['type'][] = [
  'PartyErasureRequested',
  'PartyFieldsErased',
  'PartyErasureRescheduled',
];
