// Browser end-to-end test of synthesis: the real hub with the tiny VoxCPM checkpoint (shared/fixtures/voxcpm-tiny/v05)
// serves the built UI; headless Chromium synthesizes through the SignalR hub, plays it through the AudioWorklet,
// finds it in history, shows server errors, and runs the seed README's client on /compat.html over raw /tts.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';
import { findHistoryRow, useUiHub } from './browser.mjs';
import { fixturesRoot, repoRoot } from './hub.mjs';

const stepTimeoutMs = 20_000;
const screenshots = join(repoRoot, 'artifacts', 'e2e-screenshots');

let currentTest = 'test';

const ui = useUiHub({ model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_synthesis', timeoutMs: stepTimeoutMs });

beforeEach((t) => {
  currentTest = t.name;
});

/** A new page that saves a full-page screenshot (artifacts/e2e-screenshots) of its last state when closed. */
async function newPage() {
  const page = await ui.browser.context.newPage();
  const close = page.close.bind(page);
  page.close = async (options) => {
    mkdirSync(screenshots, { recursive: true });
    const name = currentTest.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true }).catch(() => {});
    return close(options);
  };
  return page;
}

/** A page on the UI with the model ready; console errors are collected for the failure message. */
async function openUi({ width = 1280, height = 900 } = {}) {
  const page = await newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.setViewportSize({ width, height });
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(ui.hub.webUrl);
  await page.locator('#ready-status[data-state="ready"]').waitFor();
  await page.getByRole('button', { name: '开始合成' }).and(page.locator(':enabled')).waitFor();
  return { page, consoleErrors };
}

async function waitForState(page, states, consoleErrors) {
  const selector = states.map((state) => `#synthesis-state[data-state="${state}"]`).join(', ');
  try {
    await page.locator(selector).waitFor();
  } catch (error) {
    const banner = (await page.locator('#error-banner').isVisible()) ? await page.locator('#error-banner').textContent() : 'none';
    const state = await page.locator('#synthesis-state').getAttribute('data-state');
    throw new Error(`state ${state}, banner ${banner}, console ${consoleErrors.join(' | ')}\n${ui.hub.output()}`, { cause: error });
  }
}

/** Searches the history panel and waits until the list shows that search. */
async function searchHistory(page, text) {
  await page.getByLabel('搜索', { exact: true }).fill(text);
  await page.getByRole('button', { name: '搜索' }).click();
  await page.locator(`#history-list[aria-busy="false"][data-query="${text}"]`).waitFor();
}

async function number(page, selector, attribute) {
  return Number(await page.locator(selector).getAttribute(attribute));
}

test('typing text and clicking 开始合成 streams audio chunks that the worklet plays, with TTFA and RTF shown', { timeout: 90_000 }, async () => {
  const { page, consoleErrors } = await openUi();
  const text = `流式合成测试 ${Date.now()}`;
  await page.getByLabel('合成文本').fill(text);
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForState(page, ['complete', 'failed'], consoleErrors);
  assert.equal(await page.locator('#synthesis-state').getAttribute('data-state'), 'complete', await page.locator('#error-banner').textContent());

  assert.ok((await number(page, '#chunks', 'data-count')) > 0, 'no audio chunk arrived');
  assert.match(await page.locator('#ttfa').textContent(), /\d+ ms/);
  assert.match(await page.locator('#rtf').textContent(), /^\d+\.\d{3}$/);
  assert.ok(await page.locator('#synthesis-state').getAttribute('data-synthesis-id'), 'complete carried no synthesis id');
  // The worklet reports what it played; it keeps going after the stream completes, so wait for it to drain.
  await page.locator('#played[data-state="drained"]').waitFor();
  assert.ok((await number(page, '#played', 'data-samples')) > 0, 'the player played nothing');
  assert.equal(await page.locator('#underruns').textContent(), '0');
  assert.equal(await page.locator('#error-banner').isVisible(), false);

  // The history row is written in the background, first queued, then completed: reload until it is listed as
  // completed (bounded by the step timeout).
  const deadline = Date.now() + stepTimeoutMs;
  for (;;) {
    await page.reload();
    const row = page.locator('.history-item', { hasText: text });
    await page.locator('#history-page').filter({ hasText: /\d/ }).waitFor();
    if ((await row.count()) > 0 && (await row.getAttribute('data-status')) !== 'queued' && (await row.getAttribute('data-status')) !== 'running') {
      assert.equal(await row.getAttribute('data-status'), 'completed');
      assert.ok(await row.getByRole('button', { name: '播放' }).isEnabled());
      break;
    }
    assert.ok(Date.now() < deadline, `history never listed "${text}"`);
    await page.waitForTimeout(500); // the page is not told when history is written: poll, bounded by the deadline
  }
  await page.close();
});

test('Ctrl+Enter synthesizes from the keyboard in non-streaming mode, and the finished job plays', { timeout: 90_000 }, async () => {
  const { page, consoleErrors } = await openUi();
  await page.getByLabel('非流式').check();
  await page.getByLabel('合成文本').fill(`非流式合成 ${Date.now()}`);
  await page.getByLabel('合成文本').press('Control+Enter');
  await waitForState(page, ['complete', 'failed'], consoleErrors);
  assert.equal(await page.locator('#synthesis-state').getAttribute('data-state'), 'complete', await page.locator('#error-banner').textContent());
  assert.equal(await page.locator('#progress').evaluate((element) => element.value), 1);
  await page.locator('#played[data-state="drained"]').waitFor();
  assert.ok((await number(page, '#played', 'data-samples')) > 0, 'the finished job was not played');
  await page.close();
});

