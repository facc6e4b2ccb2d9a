// Text-in streaming as a JavaScript voice agent meets it: the official @microsoft/signalr client sends the text as a
// client-to-server stream (a Subject) word by word, over MessagePack and JSON, against the real hub and the tiny
// model, and gets one gap-free audio stream; a stream left open times out with an error naming its setting.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as signalR from '@microsoft/signalr';
import { audioBytes, collectStream, connectSignalR, fixturesRoot, repoRoot, startHub } from './hub.mjs';

// Generous: the first stream pays for JIT and warm caches on a loaded CI machine.
const stepTimeoutMs = 90_000;
let hub;

before(async () => {
  hub = await startHub({
    webRoot: join(repoRoot, 'client-web', 'public'),
    model: join(fixturesRoot(), 'v05'),
    database: 'voxcpm_e2e_text_stream',
    settings: { TTS_TEXT_STREAM_IDLE_SECONDS: '2' },
  });
});

after(async () => {
  await hub?.stop();
});

const connect = (protocol) => connectSignalR(hub.apiUrl, protocol);

/** Streams `words` (one every `gapMs`) into SynthesizeTextStream; every item of the answer, bounded in time. */
function speak(connection, words, { gapMs = 5, end = true } = {}) {
  const text = new signalR.Subject();
  const items = collectStream(connection.stream('SynthesizeTextStream', { text: '', mode: 'streaming', seed: 3 }, text), stepTimeoutMs);
  void (async () => {
    for (const word of words) {
      // The gap is the behaviour under test: a writer whose words arrive over time.
      await new Promise((r) => setTimeout(r, gapMs));
      text.next(word);
    }
    if (end) text.complete();
  })();
  return items;
}

for (const protocol of ['messagepack', 'json']) {
  test(`${protocol}: words sent one by one come back as one gap-free audio stream`, async () => {
    const connection = await connect(protocol);
    try {
      const words = 'A language model writes this. The voice speaks it, phrase by phrase, as it arrives.'.split(' ').map((w) => `${w} `);
      const items = await speak(connection, words);
      const kinds = items.map((item) => item.kind);
      assert.equal(kinds.at(-1), 'complete', `kinds: ${kinds.join(', ')}`);
      assert.equal(kinds.filter((k) => k === 'started').length, 1);
      const audio = items.filter((item) => item.kind === 'audio');
      assert.deepEqual(audio.map((item) => item.sequence), audio.map((_, i) => i));
      const samples = audio.reduce((sum, item) => sum + audioBytes(item).length / 2, 0);
      assert.equal(items.at(-1).summary.samples, samples);
      assert.ok(items.at(-1).summary.segments >= 2, `segments: ${items.at(-1).summary.segments}`);
    } finally {
      await connection.stop();
    }
  });
}

test('a text stream never ended times out naming TTS_TEXT_STREAM_IDLE_SECONDS, and the hub keeps serving', async () => {
  const connection = await connect('messagepack');
  try {
    const items = await speak(connection, ['Hello there. '], { end: false });
    const last = items.at(-1);
    assert.equal(last.kind, 'error');
    assert.equal(last.error.code, 'timeout');
    assert.match(last.error.message, /TTS_TEXT_STREAM_IDLE_SECONDS/);
    const again = await speak(connection, ['Still ', 'here.']);
    assert.equal(again.at(-1).kind, 'complete');
  } finally {
    await connection.stop();
  }
});
