// Opus on the real-time wire (docs/signalr.md, "Opus items"), against the real hub and the tiny VoxCPM-0.5B model:
// the official @microsoft/signalr client with MessagePack receives Opus packets that an npm Opus decoder turns back
// into exactly the PCM stream's length; and the web UI in Chromium asks for Opus (WebCodecs decodes it), plays it
// gaplessly, and decodes as many samples as the same request sent as PCM16 (?wire=pcm16).
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { test } from 'node:test';
import { OpusDecoder } from 'opus-decoder';
import { expectSynthesisComplete, openPage, useUiHub } from './browser.mjs';
import { collectStream, connectSignalR, fixturesRoot } from './hub.mjs';

const stepTimeoutMs = 60_000;

const ui = useUiHub({ model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_opus', timeoutMs: stepTimeoutMs });

/** Every item of one Synthesize stream over MessagePack, bounded in time. */
async function synthesize(request) {
  const connection = await connectSignalR(ui.hub.apiUrl, 'messagepack');
  try {
    return await collectStream(connection.stream('Synthesize', request), stepTimeoutMs);
  } finally {
    await connection.stop();
  }
}

/** Decodes every packet of the Opus items in order: the decoded samples after pre-skip, and the sum of `samples`. */
async function decodeOpus(audioItems) {
  const [first] = audioItems;
  const decoder = new OpusDecoder({ sampleRate: first.sampleRate, channels: 1, preSkip: 0 });
  await decoder.ready;
  try {
    const decoded = [];
    for (const item of audioItems) {
      let offset = 0;
      for (const size of item.packets) {
        const result = decoder.decodeFrame(item.audio.subarray(offset, offset + size));
        assert.deepEqual(result.errors, []);
        decoded.push(result.channelData[0].slice(0, result.samplesDecoded));
        offset += size;
      }
      assert.equal(offset, item.audio.length, 'the packet sizes do not add up to the item');
    }
    const all = Float32Array.from(decoded.flatMap((piece) => Array.from(piece)));
    return { samples: all.subarray(first.preSkip), expected: audioItems.reduce((sum, item) => sum + item.samples, 0) };
  } finally {
    decoder.free();
  }
}

test('the official SignalR client receives Opus that decodes back to the PCM stream\'s length', { timeout: 120_000 }, async () => {
  const request = { text: 'Opus on the wire, decoded in Node.', mode: 'streaming', seed: 5 };
  const [pcmItems, opusItems] = [await synthesize(request), await synthesize({ ...request, audioFormat: 'opus' })];
  assert.equal(opusItems.at(-1).kind, 'complete');
  const pcm = pcmItems.filter((item) => item.kind === 'audio');
  const opus = opusItems.filter((item) => item.kind === 'audio');
  assert.ok(pcm.length > 0 && opus.length > 0, `audio items: ${pcm.length} PCM16, ${opus.length} Opus`);
  assert.ok(opus.every((item) => item.format === 'opus' && item.sampleRate === 16000 && Array.isArray(item.packets)), 'not Opus items');
  assert.ok(pcm.every((item) => item.format == null), 'PCM16 items must not name a format');
  assert.deepEqual(opus.map((item) => item.sequence), opus.map((_, i) => i));

  const pcmSamples = pcm.reduce((sum, item) => sum + item.audio.length / 2, 0);
  const { samples, expected } = await decodeOpus(opus);
  assert.equal(expected, pcmSamples, 'the Opus items\' samples do not add up to the PCM length');
  assert.equal(opusItems.at(-1).summary.samples, pcmSamples);
  // The decoded stream covers the PCM (the last packet is padded past it) by less than one 20 ms packet.
  assert.ok(samples.length >= pcmSamples && samples.length - pcmSamples < 320, `decoded ${samples.length}, PCM ${pcmSamples}`);

  // Opus is far smaller than PCM16 for the same audio.
  const bytes = (items) => items.reduce((sum, item) => sum + Buffer.from(item.audio).length, 0);
  assert.ok(bytes(opus) * 4 < bytes(pcm), `Opus ${bytes(opus)} bytes against PCM16 ${bytes(pcm)}`);
});

/** Synthesizes `text` with seed 9 in the UI at `path`; what the wire-format line and the player report. */
async function synthesizeInUi(path, text) {
  const { page, errors } = await openPage(ui.browser, `${ui.hub.webUrl}${path}`, { timeoutMs: stepTimeoutMs });
  try {
    await page.getByRole('button', { name: '开始合成' }).and(page.locator(':enabled')).waitFor();
    const opusSupported = await page.evaluate(async () =>
      'AudioDecoder' in window && (await window.AudioDecoder.isConfigSupported({ codec: 'opus', sampleRate: 16000, numberOfChannels: 1 })).supported);
    await page.getByLabel('合成文本').fill(text);
    await page.getByLabel('随机种子').fill('9');
    await page.getByRole('button', { name: '开始合成' }).click();
    await expectSynthesisComplete(page, errors);
    await page.locator('#played[data-state="drained"]').waitFor();
    const wire = page.locator('#wire-format');
    return {
      opusSupported,
      format: await wire.getAttribute('data-format'),
      sampleRate: Number(await wire.getAttribute('data-sample-rate')),
      samples: Number(await wire.getAttribute('data-samples')),
      played: Number(await page.locator('#played').getAttribute('data-samples')),
      underruns: Number(await page.locator('#underruns').textContent()),
    };
  } finally {
    await page.close();
  }
}

test('the web UI asks for Opus where WebCodecs decodes it, plays it gaplessly, and decodes the PCM\'s length', { timeout: 120_000 }, async () => {
  const text = 'The browser plays an Opus stream.';
  const opus = await synthesizeInUi('/', text);
  assert.ok(opus.opusSupported, "this Chromium's WebCodecs AudioDecoder does not decode Opus");
  assert.equal(opus.format, 'opus', 'the UI did not negotiate Opus');
  const pcm = await synthesizeInUi('/?wire=pcm16', text);
  assert.equal(pcm.format, 'pcm16');
  assert.equal(opus.sampleRate, 16000);
  // Same text and seed: the decoded Opus stream has exactly the PCM stream's length, and all of it was played.
  assert.equal(opus.samples, pcm.samples);
  assert.equal(opus.played, opus.samples);
  assert.equal(opus.underruns, 0);
});
