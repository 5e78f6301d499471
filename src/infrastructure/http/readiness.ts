import { Injectable } from '@nestjs/common';

/** A readiness check resolves when its part works and throws (with a reason) when it does not. */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  ready: boolean;
  checks: { name: string; ok: boolean; reason?: string }[];
}

/** A check that does not answer within this time counts as failed. */
export const readinessCheckTimeoutMilliseconds = 2_000;

/**
 * What `GET /health/ready` asks. The infrastructure module registers the event store check;
 * other modules register theirs at start, e.g. the projection runner:
 *
 *   constructor(readiness: ReadinessRegistry) {
 *     readiness.register('projections', () => { if (!this.running) throw new Error('projections are not running'); });
 *   }
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  async report(): Promise<ReadinessReport> {
    const checks = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(Promise.resolve().then(check), readinessCheckTimeoutMilliseconds);
          return { name, ok: true };
        } catch (error) {
          return {
            name,
            ok: false,
            reason: error instanceof Error ? error.message : String(error),
          };
        }
      }),
    );
    return { ready: checks.every((check) => check.ok), checks };
  }
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${milliseconds} ms`)),
      milliseconds,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
