/*
 * Chromium for the browser tests: Debian's package (or CHROMIUM_PATH) driven by playwright-core,
 * which never downloads a browser of its own. And axe-core, injected into a page to check it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a quiet, headless Chromium in a container (no sandbox as root, no GPU, no calls
 * home). Host names other than localhost do not resolve, so a page's TMDb posters fail at once
 * instead of sending traffic off this machine; the app on 127.0.0.1 is reached by address.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

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
  // Plain script text (no DOM types here: this module is type-checked as Node code).
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((node) => node.target.join(' ')) }));
  })()`)) as { id: string; impact: string | null; help: string; targets: string[] }[];
  return violations.filter((v): v is AxeViolation => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * The elements that stick out past the right edge of the viewport (a phone then scrolls the
 * whole page sideways, and the top bar looks narrower than the page), outermost first, each
 * as `tag.class` with how far it reaches. Inside a box that clips or scrolls (a row of posters
 * meant to scroll sideways) nothing counts. Empty when the page fits its width.
 */
export async function overflowingElements(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (element) => {
      for (let at = element.parentElement; at && at !== document.body; at = at.parentElement) {
        if (getComputedStyle(at).overflowX !== 'visible') return true;
      }
      return false;
    };
    const found = [];
    for (const element of document.body.querySelectorAll('*')) {
      if (element.getBoundingClientRect().right <= width + 0.5) continue;
      if (found.some((outer) => outer.contains(element)) || clipped(element)) continue;
      found.push(element);
    }
    const name = (element) => element.tagName.toLowerCase() + (typeof element.className === 'string' && element.className.trim() ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
    return found.map((element) => name(element) + ' reaches ' + Math.round(element.getBoundingClientRect().right) + ' of ' + width + ' px');
  })()`)) as string[];
}
