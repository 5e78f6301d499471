import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, systemClock } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../../infrastructure/memory/in-memory-event-store.js';
import { SqliteDatabase } from '../../infrastructure/sql/index.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { ApiKeyService } from './api-key.service.js';
import { ConsoleSessions, liveSession } from './console-sessions.js';

const metadata = () => ({
  actor: { id: 'system', name: 'test' },
  correlationId: newId(),
  commandId: newId(),
});

describe('liveSession across instances', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-sessions-'));
  const db = SqliteDatabase.open(join(dir, 'ops.db'));
  const store = new InMemoryEventStore();
  const pepper = randomBytes(32);
  const issuing = new ApiKeyRegistry(store, pepper);
  const service = new ApiKeyService(store, issuing);
  const sessions = new ConsoleSessions(db, systemClock, { idleMinutes: 30, hours: 8 });

  beforeAll(() => sessions.init());
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a session whose key this instance has not caught up with yet', async () => {
    const key = await service.issue({ name: 'Ada', roles: ['approver'] }, metadata());
    const started = await sessions.start(key.id);
    const elsewhere = new ApiKeyRegistry(store, pepper);

    const found = await liveSession(sessions, elsewhere, started.sessionId);

    expect(found).toMatchObject({ key: { keyId: key.id, status: 'active' } });
    expect(await sessions.find(started.sessionId)).toBeDefined();
  });

  it('ends every session of a revoked key', async () => {
    const key = await service.issue({ name: 'Gone', roles: ['approver'] }, metadata());
    const first = await sessions.start(key.id);
    const second = await sessions.start(key.id);
    await service.revoke(key.id, metadata());

    const found = await liveSession(sessions, new ApiKeyRegistry(store, pepper), first.sessionId);

    expect(found).toEqual({
      ended: 'the API key of this console session was revoked: session ended',
    });
    expect(await sessions.find(second.sessionId)).toBeUndefined();
  });
});
