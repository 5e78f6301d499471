import { spawnSync } from 'node:child_process';

/**
 * Makes sure a command from a Debian package is there for a test (installing it with apt-get
 * where missing, as root in CI); throws with the install command when it cannot.
 */
export function ensureDebianTool(
  command: string,
  debianPackage: string,
  versionArgs = ['-v'],
): void {
  const probe = () => spawnSync(command, versionArgs, { stdio: 'ignore' }).error === undefined;
  if (probe()) return;
  spawnSync(
    'sh',
    [
      '-c',
      `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackage}`,
    ],
    { stdio: 'ignore' },
  );
  if (!probe())
    throw new Error(
      `${command} is missing and could not be installed: apt-get install -y ${debianPackage}`,
    );
}
