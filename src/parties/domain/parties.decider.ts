import {
  ConflictError,
  Decider,
  DomainError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { IdempotencyMismatchError, idempotencyKeyLengthMax } from '../../ledger/index.js';
import { Address } from './address.js';
import {
  OptionalMasterField,
  Party,
  PartyKind,
  PartyMasterData,
  changedFields,
  optionalMasterFields,
  partyNumberProblem,
  partyNumberRanges,
  validMasterData,
} from './party.js';
import { PartyEvent, masterDataOf, toMasterDataFields } from './parties.events.js';
import {
  PartyErasure,
  PartyErasureCommand,
  decideEraseDue,
  decideRequestErasure,
  erasedFieldsOf,
  evolveErasure,
  withErased,
} from './party-erasure.js';

export interface RegisterParty {
  type: 'RegisterParty';
  bookId: string;
  partyId: string;
  kind: PartyKind;
  number?: string;
  master: PartyMasterData;
  /** Idempotency-Key and the hash of the request it came with (a retry appends nothing). */
  idempotency?: { key: string; requestHash: string };
}

/** A merge patch: given fields replace; `null` removes an optional field. */
export type PartyPatch = {
  name?: string;
  naturalPerson?: boolean;
  address?: Address;
} & { [Field in OptionalMasterField]?: PartyMasterData[Field] | null };

export interface ChangeParty {
  type: 'ChangeParty';
  bookId: string;
  /** The party's id or its personal account number. */
  party: string;
  patch: PartyPatch;
}

export type PartiesCommand = RegisterParty | ChangeParty | PartyErasureCommand;

export interface PartiesState {
  parties: Map<string, Party>;
  /** Personal account number → party id. */
  numbers: Map<string, string>;
  highest: Record<PartyKind, number | undefined>;
  idempotencyKeys: Map<string, { partyId: string; requestHash: string }>;
  /** Party id → its erasure (GDPR Art. 17), once requested. */
  erasures: Map<string, PartyErasure>;
}

/** The party a command or a lookup names, by id or by personal account number. */
export function partyIn(state: PartiesState, idOrNumber: string): Party | undefined {
  return (
    state.parties.get(idOrNumber) ?? state.parties.get(state.numbers.get(idOrNumber) ?? '\u0000')
  );
}

/**
 * The parties of one book (stream `parties-<book>`). The state is owned by the fold (evolve
 * updates it in place, as the book's does); parties in it are replaced, never changed, so a
 * Party handed out stays as it was.
 */
export const partiesDecider: Decider<PartiesCommand, PartyEvent, PartiesState> = {
  initialState: () => ({
    parties: new Map(),
    numbers: new Map(),
    highest: { customer: undefined, supplier: undefined },
    idempotencyKeys: new Map(),
    erasures: new Map(),
  }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterParty':
        return decideRegister(command, state);
      case 'ChangeParty':
        return decideChange(command, state);
      case 'RequestPartyErasure':
        return decideRequestErasure(command, partyIn(state, command.party), state);
      case 'EraseDueFields':
        return decideEraseDue(command, partyIn(state, command.party), state);
    }
  },
  evolve(state, event) {
    if (event.type === 'PartyRegistered') {
      const { partyId, bookId, kind, number } = event.data;
      const master = masterDataOf(event.data);
      const party = erasedIn(state, { id: partyId, bookId, kind, number, ...master }, event.data);
      state.parties.set(partyId, party);
      state.numbers.set(number, partyId);
      state.highest[kind] = Math.max(state.highest[kind] ?? 0, Number(number));
      if (event.data.idempotencyKey !== undefined && event.data.requestHash !== undefined)
        state.idempotencyKeys.set(event.data.idempotencyKey, {
          partyId,
          requestHash: event.data.requestHash,
        });
    } else if (event.type === 'PartyChanged') {
      const previous = state.parties.get(event.data.partyId);
      if (previous) {
        const { id, bookId, kind, number } = previous;
        const party = { id, bookId, kind, number, ...masterDataOf(event.data) };
        state.parties.set(id, erasedIn(state, party, event.data));
      }
    } else evolveErasure(state, event);
    return state;
  },
};

