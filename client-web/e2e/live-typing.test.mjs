// The web UI's "live" toggle (text-in streaming over SignalR's SynthesizeTextStream) in headless Chromium against
// the real hub and the tiny VoxCPM-0.5B model: the first sentence is heard while the rest is still being typed,
// Ctrl+Enter ends the text, and history keeps one row for the whole stream.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectSynthesisComplete, findHistoryRow, openPage, useUiHub } from './browser.mjs';
import { fixturesRoot } from './hub.mjs';

const stepTimeoutMs = 60_000;

const ui = useUiHub({ model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_live_typing', timeoutMs: stepTimeoutMs });

test('live typing: the first sentence is spoken while the rest is typed; one history row for the stream', { timeout: 180_000 }, async () => {
  const { page, errors } = await openPage(ui.browser, ui.hub.webUrl, { timeoutMs: stepTimeoutMs });
  await page.getByRole('button', { name: '开始合成' }).and(page.locator(':enabled')).waitFor();
  await page.getByLabel('实时（边输入边朗读）').check();

  const stamp = Date.now();
  const first = `Live typing ${stamp} starts here. `;
  const rest = 'The rest arrives word by word, while the first sentence is already playing.';
  const box = page.getByLabel('合成文本');
  await box.pressSequentially(first, { delay: 5 });
  // Audio for the first sentence, before the rest of the text exists: the stream is still open, waiting for it.
  await page.locator('#chunks:not([data-count="0"])').waitFor();
  const whileTyping = await page.locator('#synthesis-state').getAttribute('data-state');
  assert.ok(!['complete', 'failed'].includes(whileTyping), `the stream ended (${whileTyping}) before the rest of the text was typed`);
  await box.pressSequentially(rest, { delay: 5 });
  await box.press('Control+Enter');

  await expectSynthesisComplete(page, errors, ui.hub.output());
  await page.locator('#played[data-state="drained"]').waitFor();
  assert.equal(Number(await page.locator('#played').getAttribute('data-samples')), Number(await page.locator('#wire-format').getAttribute('data-samples')), 'not all the audio was played');

  // One history row holds the whole text as it was received.
  const row = await findHistoryRow(page, String(stamp), { timeoutMs: stepTimeoutMs });
  assert.equal(await row.count(), 1);
  assert.equal((await row.locator('.text').textContent()).trim(), (first + rest).trim());
  assert.match(await row.locator('.facts').textContent(), /· [2-9] 段/, 'the stream was spoken in more than one phrase');
  await page.close();
});
