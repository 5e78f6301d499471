/**
 * `kontor keys create` as a real process against a server's data dir: the key it prints works
 * on the server (it reads the key pepper from the ops database), and an unknown role is refused
 * naming the valid ones.
 */
import { rm } from 'node:fs/promises';
import { startTestApp } from '../support/app.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';

describe('kontor keys create (CLI)', () => {
  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

  it('issues a key the server accepts, and names the valid roles for an unknown one', async () => {
    const first = await startTestApp();
    const { dataDir, config } = first;
    await first.app.close();
    const env = { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir };
    try {
      const boss = await runCli(['keys', 'create', '--name', 'Boss', '--role', 'boss'], env);
      expect(boss.status).toBe(1);
      expect(boss.stderr).toContain(
        'unknown role boss; the roles are admin, accountant, approver, auditor, compliance, subscriber',
      );
      const issued = await runCli(
        ['keys', 'create', '--name', 'Night batch', '--role', 'auditor'],
        env,
      );
      expect(issued.status).toBe(0);
      const key = issued.stdout.trim();
      const server = await startTestApp({ dataDir, env: { KONTOR_ADMIN_KEY: config.adminKey! } });
      try {
        expect((await server.request('GET', '/v1/audit?limit=1', { key })).status).toBe(200);
      } finally {
        await server.app.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
