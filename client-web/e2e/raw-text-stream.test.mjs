// The raw /tts WebSocket (PROTOCOL.md) as a JavaScript voice agent meets it, with the `ws` package in Node against
// the real hub and the tiny VoxCPM-0.5B model: text streamed in (tts_stream_start / text / flush / end) comes back
// as one continuous audio stream whose first audio arrives while the text is still being written; cancel stops a
// stream mid-way; and a raw client asking for Opus (audio_format "opus") decodes it back to the PCM stream's length.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OpusDecoder } from 'opus-decoder';
import WebSocket from 'ws';
import { fixturesRoot, inbox, repoRoot, startHub } from './hub.mjs';

const stepTimeoutMs = 60_000;
let hub;

before(async () => {
  hub = await startHub({ webRoot: join(repoRoot, 'client-web', 'public'), model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_raw_text_stream' });
});

after(async () => {
  await hub?.stop();
});

/** One binary audio frame (PROTOCOL.md, "Binary audio frames"): its type, flags, metadata and payload. */
function parseFrame(data) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  assert.equal(view.getUint8(0), 1, 'protocol version');
  const metadataLength = view.getUint32(4);
  const metadata = JSON.parse(data.subarray(8, 8 + metadataLength).toString('utf8'));
  const payloadLength = view.getUint32(8 + metadataLength);
  const payload = data.subarray(12 + metadataLength, 12 + metadataLength + payloadLength);
  assert.equal(payload.length, payloadLength, 'truncated payload');
  return { type: view.getUint8(2), last: (view.getUint8(1) & 1) === 1, metadata, payload };
}

/**
 * A raw /tts connection: `send` writes a JSON message; `next(predicate)` waits (bounded) for the next received
 * message matching it, JSON as objects and binary frames as { frame }; `received` keeps them all in order.
 */
async function open() {
  const socket = new WebSocket(`${hub.apiUrl.replace('http', 'ws')}/tts`);
  const messages = inbox(stepTimeoutMs);
  socket.on('message', (data, isBinary) => messages.push(isBinary ? { frame: parseFrame(data) } : JSON.parse(data.toString('utf8'))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let seen = 0;
  return {
    received: messages.received,
    send: (message) => socket.send(JSON.stringify(message)),
    async next(predicate = () => true) {
      const index = await messages.indexOf(predicate, seen);
      seen = index + 1;
      return messages.received[index];
    },
    close: () => new Promise((resolve) => (socket.once('close', resolve), socket.close())),
  };
}

const isEnd = (message) => message.type === 'complete' || message.type === 'error';

test('text streamed in piece by piece comes back as one continuous audio stream, the first audio before the text ends', { timeout: 120_000 }, async () => {
  const tts = await open();
  try {
    tts.send({ type: 'tts_stream_start', request_id: 's1', params: { seed: 3 } });
    for (const piece of ['A language model ', 'writes this ', 'sentence. ']) tts.send({ type: 'tts_stream_text', request_id: 's1', text: piece });
    tts.send({ type: 'tts_stream_flush', request_id: 's1' });
    // The first phrase is spoken while the rest of the text has not been written yet.
    const first = await tts.next((message) => message.frame || isEnd(message));
    assert.ok(first.frame, `expected audio, got ${JSON.stringify(first)}`);
    for (const word of 'The voice keeps speaking, phrase by phrase, as the words arrive.'.split(' ')) {
      tts.send({ type: 'tts_stream_text', request_id: 's1', text: `${word} ` });
    }
    tts.send({ type: 'tts_stream_end', request_id: 's1', text: 'The end.' });
    const complete = await tts.next(isEnd);
    assert.equal(complete.type, 'complete', JSON.stringify(complete));

    const kinds = tts.received.map((message) => message.type ?? 'frame');
    assert.equal(kinds.filter((kind) => kind === 'started').length, 1, kinds.join(', '));
    assert.ok(kinds.includes('queued') && kinds.indexOf('queued') < kinds.indexOf('started'), kinds.join(', '));
    const frames = tts.received.filter((message) => message.frame).map((message) => message.frame);
    assert.ok(frames.length > 0 && frames.every((frame) => frame.type === 1 && frame.metadata.request_id === 's1' && frame.metadata.sample_rate === 16000));
    // One gap-free sequence across every phrase, the last frame flagged, every sample accounted for.
    assert.deepEqual(frames.map((frame) => frame.metadata.sequence), frames.map((_, i) => i));
    assert.deepEqual(frames.map((frame) => frame.last), frames.map((_, i) => i === frames.length - 1));
    const samples = frames.reduce((sum, frame) => sum + frame.payload.length / 2, 0);
    assert.equal(complete.samples, samples);
    assert.equal(complete.chunks, frames.length);
    assert.ok(complete.segments >= 3, `segments: ${complete.segments}`);
    assert.ok(complete.synthesis_id, 'complete names no history row');
  } finally {
    await tts.close();
  }
});

test('cancel stops a text stream mid-way; text for a stream that is not open is answered not_found; the connection keeps serving', { timeout: 120_000 }, async () => {
  const tts = await open();
  try {
    tts.send({ type: 'tts_stream_start', request_id: 'c1', params: { seed: 1, text: 'This stream is cancelled before it ends. ' } });
    tts.send({ type: 'tts_stream_flush', request_id: 'c1' });
    await tts.next((message) => message.type === 'started');
    tts.send({ type: 'cancel', request_id: 'c1' });
    const cancelled = await tts.next(isEnd);
    assert.equal(cancelled.type, 'error');
    assert.equal(cancelled.error.code, 'cancelled');

    tts.send({ type: 'tts_stream_text', request_id: 'c1', text: 'too late' });
    const late = await tts.next((message) => message.type === 'error');
    assert.equal(late.error.code, 'not_found');

    tts.send({ type: 'tts_stream_start', request_id: 'c2', params: { seed: 1 } });
    tts.send({ type: 'tts_stream_end', request_id: 'c2', text: 'Still serving.' });
    assert.equal((await tts.next(isEnd)).type, 'complete');
  } finally {
    await tts.close();
  }
});

test('a raw client asking for Opus decodes it back to the PCM stream\'s length', { timeout: 120_000 }, async () => {
  const tts = await open();
  try {
    const params = { text: 'Opus frames on the raw protocol.', seed: 4 };
    tts.send({ type: 'tts_request', request_id: 'pcm', params });
    const pcmComplete = await tts.next(isEnd);
    tts.send({ type: 'tts_request', request_id: 'opus', params: { ...params, audio_format: 'opus' } });
    const opusComplete = await tts.next(isEnd);
    assert.equal(pcmComplete.type, 'complete');
    assert.equal(opusComplete.type, 'complete', JSON.stringify(opusComplete));
    const frames = (id) => tts.received.filter((message) => message.frame?.metadata.request_id === id).map((message) => message.frame);
    const pcmSamples = frames('pcm').reduce((sum, frame) => sum + frame.payload.length / 2, 0);
    const opus = frames('opus');
    assert.ok(opus.length > 0 && opus.every((frame) => frame.metadata.format === 'opus' && frame.metadata.sample_rate === 16000));

    const decoder = new OpusDecoder({ sampleRate: 16000, channels: 1, preSkip: 0 });
    await decoder.ready;
    let decoded = 0;
    for (const frame of opus) {
      let offset = 0;
      for (const size of frame.metadata.packets) {
        decoded += decoder.decodeFrame(frame.payload.subarray(offset, offset + size)).samplesDecoded;
        offset += size;
      }
      assert.equal(offset, frame.payload.length);
    }
    decoder.free();
    const expected = opus.reduce((sum, frame) => sum + frame.metadata.samples, 0);
    assert.equal(expected, pcmSamples);
    assert.equal(opusComplete.samples, pcmSamples);
    const real = decoded - opus[0].metadata.pre_skip;
    assert.ok(real >= pcmSamples && real - pcmSamples < 320, `decoded ${real} after pre-skip, PCM ${pcmSamples}`);
  } finally {
    await tts.close();
  }
});
