import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approvalPoliciesStreamId } from '../../src/approvals/index.js';
import { loadConfig } from '../../src/config.js';
import { runDemo } from '../../src/operations/demo.js';
import { RecordedEvent } from '../../src/event-sourcing/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';

describe('kontor demo: approvals', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kontor-approvals-demo-'));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds a policy, an approved and executed posting, and a rejected one', async () => {
    const config = loadConfig({
      KONTOR_STORE: 'sqlite',
      KONTOR_DATA_DIR: dataDir,
      KONTOR_ADMIN_KEY: 'a'.repeat(40),
      LOG_LEVEL: 'silent',
    });
    const book = await runDemo(config, { book: 'demo-approvals' });

    const store = await SqliteEventStore.open(join(dataDir, 'events.db'), { readOnly: true });
    try {
      expect(
        (await store.readStream(approvalPoliciesStreamId(book))).map((event) => event.type),
      ).toEqual(['ApprovalPolicyDefined']);
      const approvalStreams = new Map<string, RecordedEvent[]>();
      for (let after = 0n; ;) {
        const batch = await store.readAll({ after, limit: 1000 });
        for (const event of batch) {
          if (event.streamId.startsWith('approval_request-'))
            approvalStreams.set(event.streamId, [
              ...(approvalStreams.get(event.streamId) ?? []),
              event,
            ]);
        }
        if (batch.length < 1000) break;
        after = batch[batch.length - 1]!.position;
      }
      const histories = [...approvalStreams.values()].map((events) =>
        events.map((event) => event.type),
      );
      expect(histories).toEqual([
        ['ApprovalRequested', 'ApprovalGranted', 'ApprovalApproved', 'ApprovalExecuted'],
        ['ApprovalRequested', 'ApprovalRejected'],
      ]);
      const executed = [...approvalStreams.values()][0]![3]!.data as {
        result: { entryId: string };
      };
      const posted = (await store.readStream(`book-${book}`)).filter(
        (event) => event.type === 'JournalEntryPosted',
      );
      expect(
        posted.filter(
          (event) => (event.data as { entryId: string }).entryId === executed.result.entryId,
        ),
      ).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 30_000);
});
