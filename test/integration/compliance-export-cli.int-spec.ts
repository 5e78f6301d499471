/**
 * `kontor export --format datev|gobd` as a real process against a server's data dir: the very
 * bytes the HTTP exports answer, and a clear error for missing options.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../support/app.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';

describe('kontor export --format datev|gobd (CLI)', () => {
  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

  it('writes the same bytes as GET …/exports/datev and …/exports/gobd', async () => {
    const server = await startTestApp();
    const { dataDir, config } = server;
    const out = await mkdtemp(join(tmpdir(), 'kontor-export-'));
    try {
      const key = server.adminKey;
      const call = async (method: string, path: string, body: unknown) => {
        const response = await server.request(method, path, { key, body });
        expect({ path, status: response.status }).toEqual({
          path,
          status: method === 'PUT' ? 200 : 201,
        });
        return response.body;
      };
      await call('POST', '/v1/books', {
        id: 'cli',
        name: 'CLI GmbH',
        baseCurrency: 'EUR',
        chart: 'skr03',
      });
      await call('PUT', '/v1/books/cli/settings/datev', {
        consultantNumber: 1001,
        clientNumber: 1,
        accountLength: 4,
      });
      const posted = await call('POST', '/v1/books/cli/journal-entries', {
        effectiveDate: '2026-05-04',
        description: 'Büromaterial',
        tax: 'auto',
        lines: [
          { account: '4930', debit: '100.00', taxCode: 'VSt19' },
          { account: '1200', credit: '119.00' },
        ],
      });
      const fetchBytes = async (path: string) => {
        const response = await fetch(`${server.baseUrl}${path}&consistentWith=${posted.position}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(response.status).toBe(200);
        return Buffer.from(await response.arrayBuffer());
      };
      const datevHttp = await fetchBytes(
        '/v1/books/cli/exports/datev?from=2026-05-01&to=2026-05-31',
      );
      const gobdHttp = await fetchBytes('/v1/books/cli/exports/gobd?fiscalYear=2026');
      await server.app.close();

      const env = {
        KONTOR_STORE: 'sqlite',
        KONTOR_DATA_DIR: dataDir,
        KONTOR_ADMIN_KEY: config.adminKey!,
      };
      const datev = await runCli(
        [
          'export',
          '--book',
          'cli',
          '--format',
          'datev',
          '--from',
          '2026-05-01',
          '--to',
          '2026-05-31',
          '--out',
          join(out, 'datev.csv'),
        ],
        env,
      );
      expect(datev).toMatchObject({ status: 0 });
      const gobd = await runCli(
        [
          'export',
          '--book',
          'cli',
          '--format',
          'gobd',
          '--fiscal-year',
          '2026',
          '--out',
          join(out, 'z3.zip'),
        ],
        env,
      );
      expect(gobd).toMatchObject({ status: 0 });
      // The DATEV header holds its creation time (field 6); everything else is the same.
      const withoutCreated = (bytes: Buffer) =>
        bytes.toString('latin1').replace(/^("EXTF";700;21;"Buchungsstapel";13;)\d{17}/, '$1');
      expect(withoutCreated(await readFile(join(out, 'datev.csv')))).toBe(
        withoutCreated(datevHttp),
      );
      expect((await readFile(join(out, 'z3.zip'))).equals(gobdHttp)).toBe(true);

      const missing = await runCli(['export', '--book', 'cli', '--format', 'gobd'], env);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('--fiscal-year');
    } finally {
      await rm(out, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
