// Debian's Chromium under playwright-core, with the flags this closed network needs, in a fresh profile.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium; `close()` ends it and removes its profile. */
export async function launchBrowser({ timeoutMs = 20_000 } = {}) {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} missing: run scripts/setup-chromium.sh`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'voxcpm-e2e-chromium-'));
  // Without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    timeout: timeoutMs,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Audio may start without a click (the tests also click, but some start from the keyboard).
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
