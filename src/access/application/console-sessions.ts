import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Clock } from '../../event-sourcing/index.js';
import { SqlDatabase, toSafeNumber } from '../../infrastructure/sql/index.js';
import { ApiKeyState } from '../domain/api-keys.decider.js';
import { ApiKeyRegistry } from './api-key-registry.js';

const table = 'console_sessions';
const sessionIdBytes = 32;
/** A session's last use is written at most this often (each request would be a write otherwise). */
export const sessionTouchIntervalMs = 60_000;
/** The session id's alphabet and length in the cookie (base64url of 32 random bytes). */
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

export interface ConsoleSessionSettings {
  idleMinutes: number;
  hours: number;
}

/** A session as the guard sees it: whose key, the CSRF token bound to it, when it ends. */
export interface ConsoleSession {
  idHash: string;
  keyId: string;
  csrfToken: string;
  idleExpiresAt: string;
  expiresAt: string;
}

export interface StartedConsoleSession extends ConsoleSession {
  /** The secret for the cookie; the server keeps only its hash. */
  sessionId: string;
}

interface SessionRow {
  id_hash: string;
  key_id: string;
  created_ms: unknown;
  last_seen_ms: unknown;
}

/**
 * Console sign-in sessions (docs/adr/0018): a random 256-bit id in an httpOnly cookie, kept in
 * the ops database only as its SHA-256, so every instance on the store (followers included)
 * knows it and it survives restarts. It ends after `idleMinutes` without use, `hours` after
 * sign-in, at sign-out, or when its key is revoked (the guard checks the key on every request).
 * The CSRF token is an HMAC of the session id: bound to the session, never stored, and
 * unknowable without the cookie.
 */
export class ConsoleSessions {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    private readonly settings: ConsoleSessionSettings,
  ) {}

  async init(): Promise<void> {
    await this.db.withSchemaLock(async (tx) => {
      await tx.execute(
        `CREATE TABLE IF NOT EXISTS ${table} (id_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL, ` +
          `created_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL)`,
      );
      await tx.execute(`CREATE INDEX IF NOT EXISTS ${table}_key ON ${table} (key_id)`);
    });
  }

  /** A new session for the key: always a fresh id (a session id sent by the client is never adopted). */
  async start(keyId: string): Promise<StartedConsoleSession> {
    const sessionId = randomBytes(sessionIdBytes).toString('base64url');
    const now = this.clock.now().getTime();
    await this.purgeExpired(now);
    const idHash = hashOf(sessionId);
    await this.db.execute(
      `INSERT INTO ${table} (id_hash, key_id, created_ms, last_seen_ms) VALUES (?, ?, ?, ?)`,
      [idHash, keyId, now, now],
    );
    return { sessionId, ...this.view(sessionId, idHash, keyId, now, now) };
  }

  /** The live session with this id, its last use moved to now; undefined when unknown or expired. */
  async find(sessionId: string): Promise<ConsoleSession | undefined> {
    if (!sessionIdPattern.test(sessionId)) return undefined;
    const idHash = hashOf(sessionId);
    const [row] = await this.db.query<SessionRow>(
      `SELECT id_hash, key_id, created_ms, last_seen_ms FROM ${table} WHERE id_hash = ?`,
      [idHash],
    );
    if (!row) return undefined;
    const now = this.clock.now().getTime();
    const created = toSafeNumber(row.created_ms);
    let lastSeen = toSafeNumber(row.last_seen_ms);
    if (now >= this.idleEnd(lastSeen) || now >= this.absoluteEnd(created)) {
      await this.end(idHash);
      return undefined;
    }
    if (now - lastSeen >= sessionTouchIntervalMs) {
      await this.db.execute(`UPDATE ${table} SET last_seen_ms = ? WHERE id_hash = ?`, [
        now,
        idHash,
      ]);
      lastSeen = now;
    }
    return this.view(sessionId, idHash, row.key_id, created, lastSeen);
  }

  /** Ends the session with this id hash (`ConsoleSession.idHash`). */
  async end(idHash: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${table} WHERE id_hash = ?`, [idHash]);
  }

  /** Ends the session with this id, if there is one (a cookie sent to sign-in is never kept). */
  async endById(sessionId: string): Promise<void> {
    if (sessionIdPattern.test(sessionId)) await this.end(hashOf(sessionId));
  }

  /** Ends every session of a key (its revocation). */
  async endAllOf(keyId: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${table} WHERE key_id = ?`, [keyId]);
  }

  /** Sessions not yet ended (for tests and operators). */
  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`);
    return toSafeNumber(row?.n ?? 0);
  }

  private async purgeExpired(now: number): Promise<void> {
    await this.db.execute(`DELETE FROM ${table} WHERE last_seen_ms <= ? OR created_ms <= ?`, [
      now - this.settings.idleMinutes * 60_000,
      now - this.settings.hours * 3_600_000,
    ]);
  }

  private idleEnd(lastSeen: number): number {
    return lastSeen + this.settings.idleMinutes * 60_000;
  }

  private absoluteEnd(created: number): number {
    return created + this.settings.hours * 3_600_000;
  }

  private view(
    sessionId: string,
    idHash: string,
    keyId: string,
    created: number,
    lastSeen: number,
  ): ConsoleSession {
    const absolute = this.absoluteEnd(created);
    return {
      idHash,
      keyId,
      csrfToken: csrfTokenOf(sessionId),
      idleExpiresAt: new Date(Math.min(this.idleEnd(lastSeen), absolute)).toISOString(),
      expiresAt: new Date(absolute).toISOString(),
    };
  }
}

export type SessionLookup =
  | { session: ConsoleSession; key: ApiKeyState }
  | { ended: 'the console session has ended: sign in again' }
  | { ended: 'the API key of this console session was revoked: session ended' };

/** The live session with this id and its active key; a session of a revoked key is ended here. */
export async function liveSession(
  sessions: ConsoleSessions,
  registry: ApiKeyRegistry,
  sessionId: string,
): Promise<SessionLookup> {
  const session = await sessions.find(sessionId);
  if (!session) return { ended: 'the console session has ended: sign in again' };
  const key = await registry.keyWithId(session.keyId);
  if (key?.status !== 'active') {
    await sessions.endAllOf(session.keyId);
    return { ended: 'the API key of this console session was revoked: session ended' };
  }
  return { session, key };
}

function hashOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('kontor console csrf').digest('base64url');
}

/** Constant-time comparison of a sent CSRF token with the session's. */
export function csrfTokenMatches(session: ConsoleSession, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
