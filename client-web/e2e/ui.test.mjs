// Browser end-to-end test: the real hub serves the built UI on its web port, and headless Chromium shows the
// server's live status. Needs: dotnet build (the hub dll), npm run build (dist/), PostgreSQL (VOXCPM_TEST_DB or
// scripts/setup-postgres.sh) and Debian's Chromium (scripts/setup-chromium.sh). scripts/test.sh does all of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useUiHub } from './browser.mjs';

const stepTimeoutMs = 20_000;

const ui = useUiHub({ timeoutMs: stepTimeoutMs });

test('the web UI loads from the web port and shows the live server status', { timeout: 90_000 }, async () => {
  const page = await ui.browser.context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);

  const response = await page.goto(ui.hub.webUrl);
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
  const page = await ui.browser.context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.goto(ui.hub.webUrl);
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

test('typing a multi-sentence text shows its reading plan: numbered segments with their lengths, keyboard and phone friendly', { timeout: 60_000 }, async () => {
  const page = await ui.browser.context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(ui.hub.webUrl);
  // Three sentences of 70-80 characters: no two fit one 120-character segment; "Mr." and "$3.50" do not split.
  const sentences = [
    'Mr. Smith walked to the station early this morning to catch the first train. ',
    'The train was late, so he bought a coffee for $3.50 and read the newspaper. ',
    'When it finally arrived, he found a seat by the window and fell asleep at once.',
  ];
  await page.getByLabel('合成文本').pressSequentially(sentences.join(''), { delay: 0 });

  const plan = page.locator('#text-plan[data-segments="3"][aria-busy="false"]');
  await plan.waitFor({ state: 'attached' });
  const characters = sentences.reduce((sum, sentence) => sum + sentence.trim().length, 0);
  assert.equal(await page.locator('#text-plan-summary').textContent(), `3 段 · ${characters} 字`);
  assert.equal(await page.locator('#text-plan-segments').isVisible(), false, 'the plan starts collapsed');

  // Opened from the keyboard: the summary is focusable and Enter toggles it.
  await page.locator('#text-plan summary').focus();
  await page.keyboard.press('Enter');
  const segments = page.locator('#text-plan-segments li');
  await segments.first().waitFor();
  assert.equal(await segments.count(), 3);
  for (let i = 0; i < 3; i++) {
    assert.equal(await segments.nth(i).locator('.segment-text').textContent(), sentences[i].trim());
    assert.equal(await segments.nth(i).locator('.segment-length').textContent(), `${sentences[i].trim().length} 字`);
  }
  const { overflow, wider } = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    wider: [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}`),
  }));
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen (past its edge: ${wider.join(', ')})`);

  // English labels follow the language switch; clearing the text hides the plan.
  await page.getByLabel('语言').selectOption('en');
  assert.match(await page.locator('#text-plan-summary').textContent(), /^3 segments · \d+ characters$/);
  await page.getByLabel('Text', { exact: true }).fill('');
  await page.locator('#text-plan').waitFor({ state: 'hidden' });
  await page.getByLabel('Language').selectOption('zh');
  await page.close();
});

test('the programmatic port does not serve the web UI', { timeout: 30_000 }, async () => {
  const response = await fetch(`${ui.hub.apiUrl}/`, { signal: AbortSignal.timeout(stepTimeoutMs) });
  assert.equal(response.status, 404);
});
