/**
 * Exactly once across crashes: a real server process (the built CLI's `serve`, SQLite) is
 * killed (SIGKILL, through the test-only hooks KONTOR_TEST_CRASH_BEFORE/AFTER_APPROVAL_EXECUTION)
 * between the last grant and running the approved action, or after running it but before the
 * outcome is recorded. Restarted without the hook, the action has run exactly once and the
 * approval shows its result.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { builtCli, cliBuildTimeoutMilliseconds, repositoryRoot } from '../support/cli.js';

const testTimeoutMilliseconds = 60_000;
const adminKey = `kontor_crash_admin_${randomBytes(24).toString('base64url')}`;

type Hook = 'before' | 'after' | 'none';

interface Server {
  process: ChildProcess;
  baseUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServer(dataDir: string, hook: Hook): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KONTOR_STORE: 'sqlite',
    KONTOR_DATA_DIR: dataDir,
    KONTOR_ADMIN_KEY: adminKey,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  delete env.KONTOR_TEST_CRASH_BEFORE_APPROVAL_EXECUTION;
  delete env.KONTOR_TEST_CRASH_AFTER_APPROVAL_EXECUTION;
  if (hook === 'before') env.KONTOR_TEST_CRASH_BEFORE_APPROVAL_EXECUTION = '1';
  if (hook === 'after') env.KONTOR_TEST_CRASH_AFTER_APPROVAL_EXECUTION = '1';
  const child = spawn(process.execPath, [builtCli(), 'serve'], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/[0-9.:[\]a-z]+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve({ process: child, baseUrl: match[1]!.replace('[::1]', '127.0.0.1'), exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then(({ code, signal }) =>
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)),
    );
  });
}

async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.process.exitCode !== null || server.process.signalCode !== null) return;
  server.process.kill('SIGTERM');
  await server.exited;
}

async function call(
  server: Server,
  method: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function expectStatus(
  promise: Promise<{ status: number; body: any }>,
  status: number,
): Promise<any> {
  const response = await promise;
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Keys, a book with accounts, and a policy that holds every posting and every period reopening. */
async function seed(
  server: Server,
): Promise<{ accountant: string; approver: string; book: string }> {
  const accountant = (
    await expectStatus(
      call(server, 'POST', '/v1/api-keys', adminKey, {
        name: 'Erika Accountant',
        roles: ['accountant'],
      }),
      201,
    )
  ).key;
  const approver = (
    await expectStatus(
      call(server, 'POST', '/v1/api-keys', adminKey, {
        name: 'Paul Approver',
        roles: ['approver'],
      }),
      201,
    )
  ).key;
  const book = 'crash-gmbh';
  await expectStatus(
    call(server, 'POST', '/v1/books', adminKey, {
      id: book,
      name: 'Crash GmbH',
      baseCurrency: 'EUR',
    }),
    201,
  );
  for (const [code, type] of [
    ['1200', 'asset'],
    ['6310', 'expense'],
  ]) {
    await expectStatus(
      call(server, 'POST', `/v1/books/${book}/accounts`, accountant, {
        code,
        name: `Account ${code}`,
        type,
      }),
      201,
    );
  }
  for (const action of ['journal-entry.post', 'period.reopen']) {
    await expectStatus(
      call(server, 'POST', `/v1/books/${book}/approval-policies`, adminKey, {
        name: action,
        action,
        steps: [{ role: 'approver', approvals: 1 }],
      }),
      201,
    );
  }
  return { accountant, approver, book };
}

const rent = {
  effectiveDate: '2026-03-31',
  description: 'Office rent March',
  lines: [
    { account: '6310', debit: '12000.00' },
    { account: '1200', credit: '12000.00' },
  ],
};

/** Approving kills the server (the hook fires in the reactor while the request waits for it). */
async function approveAndCrash(
  server: Server,
  approvalId: string,
  approver: string,
): Promise<void> {
  await expect(
    call(server, 'POST', `/v1/approvals/${approvalId}/approve`, approver, {}),
  ).rejects.toThrow();
  expect((await server.exited).signal).toBe('SIGKILL');
}

async function storeEvents(
  dataDir: string,
  streamId: string,
): Promise<{ type: string; data: any; position: bigint; metadata: any }[]> {
  const store = await SqliteEventStore.open(join(dataDir, 'events.db'), { readOnly: true });
  try {
    return await store.readStream(streamId);
  } finally {
    await store.close();
  }
}

/** After the restart: waits (consistentWith) until the reactor passed the approval, then reads the outcome. */
async function outcomeAfterRestart(
  server: Server,
  approvalId: string,
  approvedPosition: bigint,
): Promise<any> {
  const stream = await expectStatus(
    call(
      server,
      'GET',
      `/v1/streams/approval_request-${approvalId}?consistentWith=${approvedPosition}`,
      adminKey,
    ),
    200,
  );
  const types = stream.items.map((event: { type: string }) => event.type);
  expect(types).toEqual([
    'ApprovalRequested',
    'ApprovalGranted',
    'ApprovalApproved',
    'ApprovalExecuted',
  ]);
  const recorded = stream.items[3];
  return expectStatus(
    call(
      server,
      'GET',
      `/v1/approvals/${approvalId}?consistentWith=${recorded.position}`,
      adminKey,
    ),
    200,
  );
}

