// The seed README's JavaScript VoxCPMTTSClient, verbatim (public/seed-client.js, checked against the README by
// test/seed-client.test.ts), in headless Chromium against the real hub's raw /tts endpoint with the tiny model:
// Latin, Chinese, emoji and a long multi-sentence text. In the page the seed client's own callbacks collect every
// chunk; outside it, Playwright records the same WebSocket's frames, so the test also sees the `complete` message
// (the seed client resolves without handing it over) and the binary frames exactly as they crossed the wire.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, useUiHub } from './browser.mjs';
import { fixturesRoot, inbox } from './hub.mjs';

const stepTimeoutMs = 30_000;

const texts = {
  latin: 'Hello, this is a test!',
  chinese: '你好，世界！欢迎使用语音合成服务。',
  emoji: 'Good morning 🌅, coffee ☕ and 中文 😀 together!',
  long:
    'This is a longer passage for the streaming test. It has several sentences, so the server speaks it in segments. ' +
    'Every segment streams its own chunks, yet the client must still see one gapless sequence from zero. ' +
    'The quick brown fox jumps over the lazy dog, again and again, until the paragraph ends. ' +
    '这是一段较长的中文文本，包含好几个句子。服务器会把它分成若干段来合成。最后，这一句话结束了整段文字。',
};

/** Every frame the page received on a /tts WebSocket: { text } JSON messages or { binary } Buffers, in order. */
const wire = inbox(stepTimeoutMs);
let page;

const ui = useUiHub({
  model: join(fixturesRoot(), 'v05'),
  database: 'voxcpm_e2e_seed_client',
  timeoutMs: stepTimeoutMs,
  async prepare({ hub, browser }) {
    const watch = (opened) =>
      opened.on('websocket', (socket) => {
        if (!socket.url().endsWith('/tts')) return;
        socket.on('framereceived', ({ payload }) => wire.push(typeof payload === 'string' ? { text: JSON.parse(payload) } : { binary: payload }));
      });
    // compat.html loads the verbatim seed-client.js as a classic script, so VoxCPMTTSClient is a page global.
    const opened = await openPage(browser, `${hub.webUrl}/compat.html`, { timeoutMs: stepTimeoutMs, watch });
    page = opened.page;
    assert.equal(opened.response?.status(), 200);
  },
});

/** Runs the seed client's speak() for `text` in the page; returns what its onAudioChunk/onProgress callbacks saw. */
async function speak(text) {
  const url = `${ui.hub.webUrl.replace('http', 'ws')}/tts`;
  return page.evaluate(
    async ({ url, text }) => {
      const client = new VoxCPMTTSClient(url);
      const chunks = [];
      const progress = [];
      await client.speak(
        text,
        (audio, metadata) => chunks.push({ metadata, length: audio.length, nonZero: audio.some((sample) => sample !== 0), sum: audio.reduce((s, x) => s + x, 0) }),
        (message) => progress.push(message),
      );
      return { chunks, progress };
    },
    { url, text },
  );
}

/** Waits (bounded) until Playwright has reported the `complete` for `requestId`; returns that request's wire frames. */
async function wireOf(requestId) {
  const isComplete = (frame) => frame.text?.type === 'complete' && frame.text.request_id === requestId;
  await wire.indexOf(isComplete);
  const mine = wire.received.filter((frame) => (frame.text ? frame.text.request_id === requestId : metadataOf(frame.binary).request_id === requestId));
  return { complete: mine.find(isComplete).text, binary: mine.filter((frame) => frame.binary).map((frame) => frame.binary), text: mine.filter((frame) => frame.text).map((frame) => frame.text) };
}

function metadataOf(frame) {
  return JSON.parse(frame.subarray(8, 8 + frame.readUInt32BE(4)).toString('utf8'));
}

