// The SignalR wire contract as a JavaScript application meets it: the official @microsoft/signalr client, with
// @microsoft/signalr-protocol-msgpack and with JSON, in Node against the real hub and the tiny model. `mode` is
// spelled as the raw protocol spells it ("streaming"), or left out; a field of the wrong type gets an error item
// that names it (never SignalR's bare "error on the server") and a warning in the hub's log.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { audioBytes, collectStream, connectSignalR, fixturesRoot, repoRoot, startHub } from './hub.mjs';

const stepTimeoutMs = 30_000;
let hub;

before(async () => {
  hub = await startHub({ webRoot: join(repoRoot, 'client-web', 'public'), model: join(fixturesRoot(), 'v05'), database: 'voxcpm_e2e_signalr_wire' });
});

after(async () => {
  await hub?.stop();
});

const connect = (protocol) => connectSignalR(hub.apiUrl, protocol);

/** Every item of one Synthesize stream; rejects with the stream's error (a HubException's message), bounded in time. */
const synthesize = (connection, request) => collectStream(connection.stream('Synthesize', request), stepTimeoutMs);

for (const protocol of ['messagepack', 'json']) {
  for (const [name, request] of [
    ['mode "streaming"', { text: 'Hello from JavaScript.', mode: 'streaming', seed: 7 }],
    ['no mode', { text: 'Hello from JavaScript.', seed: 7 }],
  ]) {
    test(`${protocol}: ${name} streams audio to a complete item`, async () => {
      const connection = await connect(protocol);
      try {
        const items = await synthesize(connection, request);
        const kinds = items.map((item) => item.kind);
        assert.equal(kinds.at(-1), 'complete', `kinds: ${kinds.join(', ')}`);
        const audio = items.filter((item) => item.kind === 'audio');
        assert.ok(audio.length > 0, 'no audio item');
        assert.deepEqual(audio.map((item) => item.sequence), audio.map((_, i) => i));
        assert.ok(audio.reduce((sum, item) => sum + audioBytes(item).length, 0) > 0, 'the audio items are empty');
        assert.equal(items.at(-1).summary.chunks, audio.length);
      } finally {
        await connection.stop();
      }
    });
  }
}

test('the same seed gives the same audio over MessagePack and JSON', async () => {
  const [packed, json] = await Promise.all([connect('messagepack'), connect('json')]);
  try {
    const request = { text: 'Same on both wires.', mode: 'streaming', seed: 11 };
    const [a, b] = await Promise.all([synthesize(packed, request), synthesize(json, request)]);
    const pcm = (items) => Buffer.concat(items.filter((item) => item.kind === 'audio').map(audioBytes));
    assert.ok(pcm(a).equals(pcm(b)), 'the two protocols produced different audio');
  } finally {
    await Promise.all([packed.stop(), json.stop()]);
  }
});

for (const protocol of ['messagepack', 'json']) {
  test(`${protocol}: a field that cannot be bound gets an error item naming it, and the hub logs a warning`, async () => {
    const connection = await connect(protocol);
    try {
      const items = await synthesize(connection, { text: 'hi', mode: 'streaming', cfgValue: 'high' });
      assert.equal(items.length, 1);
      const [item] = items;
      assert.equal(item.kind, 'error');
      assert.equal(item.error.code, 'invalid_request');
      assert.equal(item.error.field, 'cfgValue');
      assert.match(item.error.message, /cfgValue must be a number \(got string\)/);

      const mode = await synthesize(connection, { text: 'hi', mode: 'fast' });
      assert.equal(mode[0].error.field, 'mode');
      assert.match(mode[0].error.message, /'streaming' or 'non_streaming'/);

      // The connection is still usable.
      const ok = await synthesize(connection, { text: 'Still here.', seed: 1 });
      assert.equal(ok.at(-1).kind, 'complete');
      assert.match(hub.output(), /field cfgValue cannot be bound/);
    } finally {
      await connection.stop();
    }
  });
}

test('a value out of range is still refused by the validator, naming the field', async () => {
  const connection = await connect('messagepack');
  try {
    await assert.rejects(synthesize(connection, { text: 'hi', cfgValue: 12 }), /\[invalid_request\].*cfg_value/);
  } finally {
    await connection.stop();
  }
});
