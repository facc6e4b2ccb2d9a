// Browser end-to-end test with API keys required (TTS_API_KEYS): opened once as /?api_key=KEY, the UI keeps the key,
// streams through the SignalR hub and lists its history; without the key the hub refuses the UI's calls.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { useUiHub } from './browser.mjs';
import { fixturesRoot } from './hub.mjs';

const stepTimeoutMs = 20_000;
const key = 'e2e-browser-key-0123456789abcdef';

const ui = useUiHub({ model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_keys', settings: { TTS_API_KEYS: key }, timeoutMs: stepTimeoutMs });

test('opened once with ?api_key=, the UI keeps the key, streams through the hub and lists the synthesis in history', { timeout: 90_000 }, async () => {
  const page = await ui.browser.context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.goto(`${ui.hub.webUrl}/?api_key=${key}`);
  await page.locator('#ready-status[data-state="ready"]').waitFor();
  await page.locator('#hub-status[data-state="connected"]').waitFor();
  assert.ok(!page.url().includes('api_key'), `the key stayed in the address bar: ${page.url()}`);

  const text = `密钥合成 ${Date.now()}`;
  await page.getByLabel('合成文本').fill(text);
  await page.getByRole('button', { name: '开始合成' }).and(page.locator(':enabled')).click();
  await page.locator('#synthesis-state[data-state="complete"], #synthesis-state[data-state="failed"]').waitFor();
  const banner = (await page.locator('#error-banner').isVisible()) ? await page.locator('#error-banner').textContent() : '';
  assert.equal(await page.locator('#synthesis-state').getAttribute('data-state'), 'complete', `${banner}\n${ui.hub.output()}`);
  assert.ok(Number(await page.locator('#chunks').getAttribute('data-count')) > 0, 'no audio chunk arrived');

  // History comes from /api/history with the key; the row is written in the background, so look again until it shows.
  const deadline = Date.now() + stepTimeoutMs;
  while ((await page.locator('.history-item', { hasText: text }).count()) === 0) {
    assert.ok(Date.now() < deadline, `history never listed "${text}"`);
    await page.waitForTimeout(500); // the page is not told when history is written: poll, bounded by the deadline
    await page.reload();
    await page.locator('#history-page').filter({ hasText: /\d/ }).waitFor();
  }

  await page.close();
});

test('without the key the hub refuses the UI: no hub connection, and its API answers 401', { timeout: 60_000 }, async () => {
  const page = await ui.browser.context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.goto(`${ui.hub.webUrl}/?api_key=`); // an empty key makes this browser forget the stored one
  await page.locator('#ready-status[data-state="ready"]').waitFor(); // health and readiness stay open
  await page.locator('#hub-status[data-state="down"]').waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/history')).status);
  assert.equal(status, 401);
  await page.close();
});