for (const [name, text] of Object.entries(texts)) {
  test(`the seed client streams ${name} text (${text.length} characters): contiguous chunks, audio, and a complete that matches`, { timeout: 90_000 }, async () => {
    const { chunks, progress } = await speak(text);

    assert.ok(chunks.length > 0, 'onAudioChunk was never called');
    const requestId = chunks[0].metadata.request_id;
    assert.match(requestId, /^[0-9a-f-]{36}$/, 'the seed client sends crypto.randomUUID() as request_id; the server must echo it');
    assert.deepEqual(chunks.map((chunk) => chunk.metadata.sequence), chunks.map((_, index) => index), 'sequences are not 0, 1, 2, …');
    for (const [index, { metadata, length }] of chunks.entries()) {
      assert.equal(metadata.request_id, requestId);
      assert.equal(metadata.sample_rate, 16000);
      assert.equal(metadata.channels, 1);
      assert.equal(metadata.format, 'pcm_s16le');
      assert.equal(metadata.samples, length, 'the Int16Array parseBinaryFrame built does not hold metadata.samples samples');
      // PROTOCOL.md: only the last frame may be empty (the end was not yet known when the last samples went out).
      assert.ok(length > 0 || index === chunks.length - 1, `chunk ${metadata.sequence} of ${chunks.length} is empty`);
    }
    assert.deepEqual(chunks.map((chunk) => chunk.metadata.is_last), chunks.map((_, index) => index === chunks.length - 1));
    assert.ok(chunks.some((chunk) => chunk.nonZero), 'every sample is zero');
    const samples = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    assert.ok(progress.length > 0 && progress.every((message) => message.request_id === requestId && message.progress >= 0 && message.progress <= 1));

    const { complete, binary, text: messages } = await wireOf(requestId);
    assert.equal(complete.chunks, chunks.length, 'complete.chunks differs from the chunks onAudioChunk received');
    assert.equal(complete.samples, samples, 'complete.samples differs from the samples received');
    assert.equal(complete.sample_rate, 16000);
    assert.ok(Math.abs(complete.duration - samples / 16000) < 1e-3, `complete.duration ${complete.duration} s, received ${samples / 16000} s`);
    assert.equal(complete.mode, 'streaming');
    assert.ok(complete.segments >= 1);
    assert.ok(complete.timing.total_ms > 0 && complete.timing.time_to_first_audio_ms <= complete.timing.total_ms);
    assert.ok(complete.synthesis_id, 'complete carried no synthesis_id');
    assert.equal(messages.at(-1), complete, 'a message about this request followed its complete');
    assert.equal(messages.filter((message) => message.type === 'complete' || message.type === 'error').length, 1);

    // The same frames on the wire: version 1 at byte 0, last-frame flag at byte 1, type 1 at byte 2, byte 3 zero.
    assert.equal(binary.length, chunks.length);
    binary.forEach((frame, index) => {
      assert.deepEqual([...frame.subarray(0, 4)], [1, index === binary.length - 1 ? 1 : 0, 1, 0]);
      const metadataLength = frame.readUInt32BE(4);
      assert.equal(frame.readUInt32BE(8 + metadataLength), frame.length - 12 - metadataLength);
      const pcm = frame.subarray(12 + metadataLength);
      let sum = 0;
      for (let offset = 0; offset < pcm.length; offset += 2) sum += pcm.readInt16LE(offset);
      assert.equal(sum, chunks[index].sum, `chunk ${index}: the samples the seed client read differ from the little-endian PCM on the wire`);
    });
    if (name === 'long') {
      assert.ok(text.length >= 300);
      assert.ok(complete.segments > 1, `a ${text.length}-character text of several sentences was spoken as ${complete.segments} segment(s)`);
    }
  });
}

test('four seed clients speak the four texts at once from one page; each gets only its own, complete stream', { timeout: 120_000 }, async () => {
  const url = `${ui.hub.webUrl.replace('http', 'ws')}/tts`;
  const results = await page.evaluate(
    async ({ url, texts }) =>
      Promise.all(
        texts.map(async (text) => {
          const sequences = [];
          const ids = new Set();
          let samples = 0;
          await new VoxCPMTTSClient(url).speak(text, (audio, metadata) => {
            sequences.push(metadata.sequence);
            ids.add(metadata.request_id);
            samples += audio.length;
          });
          return { sequences, ids: [...ids], samples };
        }),
      ),
    { url, texts: Object.values(texts) },
  );
  for (const { sequences, ids, samples } of results) {
    assert.equal(ids.length, 1, 'chunks of another request reached this client');
    assert.deepEqual(sequences, sequences.map((_, index) => index));
    const { complete } = await wireOf(ids[0]);
    assert.equal(complete.samples, samples);
    assert.equal(complete.chunks, sequences.length);
  }
});
