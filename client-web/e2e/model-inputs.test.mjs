// The web UI's controls follow the loaded model and the server's limits. Against the tiny VoxCPM2 checkpoint
// (shared/fixtures/voxcpm2-tiny/v2, 48 kHz) headless Chromium designs a voice (a description plus text) and hears
// 48 kHz audio; against the tiny VoxCPM-0.5B checkpoint the VoxCPM2 controls are disabled with the reason shown,
// and the ranges, defaults and length limits the form shows are the server's (a changed TTS_MAX_TEXT_LENGTH shows).
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expectSynthesisComplete, findHistoryRow, launchBrowser, openPage } from './browser.mjs';
import { fixturesRoot, repoRoot, startHub, voxCpm2FixturesRoot } from './hub.mjs';

const webRoot = join(repoRoot, 'client-web', 'dist');
// Generous: the first synthesis pays for loading and JIT on a shared CI machine.
const stepTimeoutMs = 60_000;

let v2;
let v1;
let browser;

before(async () => {
  assert.ok(existsSync(join(webRoot, 'index.html')), `${webRoot}/index.html missing: run npm run build`);
  [v2, v1] = await Promise.all([
    startHub({ webRoot, model: join(voxCpm2FixturesRoot(), 'v2'), database: 'voxcpm_e2e_model_inputs_v2', startTimeoutMs: 120_000 }),
    startHub({ webRoot, model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_model_inputs_v1', settings: { TTS_MAX_TEXT_LENGTH: '321' } }),
  ]);
  browser = await launchBrowser({ timeoutMs: stepTimeoutMs });
});

after(async () => {
  await browser?.close();
  await Promise.all([v2?.stop(), v1?.stop()]);
});

/** A page on the hub's UI once the model is ready and its status arrived; records what the page sent on WebSockets. */
async function openUi(hub) {
  const sent = [];
  const watch = (page) => page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(Buffer.from(frame.payload))));
  const { page, errors } = await openPage(browser, hub.webUrl, { timeoutMs: stepTimeoutMs, watch });
  await page.locator('#ready-status[data-state="ready"]').waitFor();
  await page.locator('#voxcpm2[data-supported]').waitFor({ state: 'attached' });
  return { page, errors, sent };
}

const waitForEnd = (page, hub, errors) => expectSynthesisComplete(page, errors, hub.output());

test('VoxCPM2: a voice designed in the UI (description + text) is synthesized and played at 48 kHz', { timeout: 240_000 }, async () => {
  const { page, errors, sent } = await openUi(v2);
  assert.equal(await page.locator('#voxcpm2').getAttribute('data-supported'), 'true');
  assert.equal(await page.locator('#voxcpm2-reason').isVisible(), false);
  const description = page.getByLabel('音色描述（音色设计）');
  assert.ok(await description.isEnabled());
  assert.equal(await description.getAttribute('maxlength'), '500');
  assert.ok(await page.getByLabel('参考音频 URL（无需文本）').isEnabled());

  const voice = 'A warm, slow, elderly male voice';
  await description.fill(voice);
  await page.getByLabel('合成文本').fill('Hello, this voice was designed.');
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForEnd(page, v2, errors);

  // The description travelled in the request (MessagePack keeps map keys and strings as UTF-8 bytes).
  const request = sent.find((frame) => frame.includes('voiceDescription'));
  assert.ok(request?.includes(voice), 'no request carried the voice description');
  const wire = page.locator('#wire-format');
  assert.equal(await wire.getAttribute('data-sample-rate'), '48000');
  assert.ok(Number(await wire.getAttribute('data-samples')) > 0, 'no audio arrived');
  // The player runs at 48 kHz and plays it out; the download is a 48 kHz WAV.
  await page.locator('#played[data-state="drained"]').waitFor();
  assert.ok(Number(await page.locator('#played').getAttribute('data-samples')) > 0, 'the player played nothing');
  const header = await page.evaluate(async () => {
    const href = document.querySelector('#download').getAttribute('href');
    const view = new DataView(await (await fetch(href)).arrayBuffer());
    return { rate: view.getUint32(24, true), dataBytes: view.getUint32(40, true) };
  });
  assert.equal(header.rate, 48000);
  assert.equal(header.dataBytes, Number(await wire.getAttribute('data-samples')) * 2);
  await page.close();
});

