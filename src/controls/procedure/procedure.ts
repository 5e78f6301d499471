import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KontorConfig } from '../../config.js';
import { EventStore, readBatchSizeMax } from '../../event-sourcing/index.js';

export interface EnforcedControl {
  control: string;
  tests: string[];
}

export interface ProcedureKey {
  keyId: string;
  name: string;
  roles: string[];
  books: string[] | null;
}

export interface ProcedureInput {
  version: string;
  store: string;
  modules: readonly string[];
  controls: readonly EnforcedControl[];
  keys: readonly ProcedureKey[];
  generatedAt: string;
}

/** The project root: the nearest directory with a package.json above this file (src/ or dist/src/). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

const projectRoot = findProjectRoot(__dirname);

export const enforcedControlsFile = join(
  projectRoot,
  'src/controls/procedure/enforced-controls.json',
);

export function enforcedControls(): EnforcedControl[] {
  return JSON.parse(readFileSync(enforcedControlsFile, 'utf8')) as EnforcedControl[];
}

export function kontorVersion(): string {
  return (
    JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/** The live key set from the `api-keys` stream: issued and not revoked. Names, roles, books — no secrets. */
export async function liveKeys(store: EventStore): Promise<ProcedureKey[]> {
  const keys = new Map<string, ProcedureKey>();
  let fromRevision = 0;
  for (;;) {
    const batch = await store.readStream('api-keys', { fromRevision, limit: readBatchSizeMax });
    for (const event of batch) {
      const data = event.data as { keyId: string; name: string; roles: string[]; books?: string[] };
      if (event.type === 'ApiKeyIssued')
        keys.set(data.keyId, {
          keyId: data.keyId,
          name: data.name,
          roles: data.roles,
          books: data.books ?? null,
        });
      if (event.type === 'ApiKeyRevoked') keys.delete(data.keyId);
    }
    if (batch.length < readBatchSizeMax) return [...keys.values()];
    fromRevision = batch[batch.length - 1]!.revision + 1;
  }
}

export function procedureInput(
  config: KontorConfig,
  keys: readonly ProcedureKey[],
  now: Date,
): ProcedureInput {
  const store = config.store === 'sqlite' ? `SQLite in ${config.dataDir}` : config.store;
  return {
    version: kontorVersion(),
    store,
    modules: [
      'ledger',
      'audit',
      'access',
      'approvals',
      'parties',
      'billing',
      'banking',
      'controls',
      'subscriptions',
      'console',
    ],
    controls: enforcedControls(),
    keys,
    generatedAt: now.toISOString(),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** The skeleton of a GoBD Verfahrensdokumentation (Markdown); docs/verfahrensdokumentation.md. */
export function renderProcedure(input: ProcedureInput): string {
  const controls = input.controls
    .map(
      (control) =>
        `| ${cell(control.control)} | ${control.tests.map((test) => `\`${test}\``).join(', ')} |`,
    )
    .join('\n');
  const keys = input.keys
    .map(
      (key) =>
        `| ${cell(key.name)} | ${key.keyId} | ${key.roles.join(', ')} | ${key.books === null ? 'all books' : key.books.map(cell).join(', ')} |`,
    )
    .join('\n');
  return `# Verfahrensdokumentation (Skelett) — Kontor ${input.version}

Erzeugt am ${input.generatedAt} mit \`kontor docs procedure\` aus der laufenden Konfiguration.
Abschnitte mit _Zu ergänzen_ füllt das Unternehmen aus (GoBD Rz. 151 ff.).

## 1. Allgemeine Beschreibung

_Zu ergänzen: Unternehmen, Organisation, Verantwortliche._

## 2. Systembeschreibung (technisch)

- Software: Kontor ${input.version} (ereignisbasierte Buchhaltung; jede Änderung ist ein Ereignis im Protokoll)
- Speicher: ${input.store}
- Module: ${input.modules.join(', ')}

## 3. Kontrollen, die Kontor durchsetzt (internes Kontrollsystem)

| Kontrolle | Geprüft in |
|---|---|
${controls}

## 4. Aufbewahrung

Das Protokoll wird nie verändert oder gelöscht; Buchungen und Belege bleiben mindestens 10 Jahre
(§ 147 AO, § 257 HGB) lesbar und maschinell auswertbar (Export: \`kontor export\`, Prüfpfad:
\`kontor audit export\`). _Zu ergänzen: Sicherung, Speicherort, Löschkonzept nach Fristablauf._

## 5. Zugriffsrechte (aktive API-Schlüssel)

| Name | Schlüssel-ID | Rollen | Bücher |
|---|---|---|---|
${keys}

## 6. Anwenderdokumentation

Siehe docs/benutzerhandbuch.md. _Zu ergänzen: betriebliche Abläufe (Belegfluss, Freigaben)._
`;
}
