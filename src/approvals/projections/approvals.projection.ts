import { RecordedEvent, assert } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toBigInt } from '../../infrastructure/sql/index.js';
import {
  ApprovalRequestState,
  currentStepIndex,
  evolveApprovalRequest,
} from '../domain/approval-request.state.js';
import {
  ApprovalRequestEvent,
  approvalRequestEventTypes,
  DecisionData,
} from '../domain/approval-request.events.js';
import { personOf } from '../domain/gated-action.js';

export const approvalsProjectionName = 'approvals';
/** Bump when the tables' shape or meaning changes: the next start rebuilds. */
export const approvalsProjectionVersion = 2;
export const approvalRequestsTable = 'approval_requests';
export const approvalDecisionsTable = 'approval_decisions';

/**
 * The approvals read model: one row per request (the folded state as JSON, plus the columns the
 * lists filter on) and one row per decision. `seq` is the position of the request's
 * ApprovalRequested event: lists are ordered by it (oldest first) and page on it.
 */
export const approvalsProjection: Projection = {
  name: approvalsProjectionName,
  version: approvalsProjectionVersion,
  handles: approvalRequestEventTypes,
  async setup(db) {
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${approvalRequestsTable} (
        id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL UNIQUE,
        book TEXT NOT NULL,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        requester_person TEXT NOT NULL,
        open_role TEXT,
        expires_at TEXT,
        updated_position BIGINT NOT NULL,
        state TEXT NOT NULL
      )`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS approval_requests_status ON ${approvalRequestsTable} (status, seq)`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS approval_requests_book ON ${approvalRequestsTable} (book, seq)`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS approval_requests_role ON ${approvalRequestsTable} (open_role, seq)`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS approval_requests_expiry ON ${approvalRequestsTable} (status, expires_at)`,
    );
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${approvalDecisionsTable} (
        position BIGINT PRIMARY KEY,
        approval_id TEXT NOT NULL,
        step_index INTEGER NOT NULL,
        role TEXT NOT NULL,
        decision TEXT NOT NULL,
        by_key_id TEXT NOT NULL,
        by_name TEXT NOT NULL,
        on_behalf_of_key_id TEXT,
        on_behalf_of_name TEXT,
        at TEXT NOT NULL,
        comment TEXT
      )`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS approval_decisions_approval ON ${approvalDecisionsTable} (approval_id, position)`,
    );
  },
  async reset(db) {
    await db.execute(`DROP TABLE IF EXISTS ${approvalDecisionsTable}`);
    await db.execute(`DROP TABLE IF EXISTS ${approvalRequestsTable}`);
  },
  apply: applyApprovalEvent,
};

async function applyApprovalEvent(recorded: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as ApprovalRequestEvent;
  const approvalId = (event.data as { approvalId: string }).approvalId;
  const [row] = await tx.query<{ state: string; updated_position: unknown }>(
    `SELECT state, updated_position FROM ${approvalRequestsTable} WHERE id = ?`,
    [approvalId],
  );
  // Applied already (two processes on one read model): nothing to do.
  if (row && toBigInt(row.updated_position) >= recorded.position) return;
  const previous: ApprovalRequestState = row
    ? (JSON.parse(row.state) as ApprovalRequestState)
    : { status: 'none' };
  const state = evolveApprovalRequest(previous, event);
  assert(state.status !== 'none', 'an applied approval event leaves a request');
  const index = state.status === 'pending' ? currentStepIndex(state) : undefined;
  const columns = [
    state.status,
    index === undefined ? null : state.steps[index]!.role,
    state.expiresAt ?? null,
    recorded.position,
    JSON.stringify(state),
  ];
  if (event.type === 'ApprovalRequested') {
    await tx.execute(
      `INSERT INTO ${approvalRequestsTable} (id, seq, book, action, requester_person, status, open_role, expires_at, updated_position, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        approvalId,
        recorded.position,
        state.book,
        state.action,
        personOf(state.requestedBy.name),
        ...columns,
      ],
    );
  } else {
    await tx.execute(
      `UPDATE ${approvalRequestsTable} SET status = ?, open_role = ?, expires_at = ?, updated_position = ?, state = ? WHERE id = ?`,
      [...columns, approvalId],
    );
  }
  if (event.type === 'ApprovalGranted' || event.type === 'ApprovalRejected') {
    await insertDecision(
      tx,
      recorded.position,
      event.data,
      event.type === 'ApprovalGranted' ? 'approved' : 'rejected',
      decisionText(event),
    );
  }
}

function decisionText(event: ApprovalRequestEvent): string | null {
  if (event.type === 'ApprovalGranted') return event.data.comment ?? null;
  if (event.type === 'ApprovalRejected') return event.data.reason;
  return null;
}

async function insertDecision(
  tx: SqlDatabase,
  position: bigint,
  data: DecisionData,
  decision: string,
  comment: string | null,
): Promise<void> {
  await tx.execute(
    `INSERT INTO ${approvalDecisionsTable}
       (position, approval_id, step_index, role, decision, by_key_id, by_name, on_behalf_of_key_id, on_behalf_of_name, at, comment)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (position) DO NOTHING`,
    [
      position,
      data.approvalId,
      data.stepIndex,
      data.role,
      decision,
      data.by.keyId,
      data.by.name,
      data.onBehalfOf?.keyId ?? null,
      data.onBehalfOf?.name ?? null,
      data.at,
      comment,
    ],
  );
}
