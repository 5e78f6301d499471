import { Logger } from '@nestjs/common';
import { Actor, Clock, deterministicId, newId } from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { ApprovalsReadModel } from '../projections/approvals-read-model.js';
import { ApprovalRequests } from './approval-requests.js';

export const expiryIntervalMillisecondsDefault = 60_000;
export const expiryIntervalMillisecondsMax = 86_400_000;

export const approvalExpiryActor: Actor = { id: 'system', name: 'approval-expiry' };

export interface ExpirySettings {
  /** 0 turns the timer off (runOnce still works). */
  intervalMilliseconds: number;
  readOnly: boolean;
}

/** `KONTOR_APPROVAL_EXPIRY_INTERVAL_MS`: 0 (off) to one day; default one minute. */
export function expiryIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.KONTOR_APPROVAL_EXPIRY_INTERVAL_MS;
  if (text === undefined || text === '') return expiryIntervalMillisecondsDefault;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > expiryIntervalMillisecondsMax) {
    throw new Error(
      `KONTOR_APPROVAL_EXPIRY_INTERVAL_MS must be an integer from 0 to ${expiryIntervalMillisecondsMax}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * Expires overdue requests: finds pending requests past `expiresAt` (by the injected clock) in the
 * read model and issues ExpireApproval for each — a no-op for one decided meanwhile or not yet
 * due, so a stale read model or two runs at once do no harm. Runs on a timer where projections
 * run (the leader); tests call `runOnce()` after moving a ManualClock.
 */
export class ApprovalExpiryScheduler {
  private readonly logger = new Logger('ApprovalExpiry');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(
    private readonly readModel: ApprovalsReadModel,
    private readonly requests: ApprovalRequests,
    private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    private readonly settings: ExpirySettings,
  ) {}

  /** Expires every due request now; returns the ids that were expired by this run. */
  runOnce(): Promise<string[]> {
    this.running ??= this.expireDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  onApplicationBootstrap(): void {
    if (this.settings.readOnly || this.settings.intervalMilliseconds === 0) return;
    this.timer = setInterval(() => {
      if (!this.projections.isStarted) return; // not the leader
      this.runOnce().catch((error: unknown) =>
        this.logger.error(`expiring approvals failed: ${String(error)}`),
      );
    }, this.settings.intervalMilliseconds);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
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
