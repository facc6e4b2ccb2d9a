// The web UI's "live" toggle (text-in streaming over SignalR's SynthesizeTextStream) in headless Chromium against
// the real hub and the tiny VoxCPM-0.5B model: the first sentence is heard while the rest is still being typed,
// Ctrl+Enter ends the text, and history keeps one row for the whole stream.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { fixturesRoot, repoRoot, startHub } from './hub.mjs';

const webRoot = join(repoRoot, 'client-web', 'dist');
const stepTimeoutMs = 60_000;
let hub;
let browser;

before(async () => {
  assert.ok(existsSync(join(webRoot, 'index.html')), `${webRoot}/index.html missing: run npm run build`);
  hub = await startHub({ webRoot, model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_live_typing' });
  browser = await launchBrowser({ timeoutMs: stepTimeoutMs });
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

test('live typing: the first sentence is spoken while the rest is typed; one history row for the stream', { timeout: 180_000 }, async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(hub.webUrl);
  await page.getByRole('button', { name: '开始合成' }).and(page.locator(':enabled')).waitFor();
  await page.getByLabel('实时（边输入边朗读）').check();

  const stamp = Date.now();
  const first = `Live typing ${stamp} starts here. `;
  const rest = 'The rest arrives word by word, while the first sentence is already playing.';
  const box = page.getByLabel('合成文本');
  await box.pressSequentially(first, { delay: 5 });
  // Audio for the first sentence, before the rest of the text exists.
  await page.locator('#chunks:not([data-count="0"])').waitFor();
  assert.equal(await box.inputValue(), first);
  await box.pressSequentially(rest, { delay: 5 });
  await box.press('Control+Enter');

  await page.locator('#synthesis-state[data-state="complete"], #synthesis-state[data-state="failed"]').waitFor();
  const banner = (await page.locator('#error-banner').isVisible()) ? await page.locator('#error-banner').textContent() : 'none';
  assert.equal(await page.locator('#synthesis-state').getAttribute('data-state'), 'complete', `banner: ${banner}; ${errors.join(' | ')}`);
  await page.locator('#played[data-state="drained"]').waitFor();
  assert.equal(Number(await page.locator('#played').getAttribute('data-samples')), Number(await page.locator('#wire-format').getAttribute('data-samples')), 'not all the audio was played');

  // One history row holds the whole text as it was received.
  const row = page.locator('.history-item', { hasText: String(stamp) });
  const deadline = Date.now() + stepTimeoutMs;
  for (;;) {
    await page.getByLabel('搜索', { exact: true }).fill(String(stamp));
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator(`#history-list[aria-busy="false"][data-query="${stamp}"]`).waitFor();
    if ((await row.count()) > 0 && (await row.first().getAttribute('data-status')) === 'completed') break;
    assert.ok(Date.now() < deadline, 'history never listed the stream as completed');
    await page.waitForTimeout(300);
  }
  assert.equal(await row.count(), 1);
  assert.equal((await row.locator('.text').textContent()).trim(), (first + rest).trim());
  assert.match(await row.locator('.facts').textContent(), /· [2-9] 段/, 'the stream was spoken in more than one phrase');
  await page.close();
});
