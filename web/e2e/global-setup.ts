import { chromiumMissing } from './browser.ts';
import { ensureWebBuild } from '../scripts/build.ts';

/** Once per `vitest run`, before any browser test: the app they start is the current build. */
export default function setup(): void {
  // Without a browser every browser test is skipped, so there is nothing to build for.
  if (chromiumMissing()) return;
  ensureWebBuild();
}