describe('approved actions run exactly once across crashes (real server process, SQLite)', () => {
  let dataDir: string;
  let server: Server | undefined;

  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kontor-approvals-crash-'));
  });

  afterEach(async () => {
    await stopServer(server);
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'a crash between the last grant and the execution: after the restart the entry is posted once',
    async () => {
      server = await startServer(dataDir, 'before');
      const { accountant, approver, book } = await seed(server);
      const held = await expectStatus(
        call(server, 'POST', `/v1/books/${book}/journal-entries`, accountant, rent),
        202,
      );
      await approveAndCrash(server, held.approvalId, approver);

      const approval = await storeEvents(dataDir, `approval_request-${held.approvalId}`);
      expect(approval.map((event) => event.type)).toEqual([
        'ApprovalRequested',
        'ApprovalGranted',
        'ApprovalApproved',
      ]);
      expect(
        (await storeEvents(dataDir, `book-${book}`)).filter(
          (event) => event.type === 'JournalEntryPosted',
        ),
      ).toHaveLength(0);

      server = await startServer(dataDir, 'none');
      const shown = await outcomeAfterRestart(server, held.approvalId, approval[2]!.position);
      expect(shown.result).toMatchObject({
        status: 'executed',
        entryId: held.id,
        position: expect.any(Number),
      });
      const posted = (await storeEvents(dataDir, `book-${book}`)).filter(
        (event) => event.type === 'JournalEntryPosted',
      );
      expect(posted.map((event) => event.data.entryId)).toEqual([held.id]);
      expect(Number(posted[0]!.position)).toBe(shown.result.position);
      const entry = await call(
        server,
        'GET',
        `/v1/books/${book}/journal-entries/${held.id}?consistentWith=${shown.result.position}`,
        accountant,
      );
      expect(entry.status).toBe(200);
    },
    testTimeoutMilliseconds,
  );

  it(
    'a crash after the execution but before the outcome is recorded: the entry stays posted once, and the outcome is recorded',
    async () => {
      server = await startServer(dataDir, 'after');
      const { accountant, approver, book } = await seed(server);
      const held = await expectStatus(
        call(server, 'POST', `/v1/books/${book}/journal-entries`, accountant, rent),
        202,
      );
      await approveAndCrash(server, held.approvalId, approver);

      const approval = await storeEvents(dataDir, `approval_request-${held.approvalId}`);
      expect(approval.map((event) => event.type)).toEqual([
        'ApprovalRequested',
        'ApprovalGranted',
        'ApprovalApproved',
      ]);
      const postedBefore = (await storeEvents(dataDir, `book-${book}`)).filter(
        (event) => event.type === 'JournalEntryPosted',
      );
      expect(postedBefore.map((event) => event.data.entryId)).toEqual([held.id]);

      server = await startServer(dataDir, 'none');
      const shown = await outcomeAfterRestart(server, held.approvalId, approval[2]!.position);
      expect(shown.result).toMatchObject({
        status: 'executed',
        entryId: held.id,
        position: Number(postedBefore[0]!.position),
      });
      expect(
        (await storeEvents(dataDir, `book-${book}`)).filter(
          (event) => event.type === 'JournalEntryPosted',
        ),
      ).toHaveLength(1);
    },
    testTimeoutMilliseconds,
  );

  it(
    'a period reopening that ran before the crash is recorded as executed, not as refused on the re-run',
    async () => {
      server = await startServer(dataDir, 'after');
      const { accountant, approver, book } = await seed(server);
      await expectStatus(
        call(server, 'POST', `/v1/books/${book}/periods/2026-01/close`, accountant),
        200,
      );
      const held = await expectStatus(
        call(server, 'POST', `/v1/books/${book}/periods/2026-01/reopen`, accountant, {
          reason: 'Late invoice',
        }),
        202,
      );
      await approveAndCrash(server, held.approvalId, approver);
      const reopened = (await storeEvents(dataDir, `book-${book}`)).filter(
        (event) => event.type === 'PeriodReopened',
      );
      expect(reopened).toHaveLength(1);

      server = await startServer(dataDir, 'none');
      const approval = await storeEvents(dataDir, `approval_request-${held.approvalId}`);
      const shown = await outcomeAfterRestart(server, held.approvalId, approval[2]!.position);
      expect(shown.result).toMatchObject({
        status: 'executed',
        period: '2026-01',
        position: Number(reopened[0]!.position),
      });
      expect(
        (await storeEvents(dataDir, `book-${book}`)).filter(
          (event) => event.type === 'PeriodReopened',
        ),
      ).toHaveLength(1);
    },
    testTimeoutMilliseconds,
  );
});
