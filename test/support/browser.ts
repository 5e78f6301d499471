/**
 * A real Chromium for the console's browser tests: Debian's `chromium` (installed with apt-get
 * where missing, as .ci/run does), driven by playwright-core. Without it the tests fail and say
 * how to install it; they never skip.
 *
 *   const browser = await launchChromium();
 *   const page = await (await browser.newContext({ baseURL: app.baseUrl })).newPage();
 */
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
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

export interface AccessibilityViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The serious and critical axe-core violations of the page as it is now (WCAG 2.x A/AA rules).
 * axe is evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
 */
export async function seriousAccessibilityViolations(
  page: Page,
): Promise<AccessibilityViolation[]> {
  if ((await page.evaluate<string>('typeof window.axe')) !== 'object')
    await page.evaluate(axeSource);
  const violations = await page.evaluate<AccessibilityViolation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.join(' ')),
        })))
  `);
  return violations;
}
