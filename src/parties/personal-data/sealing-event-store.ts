import {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
} from '../../event-sourcing/index.js';
import { MasterDataFields } from '../domain/parties.events.js';
import { PersonalDataCipher, SealedPersonal } from './personal-data-cipher.js';

const sealedTypes = new Set(['PartyRegistered', 'PartyChanged']);

/** A master-data event's data as it is stored: personal fields sealed under `sealed`. */
export type StoredMasterData = MasterDataFields & {
  bookId: string;
  partyId: string;
  sealed?: SealedPersonal;
};

/**
 * The event store as the parties module sees it: a natural person's `personal` fields are
 * sealed on the way into the log (the hash chain covers the ciphertext) and opened on the way
 * out; fields whose key is gone come back left out and listed in `erasedFields`. Events of the
 * time before sealing (plain `personal`) pass through as they are. Only the parties streams
 * are read through it; everything else (exports, relay, audit) sees the ciphertext.
 */
export class SealingEventStore {
  constructor(
    private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** An EventStore that seals and opens, for DecidedStream. */
  view(): EventStore {
    return new Proxy(this.store, {
      get: (target, property, receiver) => {
        if (property === 'append') return this.append.bind(this);
        if (property === 'readStream') return this.readStream.bind(this);
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const sealed = await Promise.all(events.map((event) => this.sealEvent(event)));
    return this.store.append(streamId, sealed, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(streamId, options);
    return Promise.all(events.map((event) => this.openEvent(event)));
  }

  async openEvent<Event extends { type: string; data: unknown }>(event: Event): Promise<Event> {
    if (!sealedTypes.has(event.type)) return event;
    return { ...event, data: await this.openData(event.data as StoredMasterData) };
  }

  /** The data with `sealed` opened into `personal` (and `erasedFields` when keys are gone). */
  async openData(data: StoredMasterData): Promise<MasterDataFields & { erasedFields?: string[] }> {
    if (data.sealed === undefined) return data;
    const { sealed, ...rest } = data;
    const opened = await this.cipher.open(data, sealed);
    return {
      ...rest,
      personal: opened.values as MasterDataFields['personal'],
      ...(opened.erased.length > 0 ? { erasedFields: opened.erased } : {}),
    };
  }

  private async sealEvent(event: NewEvent): Promise<NewEvent> {
    if (!sealedTypes.has(event.type)) return event;
    const data = event.data as StoredMasterData;
    if (data.personal === undefined) return event;
    const { personal, ...rest } = data;
    const sealed = await this.cipher.seal(data, personal as unknown as Record<string, unknown>);
    return { ...event, data: { ...rest, sealed } };
  }
}
