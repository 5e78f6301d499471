import { createHash, Hash } from 'node:crypto';

/** Lines kept for the short trace printed with a violation. */
const recentLinesMax = 40;
const hashChunkLength = 64 * 1024;

/**
 * The run's trace: every scheduling decision and outcome goes into one running sha256 (same
 * seed → same hash, bit for bit), and the last few lines are kept to show with a failure.
 */
export class Trace {
  private readonly hash: Hash = createHash('sha256');
  private readonly recent: string[] = [];
  private next = 0;
  private pending = '';
  lines = 0;

  record(line: string): void {
    // Hashed in chunks (the same bytes, far fewer calls into the hash).
    this.pending += `${line}\n`;
    if (this.pending.length >= hashChunkLength) this.flush();
    this.lines++;
    if (this.recent.length < recentLinesMax) this.recent.push(line);
    else this.recent[this.next] = line;
    this.next = (this.next + 1) % recentLinesMax;
  }

  /** The last lines recorded, oldest first. */
  tail(): string[] {
    return this.recent.length < recentLinesMax
      ? [...this.recent]
      : [...this.recent.slice(this.next), ...this.recent.slice(0, this.next)];
  }

  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  private flush(): void {
    this.hash.update(this.pending);
    this.pending = '';
  }
}
