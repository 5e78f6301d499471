/**
 * Crash consistency (docs/reliability.md): 32 clients post entries with Idempotency-Keys to a real
 * `kontor serve` process that is SIGKILLed at random moments and restarted; unacknowledged
 * requests are retried with the same key and body. Afterwards every key is posted exactly once,
 * the trial balance equals the acknowledged sums to the minor unit in every currency, the hash
 * chain verifies, and every read model equals a rebuild from zero.
 *
 * Short form in `npm test` (5 kills per store); the long form: `npm run test:crash`
 * (KONTOR_CRASH_KILLS=40). Also KONTOR_CRASH_CLIENTS, KONTOR_CRASH_SEED, KONTOR_CRASH_STORES=sqlite,postgres,
 * and KONTOR_CRASH_CLI=<path to a built cli.js> to run against that build instead of compiling src/.
 */
import { CrashStore, runCrashTrial, summaryLine } from '../crash/crash-run.js';
import { builtCli, cliBuildTimeoutMilliseconds } from '../support/cli.js';

const kills = integerFromEnv('KONTOR_CRASH_KILLS', 5);
const clients = integerFromEnv('KONTOR_CRASH_CLIENTS', 32);
const seed = integerFromEnv('KONTOR_CRASH_SEED', Math.floor(Math.random() * 2 ** 31));
const stores = (process.env.KONTOR_CRASH_STORES ?? 'sqlite,postgres').split(',') as CrashStore[];
/** A boot and a kill take a few seconds on a busy machine; the checks a little more. */
const runTimeoutMilliseconds = 120_000 + kills * 10_000;

function integerFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return parsed;
}

describe('crash consistency: SIGKILL at random moments, clients retry with the same Idempotency-Key', () => {
  let cliPath: string;

  beforeAll(() => {
    cliPath = process.env.KONTOR_CRASH_CLI || builtCli();
  }, cliBuildTimeoutMilliseconds);

  it.each(stores)(
    `%s: ${kills} kills, ${clients} clients: every key exactly once, trial balance = acknowledged sums, verify ok, read models = rebuild`,
    async (store) => {
      const report = await runCrashTrial({ store, kills, clients, seed, cliPath });
      console.log(summaryLine(report));

      expect(report.mismatches).toEqual([]);
      expect(report.mismatchCount).toBe(0);
      expect(report.kills).toBe(kills);
      expect(report.acknowledged).toBeGreaterThan(0);
      expect(report.postedEvents).toBe(report.acknowledged);
    },
    runTimeoutMilliseconds,
  );
});
