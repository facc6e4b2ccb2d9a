// Browser end-to-end test: the real hub serves the built UI on its web port, and headless Chromium shows the
// server's live status. Needs: dotnet build (the hub dll), npm run build (dist/), PostgreSQL (VOXCPM_TEST_DB or
// scripts/setup-postgres.sh) and Debian's Chromium (scripts/setup-chromium.sh). scripts/test.sh does all of it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { repoRoot, startHub } from './hub.mjs';

const webRoot = join(repoRoot, 'client-web', 'dist');
const stepTimeoutMs = 20_000;

let hub;
let browser;
let context;

before(async () => {
  assert.ok(existsSync(join(webRoot, 'index.html')), `${webRoot}/index.html missing: run npm run build`);
  hub = await startHub({ webRoot });
  browser = await launchBrowser({ timeoutMs: stepTimeoutMs });
  context = browser.context;
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

test('the web UI loads from the web port and shows the live server status', { timeout: 90_000 }, async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);

  const response = await page.goto(hub.webUrl);
  assert.equal(response?.status(), 200);
  assert.equal(await page.title(), 'VoxCPM 语音合成');
  assert.equal(await page.locator('h1').textContent(), 'VoxCPM');
  assert.ok(await page.getByRole('button', { name: '开始合成' }).isVisible());

  const status = page.locator('#server-status[data-state="live"]');
  await status.waitFor();
  assert.equal(await status.textContent(), '在线');

  // The model is missing on purpose: the page shows /ready's reason, and synthesis stays disabled.
  const model = page.locator('#ready-status[data-state="not-ready"]');
  await model.waitFor();
  assert.match(await model.textContent(), /not found/);
  assert.ok(await page.getByRole('button', { name: '开始合成' }).isDisabled());
  // History comes from PostgreSQL once /ready reports the database migrated, even without a model.
  await page.locator('#history-list[aria-busy="false"]').waitFor();
  assert.equal(await page.locator('#error-banner').isVisible(), false, await page.locator('#error-banner').textContent());
});

test('the language switch turns the interface to English and back, and is remembered', { timeout: 60_000 }, async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.goto(hub.webUrl);
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('button', { name: 'Synthesize' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByRole('heading', { name: 'Saved voices' }).isVisible(), true);
  await page.reload();
  await page.getByRole('button', { name: 'Synthesize' }).waitFor();
  await page.getByLabel('Language').selectOption('zh');
  await page.getByRole('button', { name: '开始合成' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.close();
});

test('the programmatic port does not serve the web UI', { timeout: 30_000 }, async () => {
  const response = await fetch(`${hub.apiUrl}/`, { signal: AbortSignal.timeout(stepTimeoutMs) });
  assert.equal(response.status, 404);
});
