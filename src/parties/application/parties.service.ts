import {
  Actor,
  CommandMetadata,
  DecidedStream,
  cachedPerKey,
  EventStore,
  NotFoundError,
  RecordedEvent,
  assert,
} from '../../event-sourcing/index.js';
import { bookOpenedOf } from '../../ledger/index.js';
import { ChangeCompanySettings, CompanyState, companyDecider } from '../domain/company.js';
import {
  CompanySettings,
  CompanySettingsChanged,
  companyStreamId,
} from '../domain/company.events.js';
import { Party, PartyKind } from '../domain/party.js';
import { normalizeVatId } from '../domain/tax-ids.js';
import {
  ChangeParty,
  PartiesCommand,
  PartiesState,
  RegisterParty,
  partiesDecider,
  partyIn,
} from '../domain/parties.decider.js';
import {
  MasterDataFields,
  PartyEvent,
  masterDataOf,
  partiesStreamId,
} from '../domain/parties.events.js';
import { PartiesLookup } from '../domain/parties-lookup.js';

/** Books whose parties and company streams are kept folded in memory; beyond it the cache starts over. */
export const partyStreamsCachedMax = 1_000;

/** A party as a write or a read answers: the party, when it was registered and last changed. */
export interface PartyRecord {
  party: Party;
  registeredAt: string;
  updatedAt: string;
  /** Master-data versions so far (1: as registered). */
  version: number;
  /** Log position of the party's last event. */
  position: bigint;
}

export interface PartyHistoryEntry {
  type: 'PartyRegistered' | 'PartyChanged';
  at: string;
  by: Actor;
  changed: string[];
  party: Party;
  position: bigint;
}

export interface CompanyRecord {
  settings: CompanySettings;
  updatedAt: string;
  position: bigint;
}

/**
 * The parties (stream `parties-<book>`) and the company data (stream `company-<book>`) of each
 * book: commands run through DecidedStream (optimistic concurrency, a lost race decides again),
 * and reads come from the same folded streams, so they are never behind a write.
 */
export class PartiesService implements PartiesLookup {
  private readonly partyStreams = new Map<
    string,
    DecidedStream<PartiesCommand, PartyEvent, PartiesState>
  >();
  private readonly companyStreams = new Map<
    string,
    DecidedStream<ChangeCompanySettings, CompanySettingsChanged, CompanyState>
  >();

  constructor(private readonly store: EventStore) {}

  async register(command: RegisterParty, metadata: CommandMetadata): Promise<PartyRecord> {
    await this.assertBookExists(command.bookId);
    const stream = this.parties(command.bookId);
    await stream.handle(command, { ...metadata, book: command.bookId });
    const known = command.idempotency
      ? (await stream.current()).idempotencyKeys.get(command.idempotency.key)?.partyId
      : command.partyId;
    assert(known !== undefined, 'a registered party is in the state');
    return this.requireRecord(command.bookId, known);
  }

  async change(command: ChangeParty, metadata: CommandMetadata): Promise<PartyRecord> {
    await this.assertBookExists(command.bookId);
    const { state } = await this.parties(command.bookId).handle(command, {
      ...metadata,
      book: command.bookId,
    });
    const party = partyIn(state, command.party);
    assert(party !== undefined, 'a changed party is in the state');
    return this.requireRecord(command.bookId, party.id);
  }

  async find(bookId: string, idOrNumber: string): Promise<Party | undefined> {
    return partyIn(await this.parties(bookId).current(), idOrNumber);
  }

