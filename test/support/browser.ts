/**
 * A real Chromium for the console's browser tests: Debian's `chromium` (installed with apt-get
 * where missing, as .ci/run does), driven by playwright-core. Without it the tests fail and say
 * how to install it; they never skip.
 *
 *   const browser = await launchChromium();
 *   const page = await (await browser.newContext({ baseURL: app.baseUrl })).newPage();
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ensureDebianTool } from './debian-tool.js';

/** KONTOR_CHROMIUM overrides where the browser is (e.g. /usr/bin/chromium-browser). */
export function chromiumPath(): string {
  const given = process.env.KONTOR_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`KONTOR_CHROMIUM=${given} does not exist`);
    return given;
  }
  ensureDebianTool('chromium', 'chromium', ['--version']);
  return '/usr/bin/chromium';
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
}
