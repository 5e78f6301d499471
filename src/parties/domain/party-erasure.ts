import { DomainError, NotFoundError, ValidationError } from '../../event-sourcing/index.js';
import { Party, PersonalField, personalFields } from './party.js';
import {
  PartyErasureEvent,
  PartyErasureRequestedData,
  PartyFieldsErased,
} from './party-erasure.events.js';
import { KeyClass, RetentionEnd, fieldsOfClass, keyClasses } from './personal-retention.js';

export const erasureReasonLengthMax = 500;

/** A party's erasure as far as it went. */
export interface PartyErasure extends RetentionEnd {
  reason: string;
  erased: KeyClass[];
}

/** GDPR Art. 17 for a natural person; `retention` as of now (the invoices and bookings so far). */
export interface RequestPartyErasure {
  type: 'RequestPartyErasure';
  bookId: string;
  party: string;
  reason: string;
  /** Today (YYYY-MM-DD) by the injected clock. */
  today: string;
  retention: RetentionEnd;
}

/** The scheduler's: erase the `records` fields once their retention has ended. */
export interface EraseDueFields {
  type: 'EraseDueFields';
  bookId: string;
  party: string;
  today: string;
  /** The retention as of now: a record made after the request may have extended it. */
  retention: RetentionEnd;
}

export type PartyErasureCommand = RequestPartyErasure | EraseDueFields;

interface ErasureView {
  parties: Map<string, Party>;
  erasures: Map<string, PartyErasure>;
}

export function decideRequestErasure(
  command: RequestPartyErasure,
  party: Party | undefined,
  state: ErasureView,
): PartyErasureEvent[] {
  if (!party) throw new NotFoundError(`Party ${command.party} not found in book ${command.bookId}`);
  const reason = typeof command.reason === 'string' ? command.reason.trim() : '';
  if (reason === '' || reason.length > erasureReasonLengthMax)
    throw new ValidationError(`reason: 1 to ${erasureReasonLengthMax} characters`, [
      {
        field: 'reason',
        message: `1 to ${erasureReasonLengthMax} characters, e.g. "Art. 17 request of 3 Dec"`,
      },
    ]);
  if (!party.naturalPerson)
    throw new DomainError(
      'business-rule',
      `Party ${party.number} is not a natural person: its master data is not personal data (GDPR); change or remove single fields with PATCH instead`,
    );
  if (state.erasures.has(party.id)) return [];
  const ids = { partyId: party.id, bookId: party.bookId };
  const requested: PartyErasureRequestedData = { ...ids, reason, ...command.retention };
  const events: PartyErasureEvent[] = [{ type: 'PartyErasureRequested', data: requested }];
  events.push(fieldsErased(party, 'contact'));
  if (isDue(command.retention, command.today)) events.push(fieldsErased(party, 'records'));
  return events;
}

export function decideEraseDue(
  command: EraseDueFields,
  party: Party | undefined,
  state: ErasureView,
): PartyErasureEvent[] {
  if (!party) throw new NotFoundError(`Party ${command.party} not found in book ${command.bookId}`);
  const erasure = state.erasures.get(party.id);
  if (!erasure)
    throw new DomainError('business-rule', `No erasure was requested for party ${party.number}`);
  if (erasure.erased.includes('records')) return [];
  if (endsLater(erasure, command.retention))
    return [
      {
        type: 'PartyErasureRescheduled',
        data: { partyId: party.id, bookId: party.bookId, ...command.retention },
      },
    ];
  return isDue(erasure, command.today) ? [fieldsErased(party, 'records')] : [];
}

/** Folds an erasure event into the parties and erasures (in place, like the parties fold). */
export function evolveErasure(state: ErasureView, event: PartyErasureEvent): void {
  const { partyId } = event.data;
  if (event.type === 'PartyErasureRequested') {
    const { partyId: _party, bookId: _book, reason, ...retention } = event.data;
    state.erasures.set(partyId, { reason, ...retention, erased: [] });
    return;
  }
  const erasure = state.erasures.get(partyId);
  if (!erasure) return;
  if (event.type === 'PartyErasureRescheduled') {
    const { partyId: _party, bookId: _book, ...retention } = event.data;
    state.erasures.set(partyId, { ...erasure, ...retention });
    return;
  }
  state.erasures.set(partyId, { ...erasure, erased: [...erasure.erased, event.data.keyClass] });
  const party = state.parties.get(partyId);
  if (party) state.parties.set(partyId, withErased(party, event.data.fields));
}

/** The party with these fields erased: text fields empty or left out, listed in `erased`. */
export function withErased(party: Party, fields: readonly string[]): Party {
  const erased = personalFields.filter(
    (field) => fields.includes(field) || party.erased?.includes(field),
  );
  if (erased.length === 0) return party;
  const result: Party = { ...party, erased };
  if (erased.includes('name')) result.name = '';
  if (erased.includes('address'))
    result.address = { street: '', postalCode: '', city: '', country: '' };
  for (const field of ['email', 'phone', 'iban'] as const)
    if (erased.includes(field)) delete result[field];
  return result;
}

/** The fields an erasure erased so far. */
export function erasedFieldsOf(erasure: PartyErasure | undefined): PersonalField[] {
  return keyClasses.filter((keyClass) => erasure?.erased.includes(keyClass)).flatMap(fieldsOfClass);
}

function fieldsErased(party: Party, keyClass: KeyClass): PartyFieldsErased {
  return {
    type: 'PartyFieldsErased',
    data: { partyId: party.id, bookId: party.bookId, keyClass, fields: fieldsOfClass(keyClass) },
  };
}

function isDue(retention: RetentionEnd, today: string): boolean {
  return retention.erasableFrom === null || retention.erasableFrom <= today;
}

/** Whether a retention computed now ends later than the erasure's (a record made since). */
function endsLater(erasure: PartyErasure, retention: RetentionEnd): boolean {
  if (retention.erasableFrom === null) return false;
  return erasure.erasableFrom === null || retention.erasableFrom > erasure.erasableFrom;
}
