import {
  Actor,
  Clock,
  CommandMetadata,
  NotFoundError,
  assert,
  newId,
} from '../../event-sourcing/index.js';
import { partyIn } from '../domain/parties.decider.js';
import { PartyErasure } from '../domain/party-erasure.js';
import { KeyClass, fieldsOfClass, keyClasses, retentionEnd } from '../domain/personal-retention.js';
import { PartyKeyStore } from '../personal-data/party-key-store.js';
import { PartiesService } from './parties.service.js';
import { RetentionRecords } from './retention-records.js';

export const partyErasureActor: Actor = { id: 'system', name: 'party-erasure' };

/** An erasure as the API answers it. */
export interface ErasureRecord {
  partyId: string;
  bookId: string;
  reason: string;
  erased: string[];
  /** The `records` fields still kept, until when, and why; null once nothing is kept. */
  scheduled: {
    fields: string[];
    retainedUntil: string;
    erasableFrom: string;
    basis: PartyErasure['basis'];
  } | null;
  position?: bigint;
}

/**
 * Erasure requests (GDPR Art. 17) and the erasure of fields whose retention ended: the
 * decision is an event in the parties stream first, then the keys of the erased classes are
 * destroyed. `destroyErasedKeys` repeats the destruction for every erased class (idempotent),
 * so a crash between the event and the key store is mended by the next scheduler run.
 */
export class PartyErasures {
  constructor(
    private readonly parties: PartiesService,
    private readonly keys: PartyKeyStore,
    private readonly records: RetentionRecords,
    private readonly clock: Clock,
  ) {}

  async request(
    bookId: string,
    idOrNumber: string,
    reason: string,
    metadata: CommandMetadata,
  ): Promise<ErasureRecord> {
    const party = await this.parties.find(bookId, idOrNumber);
    if (!party) throw new NotFoundError(`Party ${idOrNumber} not found in book ${bookId}`);
    const retention = retentionEnd(await this.records.basisOf(bookId, party.id));
    const handled = await this.parties.handle(
      {
        type: 'RequestPartyErasure',
        bookId,
        party: party.id,
        reason,
        today: this.today(),
        retention,
      },
      metadata,
    );
    await this.destroyErasedKeys(bookId, party.id);
    return {
      ...this.recordOf(handled.state.erasures.get(party.id), bookId, party.id),
      position: handled.position,
    };
  }

  /** Erases the due `records` fields of one party (the scheduler's unit of work). */
  async eraseDue(bookId: string, partyId: string): Promise<boolean> {
    const retention = retentionEnd(await this.records.basisOf(bookId, partyId));
    const handled = await this.parties.handle(
      { type: 'EraseDueFields', bookId, party: partyId, today: this.today(), retention },
      {
        actor: partyErasureActor,
        correlationId: newId(),
        commandId: newId(),
      },
    );
    await this.destroyErasedKeys(bookId, partyId);
    return handled.positions.length > 0;
  }

  async erasure(bookId: string, idOrNumber: string): Promise<ErasureRecord | undefined> {
    const state = await this.parties.state(bookId);
    const party = partyIn(state, idOrNumber);
    const erasure = party && state.erasures.get(party.id);
    return erasure && party ? this.recordOf(erasure, bookId, party.id) : undefined;
  }

  async destroyErasedKeys(bookId: string, partyId: string): Promise<void> {
    const erasure = (await this.parties.state(bookId)).erasures.get(partyId);
    for (const keyClass of erasure?.erased ?? [])
      await this.keys.destroy({ bookId, partyId, keyClass }, this.clock.now().toISOString());
  }

  today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  private recordOf(
    erasure: PartyErasure | undefined,
    bookId: string,
    partyId: string,
  ): ErasureRecord {
    assert(erasure !== undefined, 'an erasure just requested is in the state');
    const kept = keyClasses.filter((keyClass: KeyClass) => !erasure.erased.includes(keyClass));
    const erased = erasure.erased.flatMap(fieldsOfClass);
    return {
      partyId,
      bookId,
      reason: erasure.reason,
      erased,
      scheduled:
        kept.length > 0 && erasure.retainedUntil !== null && erasure.erasableFrom !== null
          ? {
              fields: kept.flatMap(fieldsOfClass),
              retainedUntil: erasure.retainedUntil,
              erasableFrom: erasure.erasableFrom,
              basis: erasure.basis,
            }
          : null,
    };
  }
}
