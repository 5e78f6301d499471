import { plants, Plant } from './faults.js';
import { simulate } from './simulation.js';

/** `npm run sim -- --seed S --ops N [--plant P]` or `--replay SEED`: one run, one summary line. */
async function main(argv: string[]): Promise<number> {
  const option = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index < 0 ? undefined : argv[index + 1];
  };
  const seed = Number(option('replay') ?? option('seed') ?? Math.floor(Math.random() * 2 ** 32));
  const operations = Number(option('ops') ?? 10_000);
  const plant = option('plant') as Plant | undefined;
  if (plant !== undefined && !plants.includes(plant)) {
    console.error(`--plant must be one of ${plants.join(', ')}`);
    return 2;
  }
  const cpuBefore = process.cpuUsage();
  const result = await simulate(seed, operations, plant);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (result.violation) {
    console.error(
      `seed ${seed}: invariant violated: ${result.violation.invariant}: ${result.violation.detail}`,
    );
    console.error(
      `replay: npm run sim -- --replay ${seed} --ops ${operations}${plant ? ` --plant ${plant}` : ''}`,
    );
    console.error(`last steps:\n  ${result.tail.join('\n  ')}`);
  }
  const perSecond = Math.round((result.operations / result.milliseconds) * 1000);
  const { approvals, billing } = result;
  console.log(
    `seed ${seed}: ${result.operations} operations (${result.outcomes.toString()}), ${result.events} events, ${result.books} books, ` +
      `approvals requested=${approvals.requested} approved=${approvals.approved} executed=${approvals.executed} execution-failed=${approvals.failed} rejected-expired-cancelled=${approvals.closedUnexecuted} posted-while-held=${approvals.postedWhileHeld} held-after-posted=${approvals.heldAfterPosted}, ` +
      `invoices=${billing.invoices} credit-notes=${billing.creditNotes} numbers-answered=${billing.answers}, ` +
      `${result.steps} steps, ${(result.milliseconds / 1000).toFixed(1)} s (cpu ${cpuSeconds.toFixed(1)} s), ${perSecond} ops/s, faults ${result.faults.toString()}, trace ${result.trace}`,
  );
  return result.violation ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(3);
  },
);