test('an out-of-range parameter shows the server error code and message in a banner', { timeout: 60_000 }, async () => {
  const { page, consoleErrors } = await openUi();
  await page.getByLabel('合成文本').fill('参数越界');
  await page.getByLabel(/CFG/).fill('12');
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForState(page, ['failed'], consoleErrors);
  const banner = page.locator('#error-banner');
  assert.ok(await banner.isVisible());
  assert.equal(await page.locator('#error-code').textContent(), 'invalid_request');
  const message = await page.locator('#error-message').textContent();
  assert.match(message, /cfg/i);
  assert.match(message, /10/);
  // Esc dismisses it; the next valid request goes through.
  await page.keyboard.press('Escape');
  assert.equal(await banner.isVisible(), false);
  await page.getByLabel(/CFG/).fill('2');
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForState(page, ['complete'], consoleErrors);
  await page.close();
});

test('on a narrow (phone) screen nothing scrolls sideways and synthesis still works', { timeout: 60_000 }, async () => {
  const { page, consoleErrors } = await openUi({ width: 375, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await page.getByLabel('合成文本').fill('手机屏幕');
  await page.getByRole('button', { name: '开始合成' }).tap().catch(() => page.getByRole('button', { name: '开始合成' }).click());
  await waitForState(page, ['complete'], consoleErrors);
  await page.close();
});

test("/compat.html: the seed README's VoxCPMTTSClient completes a synthesis over the raw protocol", { timeout: 60_000 }, async () => {
  const page = await newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  const response = await page.goto(`${ui.hub.webUrl}/compat.html`);
  assert.equal(response?.status(), 200);
  assert.equal(await page.locator('#endpoint').textContent(), `${ui.hub.webUrl.replace('http', 'ws')}/tts`);
  await page.getByRole('button', { name: 'Speak' }).click();
  await page.locator('#state[data-state="complete"], #state[data-state="failed"]').waitFor();
  assert.equal(await page.locator('#state').getAttribute('data-state'), 'complete', await page.locator('#state').textContent());
  assert.ok(Number(await page.locator('#chunks').getAttribute('data-count')) > 0);
  assert.ok(Number(await page.locator('#samples').getAttribute('data-count')) > 0);
  assert.equal(await page.locator('#sample-rate').textContent(), '16000 Hz');
  await page.close();
});

test('history rows play, re-run with their parameters and delete; a saved voice is uploaded, used and deleted', { timeout: 120_000 }, async () => {
  const { page, consoleErrors } = await openUi();
  page.on('dialog', (dialog) => void dialog.accept());
  const text = `历史操作 ${Date.now()}`;
  await page.getByLabel('合成文本').fill(text);
  await page.getByLabel(/CFG/).fill('3.5');
  await page.getByLabel('随机种子').fill('1234');
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForState(page, ['complete'], consoleErrors);

  // Find the row by searching for it (the history writer works in the background: search until it is there).
  const row = await findHistoryRow(page, text, { timeoutMs: stepTimeoutMs, status: null });
  assert.equal(await page.locator('.history-item').count(), 1, 'the search should match this row only');
  assert.match(await row.locator('.facts').textContent(), /· 1 段/, 'the row shows how many segments were spoken');

  // Play: the stored WAV goes through the same player.
  await page.reload();
  await page.locator('#history-list[aria-busy="false"]').waitFor();
  await searchHistory(page, text);
  await row.getByRole('button', { name: '播放' }).click();
  await page.locator('#played[data-state="drained"]').waitFor();
  assert.ok((await number(page, '#played', 'data-samples')) > 0, 'history playback played nothing');
  const audioHref = await row.getByRole('link', { name: '下载 WAV' }).getAttribute('href');
  assert.match(audioHref, /\/api\/history\/.+\/audio$/);

  // Re-run: the form takes the row's parameters and synthesizes again.
  await row.getByRole('button', { name: '重新合成' }).click();
  await waitForState(page, ['complete'], consoleErrors);
  assert.equal(await page.getByLabel(/CFG/).inputValue(), '3.5');
  assert.equal(await page.getByLabel('随机种子').inputValue(), '1234');
  assert.equal(await page.getByLabel('合成文本').inputValue(), text);

  // A saved voice: upload the row's own audio as the reference recording, use it, then delete it.
  const wav = await page.evaluate(async (href) => Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer())), audioHref);
  const voiceName = `voice-${Date.now()}`;
  await page.locator('#voice-name').fill(voiceName);
  await page.locator('#voice-transcript').fill(text);
  await page.locator('#voice-file').setInputFiles({ name: 'reference.wav', mimeType: 'audio/wav', buffer: Buffer.from(wav) });
  await page.getByRole('button', { name: '上传并保存音色' }).click();
  const voice = page.locator('.voice-item', { hasText: voiceName });
  await voice.waitFor();
  await voice.getByRole('button', { name: '使用' }).click();
  assert.equal(await page.locator('#voice option:checked').textContent(), voiceName);
  await page.getByLabel('合成文本').fill('用保存的音色说话');
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForState(page, ['complete', 'failed'], consoleErrors);
  assert.equal(await page.locator('#synthesis-state').getAttribute('data-state'), 'complete', await page.locator('#error-banner').textContent());
  await voice.getByRole('button', { name: '删除' }).click();
  await voice.waitFor({ state: 'detached' });

  // Delete the history row.
  await searchHistory(page, text);
  await row.first().waitFor();
  const before = await row.count();
  await row.first().getByRole('button', { name: '删除' }).click();
  await page.waitForFunction(([t, n]) => [...document.querySelectorAll('.history-item')].filter((li) => li.textContent.includes(t)).length === n - 1, [text, before]);
  assert.equal(await page.locator('#error-banner').isVisible(), false, await page.locator('#error-banner').textContent());
  await page.close();
});
