import { ConflictError, DomainError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { IdempotencyMismatchError } from '../../ledger/index.js';
import { PartyMasterData } from './party.js';
import { ChangeParty, RegisterParty, partiesDecider, partyIn } from './parties.decider.js';
import { PartyChanged, PartyEvent, PartyRegistered } from './parties.events.js';
import { fold } from '../../event-sourcing/index.js';

const spec = deciderSpec(partiesDecider);
const address = { street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' };
const master: PartyMasterData = {
  name: 'Muster GmbH',
  naturalPerson: false,
  address,
  vatId: 'DE123456789',
  paymentTermsDays: 14,
};

const register = (overrides: Partial<RegisterParty> = {}): RegisterParty => ({
  type: 'RegisterParty',
  bookId: 'acme',
  partyId: 'c1',
  kind: 'customer',
  master,
  ...overrides,
});

const registered = (overrides: Partial<PartyRegistered['data']> = {}): PartyRegistered => ({
  type: 'PartyRegistered',
  data: {
    partyId: 'c1',
    bookId: 'acme',
    kind: 'customer',
    number: '10000',
    naturalPerson: false,
    name: 'Muster GmbH',
    address,
    vatId: 'DE123456789',
    paymentTermsDays: 14,
    ...overrides,
  },
});

const change = (patch: ChangeParty['patch'], party = 'c1'): ChangeParty => ({
  type: 'ChangeParty',
  bookId: 'acme',
  party,
  patch,
});

function fieldsOf(events: PartyEvent[], command: RegisterParty | ChangeParty): string[] {
  try {
    partiesDecider.decide(command, fold(partiesDecider, events));
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors!.map((fieldError) => fieldError.field);
  }
  throw new Error('expected a validation error');
}

describe('RegisterParty', () => {
  it('gives the first customer the start of the customer range', () => {
    spec.given([]).when(register()).then([registered()]);
  });

  it('gives the next number after the highest of the kind, suppliers from 70000', () => {
    spec
      .given([registered({ number: '10041' })])
      .when(register({ partyId: 'c2' }))
      .then([registered({ partyId: 'c2', number: '10042' })]);
    spec
      .given([registered({ number: '10041' })])
      .when(register({ partyId: 's1', kind: 'supplier' }))
      .then([registered({ partyId: 's1', kind: 'supplier', number: '70000' })]);
  });

  it('takes a given free number in range', () => {
    spec
      .given([registered()])
      .when(register({ partyId: 'c2', number: '12345' }))
      .then([registered({ partyId: 'c2', number: '12345' })]);
  });

  it('refuses a taken number (409) and a number out of its range (400)', () => {
    spec
      .given([registered()])
      .when(register({ partyId: 'c2', number: '10000' }))
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([])
      .when(register({ number: '70000' }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(register({ kind: 'supplier', number: '69999' }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(register({ number: '010000' }))
      .thenThrows(ValidationError);
    spec
      .given([])
      .when(register({ number: 'A1000' }))
      .thenThrows(ValidationError);
  });

  it('refuses when the range is used up (business rule), a free number may still be given', () => {
    spec
      .given([registered({ number: '69999' })])
      .when(register({ partyId: 'c2' }))
      .thenThrows(DomainError, 'business-rule');
  });

  it('puts the personal fields of a natural person under personal', () => {
    spec
      .given([])
      .when(
        register({
          master: {
            name: ' Max Muster ',
            naturalPerson: true,
            address: { ...address, country: 'de' },
            email: 'max@example.de',
            iban: 'de89 3704 0044 0532 0130 00',
            paymentTermsDays: 7,
          },
        }),
      )
      .then([
        {
          type: 'PartyRegistered',
          data: {
            partyId: 'c1',
            bookId: 'acme',
            kind: 'customer',
            number: '10000',
            naturalPerson: true,
            personal: {
              name: 'Max Muster',
              address,
              email: 'max@example.de',
              iban: 'DE89370400440532013000',
            },
            paymentTermsDays: 7,
          },
        },
      ]);
  });

  it('names every invalid field at once', () => {
    expect(
      fieldsOf(
        [],
        register({
          master: {
            ...master,
            name: ' ',
            address: { street: '', postalCode: 'ABCDE', city: 'Berlin', country: 'Germany' },
            vatId: 'DE12345678',
            iban: 'DE89370400440532013001',
            bic: 'XYZ',
            email: 'x@',
            phone: 'call me',
            paymentTermsDays: 366,
          },
        }),
      ),
    ).toEqual([
      'name',
      'address.street',
      'address.country',
      'vatId',
      'email',
      'phone',
      'iban',
      'bic',
      'paymentTermsDays',
    ]);
  });

  it('answers an idempotent retry with nothing, and another body under the key with 422', () => {
    const idempotency = { key: 'k1', requestHash: 'a'.repeat(64) };
    const first = registered({ idempotencyKey: 'k1', requestHash: 'a'.repeat(64) });
    spec.given([]).when(register({ idempotency })).then([first]);
    spec.given([first]).when(register({ idempotency })).then([]);
    spec
      .given([first])
      .when(register({ partyId: 'c9', idempotency: { key: 'k1', requestHash: 'b'.repeat(64) } }))
      .thenThrows(IdempotencyMismatchError, 'idempotency-mismatch');
  });
});

describe('ChangeParty', () => {
  it('records the whole new master data and names the changed fields', () => {
    const expected: PartyChanged = {
      type: 'PartyChanged',
      data: {
        partyId: 'c1',
        bookId: 'acme',
        kind: 'customer',
        number: '10000',
        changed: ['name', 'vatId', 'email'],
        naturalPerson: false,
        name: 'Muster AG',
        address,
        email: 'info@muster.de',
        paymentTermsDays: 14,
      },
    };
    spec
      .given([registered()])
      .when(change({ name: 'Muster AG', vatId: null, email: 'info@muster.de' }))
      .then([expected]);
  });

  it('finds the party by its number too, and records nothing when nothing changes', () => {
    spec
      .given([registered()])
      .when(change({ name: 'Muster GmbH', vatId: 'de 123 456 789' }, '10000'))
      .then([]);
  });

  it('moves the personal fields under personal when the party becomes a natural person', () => {
    const events = partiesDecider.decide(
      change({ naturalPerson: true }),
      fold(partiesDecider, [registered()]),
    );
    expect(events[0]!.data).toMatchObject({
      changed: ['naturalPerson'],
      naturalPerson: true,
      personal: { name: 'Muster GmbH', address },
      vatId: 'DE123456789',
    });
    expect(events[0]!.data).not.toHaveProperty('name');
  });

  it('refuses an unknown party, removing a required field, and invalid values', () => {
    spec
      .given([registered()])
      .when(change({ name: 'X' }, 'c9'))
      .thenThrows(Error, 'not-found');
    expect(fieldsOf([registered()], change({ name: null as unknown as string }))).toEqual(['name']);
    expect(fieldsOf([registered()], change({ iban: 'DE00' }))).toEqual(['iban']);
  });

  it('keeps the state: a lookup by number after a change gives the new data', () => {
    const state = fold(partiesDecider, [
      registered(),
      ...partiesDecider.decide(change({ name: 'Neu GmbH' }), fold(partiesDecider, [registered()])),
    ]);
    expect(partyIn(state, '10000')).toMatchObject({ id: 'c1', name: 'Neu GmbH', number: '10000' });
    expect(partyIn(state, 'nope')).toBeUndefined();
  });
});
