/**
 * docker/ and docs/operations.md checked without Docker: the compose file parses (with the
 * `yaml` package) and every service can start (image or build, declared volumes, known settings),
 * the commented 3-node KurrentDB cluster parses once uncommented, the Dockerfile is multi-stage,
 * non-root, with a healthcheck and no dev dependencies, and every environment variable Kontor
 * reads is documented in docs/operations.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseDocument } from 'yaml';

const root = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Where source code reads a setting: `process.env.X`, `env.X`, `env['X']`, and helpers called as `f(env, 'X', …)`. */
const envReadPatterns = [
  /\benv\.([A-Z][A-Z0-9_]*)\b/g,
  /\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  /\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every environment variable the application code reads, with the files that read it. */
function environmentReads(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of envReadPatterns) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1]!;
        reads.set(name, [...new Set([...(reads.get(name) ?? []), relative(root, file)])]);
      }
    }
  }
  return reads;
}

function composeFile(): ComposeFile {
  const document = parseDocument(read('docker/docker-compose.yml'), { merge: true });
  expect(document.errors).toEqual([]);
  return document.toJS({ maxAliasCount: 100 }) as ComposeFile;
}

/** The commented-out production cluster, uncommented: the block from `# kurrentdb-1:` on. */
function commentedCluster(): Record<string, ComposeService> {
  const lines = read('docker/docker-compose.yml').split('\n');
  const start = lines.findIndex((line) => /^ {2}# kurrentdb-1:/.test(line));
  expect(start).toBeGreaterThan(0);
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    const match = /^ {2}#(?: (.*))?$/.exec(line);
    if (!match || /^\(and add/.test(match[1] ?? '')) break;
    block.push(match[1] ?? '');
  }
  return parse(block.join('\n'), { merge: true }) as Record<string, ComposeService>;
}

const kontorServices = (compose: ComposeFile) =>
  Object.entries(compose.services).filter(
    ([, service]) => service.image?.startsWith('kontor') || service.build !== undefined,
  );

describe('docker/docker-compose.yml', () => {
  const compose = composeFile();
  const reads = environmentReads();

  it('gives every service an image or a build', () => {
    const without = Object.entries(compose.services).filter(
      ([, service]) => !service.image && !service.build,
    );
    expect(without.map(([name]) => name)).toEqual([]);
  });

  it('runs Kontor with PostgreSQL by default and a single KurrentDB node in the kurrentdb profile', () => {
    const byProfile = (profile: string | undefined) =>
      Object.entries(compose.services)
        .filter(([, service]) =>
          profile === undefined ? !service.profiles : service.profiles?.includes(profile),
        )
        .map(([name]) => name)
        .sort();
    expect(byProfile(undefined)).toEqual(['kontor', 'postgres']);
    expect(byProfile('kurrentdb')).toEqual(['kontor-kurrentdb', 'kurrentdb']);
    expect(compose.services.kontor!.environment).toMatchObject({ KONTOR_STORE: 'postgres' });
    expect(compose.services.kontor!.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
    });
    expect(compose.services.kurrentdb!.environment).toMatchObject({
      KURRENTDB_CLUSTER_SIZE: 1,
      KURRENTDB_INSECURE: 'true',
    });
    expect(compose.services['kontor-kurrentdb']!.environment).toMatchObject({
      KONTOR_STORE: 'kurrentdb',
    });
  });

  it('builds Kontor from docker/Dockerfile with the repository as the context', () => {
    for (const [, service] of kontorServices(compose)) {
      expect(service.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    }
    expect(existsSync(join(root, 'docker/Dockerfile'))).toBe(true);
  });

  it('declares every named volume it mounts, and mounts a volume for each data directory', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.') || source.startsWith('/')) {
          expect({ service: name, exists: existsSync(resolve(root, 'docker', source)) }).toEqual({
            service: name,
            exists: true,
          });
        } else {
          expect(declared).toContain(source);
        }
      }
    }
    for (const name of ['postgres', 'kontor', 'kurrentdb', 'kontor-kurrentdb']) {
      expect(
        (compose.services[name]!.volumes ?? []).some((volume) => !volume.startsWith('.')),
      ).toBe(true);
    }
  });

  it('sets only settings Kontor reads, and what each store needs', () => {
    for (const [name, service] of kontorServices(compose)) {
      const variables = Object.keys(service.environment ?? {});
      expect({
        service: name,
        unknown: variables.filter((variable) => !reads.has(variable)),
      }).toEqual({ service: name, unknown: [] });
      const environment = service.environment!;
      if (environment.KONTOR_STORE === 'postgres')
        expect(String(environment.DATABASE_URL)).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      if (environment.KONTOR_STORE === 'kurrentdb')
        expect(String(environment.KURRENTDB_URL)).toMatch(/^kurrentdb:\/\/admin:.+@kurrentdb:2113/);
    }
    // Two event logs never share one set of read models.
    const readModelDatabases = kontorServices(compose).map(
      ([, service]) => service.environment!.DATABASE_URL,
    );
    expect(new Set(readModelDatabases).size).toBe(readModelDatabases.length);
  });

  it('documents a 3-node KurrentDB cluster for production that parses once uncommented', () => {
    const cluster = commentedCluster();
    expect(Object.keys(cluster)).toEqual(['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3']);
    for (const [name, node] of Object.entries(cluster)) {
      expect(node.image).toMatch(/kurrentdb/);
      expect(node.environment).toMatchObject({ KURRENTDB_CLUSTER_SIZE: 3 });
      const others = Object.keys(cluster).filter((other) => other !== name);
      expect(
        String(node.environment!.KURRENTDB_GOSSIP_SEED)
          .split(',')
          .map((seed) => seed.split(':')[0])
          .sort(),
      ).toEqual(others);
      expect(node.environment!.KURRENTDB_CERTIFICATE_FILE).toMatch(/^\/certs\/node\d\/node\.crt$/);
      expect(node.volumes!.some((volume) => volume.startsWith(`${name}-data:`))).toBe(true);
    }
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('builds in one stage and runs in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm run build/);
  });

  it('ships no dev dependencies, no toolchain and no sources in the runtime image', () => {
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/node_modules/);
    expect(runtime).not.toMatch(/npm (ci|install)|apt-get|COPY (--\S+ )*src /);
  });

  it("puts the console's files beside its compiled code (the runtime image has no src/)", () => {
    expect(stages[0]).toMatch(/cp -r src\/console\/api\/assets dist\/src\/console\/api\//);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/dist /);
  });

  it('runs as a non-root user with a healthcheck', () => {
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "dist\/src\/cli\.js"\]/m);
  });

  it('keeps the build context small (BuildKit reads docker/Dockerfile.dockerignore)', () => {
    const ignore = read('docker/Dockerfile.dockerignore').split('\n');
    expect(ignore).toContain('**');
    expect(
      ignore.filter((line) => line.startsWith('!')).some((line) => /node_modules/.test(line)),
    ).toBe(false);
    // Everything the Dockerfile copies from the context is let through.
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap(
      (match) => match[1]!.split(' '),
    );
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'bin']),
    );
    const blocked = copied.filter(
      (source) => !ignore.some((line) => line === `!${source}` || line === `!${source}/**`),
    );
    expect(blocked).toEqual([]);
  });
});

describe('docs/operations.md', () => {
  const operations = read('docs/operations.md');
  const reads = environmentReads();

  it('finds the settings Kontor reads (the scan itself works)', () => {
    for (const known of [
      'PORT',
      'HOST',
      'KONTOR_STORE',
      'DATABASE_URL',
      'KURRENTDB_URL',
      'KONTOR_LEADER_RETRY_MS',
      'KONTOR_CONSISTENCY_TIMEOUT_MS',
    ]) {
      expect(reads.has(known)).toBe(true);
    }
  });

  it('documents every environment variable Kontor reads', () => {
    const undocumented = [...reads]
      .filter(([name]) => !new RegExp(`\`${name}\``).test(operations))
      .map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(undocumented).toEqual([]);
  });

  it('covers deployment, backup and restore, scaling and upgrades', () => {
    for (const heading of [
      '## Deploy',
      '### Single node on SQLite',
      '### PostgreSQL',
      '### KurrentDB',
      '## Settings',
      '## Backup and restore',
      '## Scaling',
      '### Leader election',
      '## Upgrades and migrations',
    ]) {
      expect(operations).toContain(heading);
    }
    expect(operations).toMatch(/pg_dump/);
    expect(operations).toMatch(/kontor verify --digest/);
  });
});
