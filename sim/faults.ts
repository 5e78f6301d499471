import { Random } from './random.js';

export const faultKinds = [
  'append-before-commit',
  'append-after-commit',
  'fsync-error',
  'torn-tail',
  'crash',
  'clock-jump',
  'slow-read',
  'duplicate-delivery',
  'client-retry',
  'competing-append',
  'racing-approver',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** The defects `--plant` puts in, each through a seam of the simulated store or projection. */
export const plants = [
  'ack-before-commit',
  'double-apply',
  'skip-expected-revision',
  'number-gap',
] as const;
export type Plant = (typeof plants)[number];

/** Each fault's probability for this run (per append, per step, per command), drawn from the seed. */
export interface FaultPlan {
  appendBeforeCommit: number;
  appendAfterCommit: number;
  fsyncError: number;
  crashPerStep: number;
  clockJumpPerStep: number;
  slowRead: number;
  duplicateDelivery: number;
  clientRetry: number;
  /** Share of commands sent to the competing instance (0: it does not run). */
  competingShare: number;
}

export function faultPlanOf(random: Random, plant: Plant | undefined): FaultPlan {
  const plan: FaultPlan = {
    appendBeforeCommit: random.float() * 0.03,
    appendAfterCommit: random.float() * 0.03,
    fsyncError: random.float() * 0.02,
    crashPerStep: random.float() * 0.0006,
    clockJumpPerStep: random.float() * 0.0005,
    slowRead: random.float() * 0.1,
    duplicateDelivery: random.float() * 0.05,
    clientRetry: 0.3 + random.float() * 0.7,
    competingShare: random.chance(0.8) ? 0.02 + random.float() * 0.18 : 0,
  };
  // A planted defect needs the faults that expose it to happen at all.
  if (plant === 'ack-before-commit')
    plan.appendBeforeCommit = Math.max(plan.appendBeforeCommit, 0.05);
  if (plant === 'skip-expected-revision') plan.competingShare = Math.max(plan.competingShare, 0.4);
  return plan;
}

export class FaultCounts {
  private readonly counts = new Map<FaultKind, number>(faultKinds.map((kind) => [kind, 0]));

  add(kind: FaultKind): void {
    this.counts.set(kind, this.counts.get(kind)! + 1);
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  toString(): string {
    return faultKinds.map((kind) => `${kind}=${this.counts.get(kind)}`).join(' ');
  }
}

/** The error a failing disk or database gives (storeFaultOf reads it as "unavailable"). */
export function ioError(message: string): Error {
  return Object.assign(new Error(`simulated ${message}`), { code: 'SQLITE_IOERR' });
}
