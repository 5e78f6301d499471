import { Leadership, LeaderOnlyWorker } from './leadership.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function recordingWorker(
  name: string,
  journal: string[],
  options: { failStart?: boolean } = {},
): LeaderOnlyWorker {
  return {
    name,
    start: async () => {
      if (options.failStart) throw new Error(`${name} cannot start`);
      journal.push(`start ${name}`);
    },
    stop: async () => {
      journal.push(`stop ${name}`);
    },
  };
}

describe('Leadership', () => {
  it('starts workers in registration order on gaining leadership and stops them in reverse on losing it', async () => {
    const journal: string[] = [];
    const leadership = new Leadership('i-1', quiet);
    leadership.register(recordingWorker('projections', journal));
    leadership.register(recordingWorker('webhooks', journal));

    await leadership.gained();
    expect(leadership.isLeader).toBe(true);
    await leadership.lost('connection lost');

    expect(leadership.isLeader).toBe(false);
    expect(journal).toEqual([
      'start projections',
      'start webhooks',
      'stop webhooks',
      'stop projections',
    ]);
  });

  it('starts a worker registered while leading at once, and stops it when it is removed', async () => {
    const journal: string[] = [];
    const leadership = new Leadership('i-1', quiet);
    await leadership.gained();

    const remove = leadership.register(recordingWorker('expiry', journal));
    await leadership.gained();
    await remove();
    await leadership.lost('resigned');

    expect(journal).toEqual(['start expiry', 'stop expiry']);
  });

  it('tells observers of leadership$ the current value and every change, once', async () => {
    const leadership = new Leadership('i-1', quiet);
    const seen: boolean[] = [];
    leadership.leadership$.subscribe((leading) => seen.push(leading));

    await leadership.gained();
    await leadership.gained();
    await leadership.lost('a');
    await leadership.close();

    expect(seen).toEqual([false, true, false]);
  });

  it('keeps the others running when one worker fails to start, and never stops what did not start', async () => {
    const journal: string[] = [];
    const leadership = new Leadership('i-1', quiet);
    leadership.register(recordingWorker('broken', journal, { failStart: true }));
    leadership.register(recordingWorker('projections', journal));

    await leadership.gained();
    await leadership.close();

    expect(journal).toEqual(['start projections', 'stop projections']);
  });

  it('does not start workers whose start was queued behind a loss', async () => {
    const journal: string[] = [];
    const leadership = new Leadership('i-1', quiet);
    leadership.register(recordingWorker('projections', journal));

    const gaining = leadership.gained();
    const losing = leadership.lost('lost before the start ran');
    await Promise.all([gaining, losing]);

    expect(leadership.isLeader).toBe(false);
    expect(journal).toEqual([]);
  });
});