/** Fields whose key is gone (`erasedFields` of an opened event) or whose class was erased. */
function erasedIn(state: PartiesState, party: Party, data: { erasedFields?: string[] }): Party {
  const fields = [...(data.erasedFields ?? []), ...erasedFieldsOf(state.erasures.get(party.id))];
  return withErased(party, fields);
}

function decideRegister(command: RegisterParty, state: PartiesState): PartyEvent[] {
  if (command.idempotency !== undefined) {
    const { key, requestHash } = command.idempotency;
    if (key.trim() === '' || key.length > idempotencyKeyLengthMax)
      throw new ValidationError(`Idempotency-Key: 1 to ${idempotencyKeyLengthMax} characters`, [
        { field: 'Idempotency-Key', message: `1 to ${idempotencyKeyLengthMax} characters` },
      ]);
    const known = state.idempotencyKeys.get(key);
    if (known && known.requestHash !== requestHash) throw new IdempotencyMismatchError(key);
    if (known) return [];
  }
  if (state.parties.has(command.partyId))
    throw new ConflictError(`Party ${command.partyId} exists already`);
  const master = validMasterData(command.master);
  const number = command.number ?? nextNumber(state, command.kind);
  if (command.number !== undefined) {
    const problem = partyNumberProblem(command.kind, command.number);
    if (problem)
      throw new ValidationError(`number: ${problem}`, [{ field: 'number', message: problem }]);
    const holder = state.numbers.get(command.number);
    if (holder !== undefined)
      throw new ConflictError(
        `Personal account ${command.number} is taken in book ${command.bookId} (party ${holder}); leave "number" out to get the next free one`,
      );
  }
  return [
    {
      type: 'PartyRegistered',
      data: {
        partyId: command.partyId,
        bookId: command.bookId,
        kind: command.kind,
        number,
        ...toMasterDataFields(master),
        ...(command.idempotency !== undefined
          ? {
              idempotencyKey: command.idempotency.key,
              requestHash: command.idempotency.requestHash,
            }
          : {}),
      },
    },
  ];
}

function nextNumber(state: PartiesState, kind: PartyKind): string {
  const range = partyNumberRanges[kind];
  const next = (state.highest[kind] ?? range.min - 1) + 1;
  if (next > range.max)
    throw new DomainError(
      'business-rule',
      `The ${kind} range ${range.min}–${range.max} is used up to its end; give a free number below ${range.max} explicitly`,
    );
  return String(next);
}

function decideChange(command: ChangeParty, state: PartiesState): PartyEvent[] {
  const party = partyIn(state, command.party);
  if (!party) throw new NotFoundError(`Party ${command.party} not found in book ${command.bookId}`);
  if (state.erasures.has(party.id))
    throw new ConflictError(
      `Party ${party.number} is restricted: its erasure was requested (GDPR Art. 17/18); its master data can no longer change`,
    );
  const { id, bookId, kind, number, erased: _erased, ...before } = party;
  const merged: Record<string, unknown> = { ...before };
  for (const [field, value] of Object.entries(command.patch)) {
    if (value === undefined) continue;
    if (value === null) {
      if (!(optionalMasterFields as readonly string[]).includes(field))
        throw new ValidationError(`${field}: cannot be removed, only replaced`, [
          { field, message: 'cannot be removed, only replaced' },
        ]);
      delete merged[field];
    } else merged[field] = value;
  }
  const after = validMasterData(merged as unknown as PartyMasterData);
  const changed = changedFields(before, after);
  if (changed.length === 0) return [];
  return [
    {
      type: 'PartyChanged',
      data: { partyId: id, bookId, kind, number, changed, ...toMasterDataFields(after) },
    },
  ];
}
