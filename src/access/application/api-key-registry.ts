import { EventStore, RecordedEvent, assert, fold } from '../../event-sourcing/index.js';
import { ApiKeyEvent, apiKeysStreamId } from '../domain/api-key.events.js';
import { ApiKeyState, ApiKeysState, apiKeysDecider } from '../domain/api-keys.decider.js';
import { Role } from '../domain/permissions.js';
import { hashApiKey, hashesEqual, keyVerifier } from './api-key-secrets.js';

/** Events read per page while catching up with the `api-keys` stream. */
export const registryReadBatchSize = 500;

/** A key as listed: never its secret nor its hash. */
export interface ApiKeyListing {
  id: string;
  name: string;
  roles: Role[];
  books?: string[];
  status: 'active' | 'revoked';
  createdAt: string;
  createdBy: { id: string; name: string };
  revokedAt?: string;
}

interface KeyHistory {
  createdAt: string;
  createdBy: { id: string; name: string };
  revokedAt?: string;
}

/**
 * Every API key, folded from the `api-keys` stream. Loaded at boot and kept current: writers of
 * this process call `catchUp()` right after they append (so a revoked key is refused at once),
 * and `watch()` catches up whenever the store reports an append (other processes included,
 * as far as the store's notifications reach).
 */
export class ApiKeyRegistry {
  private state: ApiKeysState = apiKeysDecider.initialState();
  /** Last revision folded in; -1 before the stream exists. */
  private lastRevision = -1;
  private readonly history = new Map<string, KeyHistory>();
  /** Digest (a v2 verifier or a v1 sha256) → key id. */
  private readonly keyIdByDigest = new Map<string, string>();
  private queued: Promise<void> | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly revisionWaiters = new Set<{ revision: number; resolve: () => void }>();

  /**
   * `pepper`: the store's key pepper (key-pepper.ts). Without it (a read-only store that has
   * none) only v1 keys authenticate and no key can be issued.
   */
  constructor(
    private readonly store: EventStore,
    readonly pepper?: Buffer,
  ) {}

  get current(): ApiKeysState {
    return this.state;
  }

  /** The expected revision for the next append to the stream. */
  get revision(): number {
    return this.lastRevision;
  }

  /** Resolves once every event appended before the call is folded in. Concurrent calls share one read. */
  catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.readNewEvents();
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Resolves once the registry has folded in the stream up to `revision` (by whatever catch-up). */
  waitForRevision(revision: number): Promise<void> {
    if (this.lastRevision >= revision) return Promise.resolve();
    return new Promise((resolve) => this.revisionWaiters.add({ revision, resolve }));
  }

  /** Catches up on every append the store reports. Returns the unsubscribe function. */
  watch(onError: (error: unknown) => void): () => void {
    return this.store.onAppended(() => {
      this.catchUp().catch(onError);
    });
  }

  /** The active key whose secret this is, or undefined (unknown or revoked). */
  authenticate(secret: string): ApiKeyState | undefined {
    return activeOnly(this.keyOf(secret));
  }

  /**
   * As `authenticate`, but a secret no key here has is looked up again after catching up with
   * the store: a key just issued on another instance works before that append's notification
   * arrives. Concurrent misses share one read of the stream's new events.
   */
  async authenticateCurrent(secret: string): Promise<ApiKeyState | undefined> {
    const known = this.keyOf(secret);
    if (known) return activeOnly(known);
    await this.catchUp();
    return this.authenticate(secret);
  }

  /**
   * The key with this id (active or revoked), looked up again after catching up with the store
   * when this registry does not know it yet (issued on another instance a moment ago).
   */
  async keyWithId(keyId: string): Promise<ApiKeyState | undefined> {
    const known = this.state.keys.get(keyId);
    if (known) return known;
    await this.catchUp();
    return this.state.keys.get(keyId);
  }

  private keyOf(secret: string): ApiKeyState | undefined {
    if (this.pepper) {
      const verifier = keyVerifier(this.pepper, secret);
      const key = this.keyWithDigest(verifier);
      if (key?.check.scheme === 'hmac-sha256' && hashesEqual(key.check.verifier, verifier))
        return key;
    }
    const hash = hashApiKey(secret);
    const key = this.keyWithDigest(hash);
    return key?.check.scheme === 'sha256' && hashesEqual(key.check.hash, hash) ? key : undefined;
  }

  private keyWithDigest(digest: string): ApiKeyState | undefined {
    const keyId = this.keyIdByDigest.get(digest);
    return keyId === undefined ? undefined : this.state.keys.get(keyId);
  }

  hasAnyKey(): boolean {
    return this.state.keys.size > 0;
  }

  /** In issue order. */
  list(): ApiKeyListing[] {
    return [...this.state.keys.values()].map((key) => this.listing(key));
  }

  find(keyId: string): ApiKeyListing | undefined {
    const key = this.state.keys.get(keyId);
    return key && this.listing(key);
  }

  private listing(key: ApiKeyState): ApiKeyListing {
    const history = this.history.get(key.keyId);
    assert(history, `API key ${key.keyId} has no history`);
    return {
      id: key.keyId,
      name: key.name,
      roles: key.roles,
      ...(key.books ? { books: key.books } : {}),
      status: key.status,
      createdAt: history.createdAt,
      createdBy: history.createdBy,
      ...(history.revokedAt ? { revokedAt: history.revokedAt } : {}),
    };
  }

  private async readNewEvents(): Promise<void> {
    for (;;) {
      const events = await this.store.readStream(apiKeysStreamId, {
        fromRevision: this.lastRevision + 1,
        limit: registryReadBatchSize,
      });
      for (const event of events) this.apply(event);
      this.wakeRevisionWaiters();
      if (events.length < registryReadBatchSize) return;
    }
  }

  private wakeRevisionWaiters(): void {
    for (const waiter of this.revisionWaiters) {
      if (waiter.revision > this.lastRevision) continue;
      this.revisionWaiters.delete(waiter);
      waiter.resolve();
    }
  }

  private apply(recorded: RecordedEvent): void {
    if (recorded.revision <= this.lastRevision) return;
    assert(
      recorded.revision === this.lastRevision + 1,
      `api-keys stream skipped from ${this.lastRevision} to ${recorded.revision}`,
    );
    const event = { type: recorded.type, data: recorded.data } as ApiKeyEvent;
    this.state = fold(apiKeysDecider, [event], this.state);
    this.lastRevision = recorded.revision;
    if (event.type === 'ApiKeyIssued') {
      const check = this.state.keys.get(event.data.keyId)!.check;
      this.keyIdByDigest.set(
        check.scheme === 'sha256' ? check.hash : check.verifier,
        event.data.keyId,
      );
      this.history.set(event.data.keyId, {
        createdAt: recorded.recordedAt,
        createdBy: recorded.metadata.actor,
      });
    } else if (event.type === 'ApiKeyRevoked') {
      const history = this.history.get(event.data.keyId);
      if (history) history.revokedAt = recorded.recordedAt;
    }
  }
}

function activeOnly(key: ApiKeyState | undefined): ApiKeyState | undefined {
  return key?.status === 'active' ? key : undefined;
}
