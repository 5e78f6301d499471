import type { INestApplicationContext } from '@nestjs/common';

/** What every demo step gets: the booted app (no HTTP), the demo book, and metadata for its commands. */
export interface DemoContext {
  app: INestApplicationContext;
  book: string;
  /** Event metadata for one command; the command id derives from the book and `step`. */
  metadata(step: string): {
    actor: { id: string; name: string };
    correlationId: string;
    commandId: string;
  };
  log(line: string): void;
  /** Raise it to the position of each write, so the caller can wait for the read models. */
  reached(position: bigint): void;
}