  /**
   * The party of a kind with this VAT id (normalized), else this tax number, else (neither
   * given) this exact name: how an incoming invoice's seller is matched (docs/payables.md).
   */
  async match(
    bookId: string,
    kind: PartyKind,
    by: { vatId?: string; taxNumber?: string; name: string },
  ): Promise<Party | undefined> {
    const parties = [...(await this.parties(bookId).current()).parties.values()].filter(
      (party) => party.kind === kind,
    );
    const vatId = by.vatId === undefined ? undefined : normalizeVatId(by.vatId);
    const byVatId = vatId ? parties.find((party) => party.vatId === vatId) : undefined;
    if (byVatId) return byVatId;
    const taxNumber = by.taxNumber?.trim();
    const byTaxNumber = taxNumber
      ? parties.find((party) => party.taxNumber === taxNumber)
      : undefined;
    if (byTaxNumber) return byTaxNumber;
    // A party without VAT id and tax number of the same name (also one registered from an
    // invoice whose VAT id the parties module refused).
    const name = by.name.trim().toLowerCase();
    return parties.find(
      (party) =>
        party.vatId === undefined &&
        party.taxNumber === undefined &&
        party.name.toLowerCase() === name,
    );
  }

  async record(bookId: string, idOrNumber: string): Promise<PartyRecord | undefined> {
    const history = await this.history(bookId, idOrNumber);
    const first = history[0];
    const last = history[history.length - 1];
    if (!first || !last) return undefined;
    return {
      party: last.party,
      registeredAt: first.at,
      updatedAt: last.at,
      version: history.length,
      position: last.position,
    };
  }

  async requireRecord(bookId: string, idOrNumber: string): Promise<PartyRecord> {
    const record = await this.record(bookId, idOrNumber);
    if (!record) throw new NotFoundError(`Party ${idOrNumber} not found in book ${bookId}`);
    return record;
  }

  /** Every version of a party's master data, oldest first, with who changed what when. */
  async history(bookId: string, idOrNumber: string): Promise<PartyHistoryEntry[]> {
    const { state, events } = await this.parties(bookId).read();
    const party = partyIn(state, idOrNumber);
    if (!party) return [];
    return events
      .filter((event) => (event.data as { partyId?: string }).partyId === party.id)
      .map((event) => historyEntry(event, party));
  }

  async company(bookId: string): Promise<CompanySettings | undefined> {
    return (await this.companyStream(bookId).current()).settings;
  }

  async companyRecord(bookId: string): Promise<CompanyRecord | undefined> {
    const { state, events } = await this.companyStream(bookId).read();
    const last = events[events.length - 1];
    if (!state.settings || !last) return undefined;
    return { settings: state.settings, updatedAt: last.recordedAt, position: last.position };
  }

  async setCompany(
    command: ChangeCompanySettings,
    metadata: CommandMetadata,
  ): Promise<CompanyRecord> {
    await this.assertBookExists(command.bookId);
    await this.companyStream(command.bookId).handle(command, { ...metadata, book: command.bookId });
    const record = await this.companyRecord(command.bookId);
    assert(record !== undefined, 'company settings just set are there');
    return record;
  }

  /** The book must exist: its stream starts with BookOpened (read from the log, never stale). */
  async assertBookExists(bookId: string): Promise<void> {
    if (!(await bookOpenedOf(this.store, bookId)))
      throw new NotFoundError(`Book ${bookId} not found`);
  }

  private parties(bookId: string) {
    return cached(
      this.partyStreams,
      bookId,
      () => new DecidedStream(this.store, partiesStreamId(bookId), partiesDecider),
    );
  }

  private companyStream(bookId: string) {
    return cached(
      this.companyStreams,
      bookId,
      () => new DecidedStream(this.store, companyStreamId(bookId), companyDecider),
    );
  }
}

function cached<Value>(cache: Map<string, Value>, key: string, make: () => Value): Value {
  return cachedPerKey(cache, key, make, partyStreamsCachedMax);
}

function historyEntry(event: RecordedEvent, party: Party): PartyHistoryEntry {
  const data = event.data as MasterDataFields & { changed?: string[] };
  const type = event.type as PartyHistoryEntry['type'];
  return {
    type,
    at: event.recordedAt,
    by: event.metadata.actor,
    changed: type === 'PartyRegistered' ? [] : (data.changed ?? []),
    party: {
      id: party.id,
      bookId: party.bookId,
      kind: party.kind,
      number: party.number,
      ...masterDataOf(data),
    },
    position: event.position,
  };
}
