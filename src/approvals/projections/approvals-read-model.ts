import { Role } from '../../access/index.js';
import { parsePosition, ValidationError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toBigInt } from '../../infrastructure/sql/index.js';
import { ApprovalRequestState, ApprovalStatus } from '../domain/approval-request.state.js';
import { ApprovalView, approvalView, isAssignedTo } from '../domain/approval-request.view.js';
import { personOf } from '../domain/gated-action.js';
import { approvalRequestsTable } from './approvals.projection.js';

export const approvalsLimitDefault = 100;
export const approvalsLimitMax = 1000;
/** Rows looked at per page when `assignedToMe` filters in memory; a page may then end early, with a cursor. */
export const approvalsExaminedPerPageMax = 10_000;
/** Due requests expired per scheduler run; the next run takes the rest. */
export const expiryBatchMax = 500;
const cursorLengthMax = 100;

export interface ApprovalsPage {
  items: ApprovalView[];
  nextCursor: string | null;
}

export interface ApprovalsQuery {
  status?: ApprovalStatus;
  book?: string;
  /** Only these books (a book-restricted key). */
  books?: readonly string[];
  /** `assignedToMe`: the person's name and every role they hold now, delegated roles included. */
  assignedTo?: { name: string; roles: readonly Role[] };
  limit?: number;
  cursor?: string;
}

interface RequestRow {
  seq: unknown;
  state: string;
}

/** Queries on the `approvals` projection. */
export class ApprovalsReadModel {
  constructor(private readonly db: SqlDatabase) {}

  async find(
    approvalId: string,
  ): Promise<{ view: ApprovalView; state: ApprovalRequestState } | undefined> {
    const [row] = await this.db.query<RequestRow>(
      `SELECT seq, state FROM ${approvalRequestsTable} WHERE id = ?`,
      [approvalId],
    );
    if (!row) return undefined;
    const state = JSON.parse(row.state) as ApprovalRequestState;
    return { view: approvalView(state), state };
  }

  async list(query: ApprovalsQuery): Promise<ApprovalsPage> {
    const limit = query.limit ?? approvalsLimitDefault;
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.status !== undefined) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.book !== undefined) {
      where.push('book = ?');
      params.push(query.book);
    }
    if (query.books !== undefined) {
      if (query.books.length === 0) return { items: [], nextCursor: null };
      where.push(`book IN (${query.books.map(() => '?').join(', ')})`);
      params.push(...query.books);
    }
    const assignedTo = query.assignedTo;
    if (assignedTo !== undefined) {
      if (assignedTo.roles.length === 0) return { items: [], nextCursor: null };
      where.push(
        `status = 'pending'`,
        `open_role IN (${assignedTo.roles.map(() => '?').join(', ')})`,
        'requester_person <> ?',
      );
      params.push(...assignedTo.roles, personOf(assignedTo.name));
    }
    let after = query.cursor !== undefined ? decodeCursor(query.cursor) : -1n;
    const items: { seq: bigint; view: ApprovalView }[] = [];
    for (let examined = 0; examined < approvalsExaminedPerPageMax;) {
      const batchSize = Math.min(limit + 1, approvalsExaminedPerPageMax - examined);
      const rows = await this.db.query<RequestRow>(
        `SELECT seq, state FROM ${approvalRequestsTable} WHERE ${[...where, 'seq > ?'].join(' AND ')} ORDER BY seq LIMIT ?`,
        [...params, after, batchSize],
      );
      examined += rows.length;
      for (const row of rows) {
        const state = JSON.parse(row.state) as ApprovalRequestState;
        if (assignedTo === undefined || isAssignedTo(state, assignedTo))
          items.push({ seq: toBigInt(row.seq), view: approvalView(state) });
        if (items.length > limit)
          return {
            items: items.slice(0, limit).map((item) => item.view),
            nextCursor: encodeCursor(items[limit - 1]!.seq),
          };
      }
      if (rows.length < batchSize)
        return { items: items.map((item) => item.view), nextCursor: null };
      after = toBigInt(rows[rows.length - 1]!.seq);
    }
    return { items: items.map((item) => item.view), nextCursor: encodeCursor(after) };
  }

  /** Pending requests whose expiry is at or before `now` (ISO 8601 UTC strings compare in time order). */
  async dueForExpiry(now: string, limit = expiryBatchMax): Promise<{ id: string; book: string }[]> {
    const rows = await this.db.query<{ id: string; book: string }>(
      `SELECT id, book FROM ${approvalRequestsTable} WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    );
    return rows.map((row) => ({ id: row.id, book: row.book }));
  }
}

function encodeCursor(seq: bigint): string {
  return Buffer.from(`a:${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const text =
    cursor.length <= cursorLengthMax ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^a:(\d+)$/.exec(text);
  const seq = match ? parsePosition(match[1]!) : undefined;
  if (seq === undefined)
    throw new ValidationError('cursor: not a cursor returned by this endpoint', [
      { field: 'cursor', message: 'not a cursor returned by this endpoint' },
    ]);
  return seq;
}
