// Debian's Chromium under playwright-core, with the flags this closed network needs, in a fresh profile.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { repoRoot, startHub } from './hub.mjs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The built web UI (npm run build). */
export const webRoot = join(repoRoot, 'client-web', 'dist');

/**
 * The built UI served by a real hub (startHub's options: model, database, settings) and a Chromium to open it: both
 * started before this test file's tests and stopped after them; `prepare(ui)` runs once both are up (top-level
 * `before` hooks do not wait for each other). Read `ui.hub` and `ui.browser` inside the tests.
 */
export function useUiHub({ timeoutMs, prepare, ...hubOptions }) {
  const ui = { hub: undefined, browser: undefined };
  before(async () => {
    assert.ok(existsSync(join(webRoot, 'index.html')), `${webRoot}/index.html missing: run npm run build`);
    ui.hub = await startHub({ webRoot, ...hubOptions });
    ui.browser = await launchBrowser({ timeoutMs });
    await prepare?.(ui);
  });
  after(async () => {
    await ui.browser?.close();
    await ui.hub?.stop();
  });
  return ui;
}

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

/**
 * A new page of `browser` on `url` with every wait bounded by `timeoutMs`; `errors` collects the page's uncaught
 * errors and console errors, for the failure messages of the checks that follow; `response` is the page load's.
 * `watch(page)` runs before the page loads (to listen to its WebSockets, say).
 */
export async function openPage(browser, url, { timeoutMs, viewport, watch } = {}) {
  const page = await browser.context.newPage();
  if (timeoutMs) page.setDefaultTimeout(timeoutMs);
  if (viewport) await page.setViewportSize(viewport);
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  watch?.(page);
  const response = await page.goto(url);
  return { page, errors, response };
}

/** Waits until the UI's synthesis ends and asserts that it completed; a failure names the banner, the page errors and `detail`. */
export async function expectSynthesisComplete(page, errors, detail = '') {
  await page.locator('#synthesis-state[data-state="complete"], #synthesis-state[data-state="failed"]').waitFor();
  const banner = (await page.locator('#error-banner').isVisible()) ? await page.locator('#error-banner').textContent() : 'none';
  assert.equal(await page.locator('#synthesis-state').getAttribute('data-state'), 'complete', `banner: ${banner}; page errors: ${errors.join(' | ')}\n${detail}`);
}

/**
 * Searches the history panel for `text` until its row is listed with `status` (any status when null) and returns
 * the row's locator. History is written in the background and the page is not told when, so this polls the search
 * (every `pollMs`) up to `timeoutMs`.
 */
export async function findHistoryRow(page, text, { timeoutMs, status = 'completed', pollMs = 300 }) {
  const row = page.locator('.history-item', { hasText: text });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.getByLabel('搜索', { exact: true }).fill(text);
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator(`#history-list[aria-busy="false"][data-query="${text}"]`).waitFor();
    if ((await row.count()) > 0 && (status === null || (await row.first().getAttribute('data-status')) === status)) return row;
    assert.ok(Date.now() < deadline, `history never listed "${text}"${status ? ` as ${status}` : ''}`);
    await page.waitForTimeout(pollMs);
  }
}
