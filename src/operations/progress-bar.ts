import cliProgress from 'cli-progress';
import { ReplayProgress } from './replay.js';

/**
 * A progress bar on stderr (events/s, ETA), so stdout stays clean for data. cli-progress draws
 * only on a terminal; piped or in CI it prints nothing.
 */
export function progressBar(
  stream: NodeJS.WriteStream = process.stderr,
  unit = 'events',
): ReplayProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `{task} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}`,
      etaBuffer: 50,
      fps: 10,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = 0;
  let startValue = 0;
  return {
    start(task, total) {
      startedAt = performance.now();
      startValue = 0;
      bar.start(Number(total), 0, { task: task.padEnd(16), speed: 0 });
    },
    update(position) {
      const seconds = (performance.now() - startedAt) / 1000;
      const value = Number(position);
      bar.update(value, { speed: seconds > 0 ? Math.round((value - startValue) / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
