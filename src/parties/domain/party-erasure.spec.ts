import {
  ConflictError,
  DomainError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { fold } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { EraseDueFields, RequestPartyErasure } from './party-erasure.js';
import { PartyErasureEvent } from './party-erasure.events.js';
import { partiesDecider, partyIn } from './parties.decider.js';
import { PartyEvent, PartyRegistered } from './parties.events.js';
import { retentionEnd } from './personal-retention.js';

const spec = deciderSpec(partiesDecider);
const address = { street: 'Weg 2', postalCode: '50667', city: 'Köln', country: 'DE' };

const person: PartyRegistered = {
  type: 'PartyRegistered',
  data: {
    partyId: 'p1',
    bookId: 'acme',
    kind: 'customer',
    number: '10000',
    naturalPerson: true,
    personal: {
      name: 'Max Mustermann',
      address,
      email: 'max@example.de',
      iban: 'DE89370400440532013000',
    },
  },
};
const company: PartyRegistered = {
  type: 'PartyRegistered',
  data: {
    partyId: 'c1',
    bookId: 'acme',
    kind: 'customer',
    number: '10001',
    naturalPerson: false,
    name: 'Muster GmbH',
    address,
  },
};

const booked2026 = retentionEnd({ lastInvoiceDate: '2026-03-01', lastBookingDate: '2026-03-01' });
const request = (overrides: Partial<RequestPartyErasure> = {}): RequestPartyErasure => ({
  type: 'RequestPartyErasure',
  bookId: 'acme',
  party: 'p1',
  reason: 'Art. 17 request',
  today: '2026-12-03',
  retention: booked2026,
  ...overrides,
});
const eraseDue = (today: string, retention = booked2026): EraseDueFields => ({
  type: 'EraseDueFields',
  bookId: 'acme',
  party: 'p1',
  today,
  retention,
});

const requested = (retention = booked2026): PartyErasureEvent => ({
  type: 'PartyErasureRequested',
  data: { partyId: 'p1', bookId: 'acme', reason: 'Art. 17 request', ...retention },
});
const contactErased: PartyErasureEvent = {
  type: 'PartyFieldsErased',
  data: { partyId: 'p1', bookId: 'acme', keyClass: 'contact', fields: ['email', 'phone'] },
};
const recordsErased: PartyErasureEvent = {
  type: 'PartyFieldsErased',
  data: { partyId: 'p1', bookId: 'acme', keyClass: 'records', fields: ['name', 'address', 'iban'] },
};

describe('RequestPartyErasure', () => {
  it('erases e-mail and phone at once and records when the rest may go', () => {
    spec.given([person]).when(request()).then([requested(), contactErased]);
    expect(booked2026.erasableFrom).toBe('2037-01-01');
  });

  it('erases everything at once when no invoice or booking names the person', () => {
    const none = retentionEnd({});
    spec
      .given([person])
      .when(request({ retention: none }))
      .then([requested(none), contactErased, recordsErased]);
  });

  it('appends nothing when the erasure was requested before', () => {
    spec.given([person, requested(), contactErased]).when(request()).then([]);
  });

  it('refuses a company (no personal data), an unknown party and a blank reason', () => {
    spec
      .given([company])
      .when(request({ party: 'c1' }))
      .thenThrows(DomainError, 'business-rule');
    spec
      .given([person])
      .when(request({ party: 'nobody' }))
      .thenThrows(NotFoundError);
    spec
      .given([person])
      .when(request({ reason: '  ' }))
      .thenThrows(ValidationError);
  });

  it('restricts the party: no change of its master data after the request', () => {
    spec
      .given([person, requested(), contactErased])
      .when({ type: 'ChangeParty', bookId: 'acme', party: 'p1', patch: { phone: '+49 30 1' } })
      .thenThrows(ConflictError);
  });
});

describe('EraseDueFields', () => {
  const given: PartyEvent[] = [person, requested(), contactErased];

  it('erases nothing before the retention ends, the records fields from its first day', () => {
    spec.given(given).when(eraseDue('2036-12-31')).then([]);
    spec.given(given).when(eraseDue('2037-01-01')).then([recordsErased]);
  });

  it('moves the erasure when a later record extended the retention', () => {
    const later = retentionEnd({ lastBookingDate: '2027-05-02' });
    spec
      .given(given)
      .when(eraseDue('2037-01-01', later))
      .then([
        { type: 'PartyErasureRescheduled', data: { partyId: 'p1', bookId: 'acme', ...later } },
      ]);
  });

  it('appends nothing once erased, and refuses a party without a request', () => {
    spec
      .given([...given, recordsErased])
      .when(eraseDue('2040-01-01'))
      .then([]);
    spec.given([person]).when(eraseDue('2040-01-01')).thenThrows(DomainError, 'business-rule');
  });
});

describe('the folded party after an erasure', () => {
  it('reads the erased fields empty and lists them', () => {
    const partly = partyIn(fold(partiesDecider, [person, requested(), contactErased]), 'p1');
    expect(partly).toMatchObject({ name: 'Max Mustermann', erased: ['email', 'phone'] });
    expect(partly).not.toHaveProperty('email');
    const fully = partyIn(
      fold(partiesDecider, [person, requested(), contactErased, recordsErased]),
      'p1',
    );
    expect(fully).toMatchObject({
      name: '',
      erased: ['name', 'address', 'email', 'phone', 'iban'],
    });
    expect(fully).not.toHaveProperty('iban');
  });
});