test('VoxCPM2: a voice saved from reference audio alone is used; a history re-run brings the voice description back', { timeout: 240_000 }, async () => {
  const { page, errors } = await openUi(v2);
  page.on('dialog', (dialog) => void dialog.accept());
  const text = `Designed for history ${Date.now()}.`;
  const voice = 'A bright, quick young voice';
  await page.getByLabel('音色描述（音色设计）').fill(voice);
  await page.getByLabel('合成文本').fill(text);
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForEnd(page, v2, errors);

  // The audio just made is the reference recording of a voice saved without a transcript.
  const wav = await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch(document.querySelector('#download').getAttribute('href'))).arrayBuffer())));
  const name = `reference-${Date.now()}`;
  await page.locator('#voice-name').fill(name);
  assert.match(await page.locator('#voice-transcript').getAttribute('placeholder'), /可留空/);
  await page.locator('#voice-file').setInputFiles({ name: 'reference.wav', mimeType: 'audio/wav', buffer: Buffer.from(wav) });
  await page.getByRole('button', { name: '上传并保存音色' }).click();
  const saved = page.locator('.voice-item', { hasText: name });
  await saved.waitFor();
  assert.match(await saved.textContent(), /仅参考音频/);
  await saved.getByRole('button', { name: '使用' }).click();
  await page.getByLabel('音色描述（音色设计）').fill('');
  await page.getByLabel('合成文本').fill('Cloned from reference audio alone.');
  await page.getByRole('button', { name: '开始合成' }).click();
  await waitForEnd(page, v2, errors);

  // History: the designed synthesis, re-run, puts its description back into the form.
  await page.locator('#voice').selectOption('');
  const row = await findHistoryRow(page, text, { timeoutMs: stepTimeoutMs });
  await page.getByLabel('音色描述（音色设计）').fill('');
  await row.getByRole('button', { name: '重新合成' }).click();
  assert.equal(await page.getByLabel('音色描述（音色设计）').inputValue(), voice);
  await waitForEnd(page, v2, errors);
  await saved.getByRole('button', { name: '删除' }).click();
  await saved.waitFor({ state: 'detached' });
  await page.close();
});

test('VoxCPM-0.5B: the VoxCPM2 controls are disabled and the reason, naming the model, is shown', { timeout: 60_000 }, async () => {
  const { page } = await openUi(v1);
  assert.equal(await page.locator('#voxcpm2').getAttribute('data-supported'), 'false');
  assert.ok(await page.getByLabel('音色描述（音色设计）').isDisabled());
  assert.ok(await page.getByLabel('参考音频 URL（无需文本）').isDisabled());
  const reason = page.locator('#voxcpm2-reason');
  assert.ok(await reason.isVisible());
  assert.equal(await reason.textContent(), '需要 VoxCPM2 模型：当前模型 v05 不支持音色描述和参考音频');
  await page.getByLabel('语言').selectOption('en');
  assert.match(await reason.textContent(), /^Needs a VoxCPM2 model: the loaded model v05 does not read/);
  await page.getByLabel('Language').selectOption('zh');
  await page.close();
});

test('the form shows the server\'s ranges, defaults and length limits', { timeout: 60_000 }, async () => {
  const { page } = await openUi(v1);
  const status = await page.evaluate(() => {
    const cfg = document.querySelector('#cfg-value');
    const steps = document.querySelector('#timesteps');
    return { cfg: [cfg.min, cfg.max, cfg.value], steps: [steps.min, steps.max, steps.value], text: document.querySelector('#text').maxLength };
  });
  assert.deepEqual(status.cfg, ['0.1', '10', '2']);
  assert.deepEqual(status.steps, ['1', '50', '10']);
  assert.equal(await page.locator('#cfg-bounds').textContent(), '0.1–10');
  assert.equal(await page.locator('#timesteps-bounds').textContent(), '1–50');
  // TTS_MAX_TEXT_LENGTH=321 on this hub: the text box takes it from the server.
  assert.equal(status.text, 321);
  await page.close();
});
