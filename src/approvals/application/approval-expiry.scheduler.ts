import { Actor, Clock, deterministicId, newId } from '../../event-sourcing/index.js';
import {
  PeriodicJob,
  PeriodicJobSettings,
  ProjectionsService,
  intervalFromEnv,
  periodicJobIntervalMillisecondsMax,
} from '../../infrastructure/projections/index.js';
import { ApprovalsReadModel } from '../projections/approvals-read-model.js';
import { ApprovalRequests } from './approval-requests.js';

export const expiryIntervalMillisecondsDefault = 60_000;
export const expiryIntervalMillisecondsMax = periodicJobIntervalMillisecondsMax;

export const approvalExpiryActor: Actor = { id: 'system', name: 'approval-expiry' };

export type ExpirySettings = PeriodicJobSettings;

/** `KONTOR_APPROVAL_EXPIRY_INTERVAL_MS`: 0 (off) to one day; default one minute. */
export function expiryIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return intervalFromEnv(
    'KONTOR_APPROVAL_EXPIRY_INTERVAL_MS',
    expiryIntervalMillisecondsDefault,
    env,
  );
}

/**
 * Expires overdue requests: finds pending requests past `expiresAt` (by the injected clock) in the
 * read model and issues ExpireApproval for each — a no-op for one decided meanwhile or not yet
 * due, so a stale read model or two runs at once do no harm. Runs on a timer where projections
 * run (the leader); tests call `runOnce()` after moving a ManualClock.
 */
export class ApprovalExpiryScheduler extends PeriodicJob<string[]> {
  constructor(
    private readonly readModel: ApprovalsReadModel,
    private readonly requests: ApprovalRequests,
    private readonly clock: Clock,
    projections: ProjectionsService,
    settings: ExpirySettings,
  ) {
    super('ApprovalExpiry', projections, settings);
  }

  /** Expires every due request now; the ids that were expired by this run. */
  protected work(): Promise<string[]> {
    return this.expireDue();
  }

  private async expireDue(): Promise<string[]> {
    const now = this.clock.now().toISOString();
    const expired: string[] = [];
    for (const { id, book } of await this.readModel.dueForExpiry(now)) {
      try {
        const handled = await this.requests.handle(
          id,
          { type: 'ExpireApproval', approvalId: id, now },
          {
            actor: approvalExpiryActor,
            correlationId: newId(),
            commandId: deterministicId('kontor.approval.expire', id),
            book,
          },
        );
        if (handled.positions.length > 0) expired.push(id);
      } catch (error) {
        this.logger.error(`expiring approval ${id} failed: ${String(error)}`);
      }
    }
    return expired;
  }
}
