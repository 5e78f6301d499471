// `npm run bench -- <suite> [options]`: benchmarks (not tests). A suite is a module exporting
// `run(args)`; adding one is one line below.
interface Suite {
  description: string;
  load: () => Promise<{ run(args: string[]): Promise<void> }>;
}

const suites: Record<string, Suite> = {
  store: {
    description: 'event store append and read throughput, Kontor vs Emmett (SQLite, PostgreSQL)',
    load: () => import('./store.bench.js'),
  },
  audit: {
    description:
      'verify speed, audit-trail rebuild and filtered audit query latency over 1M events (SQLite)',
    load: () => import('./audit.bench.js'),
  },
  sse: {
    description:
      'SSE fan-out to 50 subscribers at 1,000 events/s: p99 append-to-receive latency and server memory (SQLite)',
    load: () => import('./sse.bench.js'),
  },
  ledger: {
    description:
      'ledger postings over HTTP (SQLite, PostgreSQL) and read-model rebuild from 1M events',
    load: () => import('./ledger.bench.js'),
  },
  relay: {
    description:
      'broker relay throughput (NATS JetStream, RabbitMQ) against the log append rate in the same run (SQLite)',
    load: () => import('./relay.bench.js'),
  },
  'personal-data': {
    description: "seal and open a natural person's fields (AES-256-GCM, SQLite key store)",
    load: () => import('./personal-data.bench.js'),
  },
  import: {
    description: 'kontor import of a generated 100,000-entry hledger journal (SQLite), then again',
    load: () => import('./import.bench.js'),
  },
  statements: {
    description:
      'camt.053 import of 2,000 lines matched to 2,000 open items (200 customers), then the same file again (SQLite)',
    load: () => import('./statements.bench.js'),
  },
  einvoice: {
    description: 'render (UBL, CII, Factur-X PDF), read and rule-check one 1,000-line e-invoice',
    load: () => import('./einvoice.bench.js'),
  },
};

function usage(): string {
  const lines = Object.entries(suites).map(
    ([name, suite]) => `  ${name.padEnd(10)} ${suite.description}`,
  );
  return ['usage: npm run bench -- <suite> [options]', '', 'suites:', ...lines].join('\n');
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const suite = name === undefined ? undefined : suites[name];
  if (suite === undefined) {
    console.error(name === undefined ? usage() : `unknown benchmark suite "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  await (await suite.load()).run(args);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
