/*
 * Chromium for the browser tests: Debian's package (or CHROMIUM_PATH) driven by playwright-core,
 * which never downloads a browser of its own. And axe-core, injected into a page to check it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, headless Chromium in a container (no sandbox as root, no GPU, no calls home). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or null when Chromium is there. */
export function chromiumMissing(): string | null {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return null;
  } catch {
    return (
      `browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it with \`bash scripts/ensure-chromium.sh\` ` +
      '(or `apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.'
    );
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

let axeSource: string | undefined;

export type AxeViolation = { id: string; impact: string; help: string; targets: string[] };

/**
 * Runs axe-core on the page as it is now and returns its serious and critical violations.
 * The script goes in through the DevTools protocol, so the app's CSP (`script-src 'self'`)
 * stays on and is not what the check sees.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // A string is evaluated as a script (a function would be serialized and called instead).
  await page.evaluate(`${axeSource}\n;undefined`);
  return page.evaluate(async () => {
    type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact!, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
}
