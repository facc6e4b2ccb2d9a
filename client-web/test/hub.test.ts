import { MessageType, NullLogger, type StreamInvocationMessage, type StreamItemMessage } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { parseJobUpdate, parseServerStatus, parseStreamItem } from '../src/hub';
import { emptyParameters, toWireRequest } from '../src/params';
import { decodePcm16 } from '../src/pcm';

const protocol = new MessagePackHubProtocol();

/** A stream item as the server writes it: a map with string keys, byte[] as msgpack bin, nulls for unset fields. */
function serverFrame(item: Record<string, unknown>): ArrayBuffer {
  const message: StreamItemMessage = { type: MessageType.StreamItem, invocationId: '1', item };
  return protocol.writeMessage(message);
}

function receive(frame: ArrayBuffer): unknown {
  const [message] = protocol.parseMessages(frame, NullLogger.instance);
  expect(message.type).toBe(MessageType.StreamItem);
  return (message as StreamItemMessage).item;
}

describe('SignalR MessagePack stream items', () => {
  it('decodes an audio item into PCM samples', () => {
    const pcm = new Uint8Array([0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f]);
    const item = parseStreamItem(
      receive(serverFrame({ kind: 'audio', requestId: 'r1', position: null, sequence: 3, sampleRate: 16000, audio: pcm, step: 4, progress: null, summary: null, error: null })),
    );
    expect(item).toMatchObject({ kind: 'audio', requestId: 'r1', sequence: 3, sampleRate: 16000, step: 4, position: null, summary: null });
    expect(item.audio).toBeInstanceOf(Uint8Array);
    expect(Array.from(decodePcm16(item.audio ?? new Uint8Array(0)))).toEqual([0.5, -0.5, 32767 / 32768]);
  });

  it('decodes complete with its summary, and error with code, message and field', () => {
    const complete = parseStreamItem(
      receive(
        serverFrame({
          kind: 'complete',
          requestId: 'r1',
          summary: { synthesisId: '0193a5a4-0000-7000-8000-000000000001', duration: 1.28, sampleRate: 16000, samples: 20480, chunks: 16, stopReason: 'stop_head', attempts: 1, queueWaitMs: 0.5, timeToFirstAudioMs: 41.5, totalMs: 160, rtf: 0.125 },
        }),
      ),
    );
    expect(complete.summary).toEqual({
      synthesisId: '0193a5a4-0000-7000-8000-000000000001', duration: 1.28, sampleRate: 16000, samples: 20480, chunks: 16, stopReason: 'stop_head', attempts: 1, queueWaitMs: 0.5, timeToFirstAudioMs: 41.5, totalMs: 160, rtf: 0.125,
    });
    const error = parseStreamItem(receive(serverFrame({ kind: 'error', requestId: 'r2', error: { code: 'invalid_request', message: 'cfg_value must be between 0.1 and 10 (got 12)', field: 'cfg_value' } })));
    expect(error.error).toEqual({ code: 'invalid_request', message: 'cfg_value must be between 0.1 and 10 (got 12)', field: 'cfg_value' });
    expect(error.audio).toBeNull();
  });

  it('reads job_accepted, JobUpdate and ServerStatus', () => {
    expect(parseStreamItem(receive(serverFrame({ kind: 'job_accepted', requestId: 'r', jobId: '17' }))).jobId).toBe('17');
    expect(parseJobUpdate({ jobId: '17', synthesisId: null, status: 'Completed', progress: 1, summary: null, error: null })).toMatchObject({ jobId: '17', status: 'completed', progress: 1 });
    expect(parseServerStatus({ model: 'v05', device: 'cpu', modelState: 'Ready', sampleRate: 16000, activeStreams: 1, queueLength: 0, maxConcurrent: 10 })).toMatchObject({ sampleRate: 16000, maxConcurrent: 10 });
    expect(parseServerStatus(null)).toBeNull();
  });

  it('reads the model\'s inputs and the request limits from ServerStatus', () => {
    const limits = {
      cfgValue: { min: 0.1, max: 10, default: 2 }, inferenceTimesteps: { min: 1, max: 50, default: 10 },
      maxTextLength: 2000, maxPromptTextLength: 1000, maxVoiceDescriptionLength: 500, maxUrlLength: 2048,
    };
    const status = parseServerStatus(receive(serverFrame({ model: 'v2', sampleRate: 48000, architecture: 'voxcpm2', voxCpm2Inputs: true, limits })));
    expect(status).toMatchObject({ architecture: 'voxcpm2', voxCpm2Inputs: true, limits });
    // An older server without limits: the form keeps the server's defaults by leaving the numbers out.
    expect(parseServerStatus({ model: 'v05', sampleRate: 16000 })).toMatchObject({ voxCpm2Inputs: false, limits: null });
    expect(parseServerStatus({ limits: { ...limits, cfgValue: { min: 0.1 } } })?.limits).toBeNull();
  });

  it('reads an Opus audio item: packets, pre-skip and samples', () => {
    const item = parseStreamItem(receive(serverFrame({ kind: 'audio', requestId: 'r', sequence: 0, sampleRate: 48000, audio: new Uint8Array([1, 2, 3, 4, 5]), format: 'opus', packets: [2, 3], preSkip: 312, samples: 1920 })));
    expect(item).toMatchObject({ format: 'opus', packets: [2, 3], preSkip: 312, samples: 1920, sampleRate: 48000 });
    expect(parseStreamItem({ kind: 'audio', audio: new Uint8Array(2) })).toMatchObject({ format: null, packets: [], preSkip: null, samples: null });
  });

  it('tolerates an item that is not a map', () => {
    expect(parseStreamItem(null)).toMatchObject({ kind: '', audio: null, summary: null, error: null });
  });
});

describe('SynthesisRequest on the wire', () => {
  it('sends the keys that are set, in camelCase, with the mode spelled as the raw protocol spells it', () => {
    const request = toWireRequest('你好', { ...emptyParameters, mode: 'non_streaming', cfgValue: 2.5, inferenceTimesteps: 12, seed: 42, voiceId: 'v1', promptText: 'ref', voiceDescription: 'a calm voice', audioFormat: 'opus' });
    const message: StreamInvocationMessage = { type: MessageType.StreamInvocation, invocationId: '1', target: 'Synthesize', arguments: [request], streamIds: [] };
    const frame = new Uint8Array(protocol.writeMessage(message));
    // Skip the varint length prefix, then decode the SignalR envelope: [type, headers, id, target, args, streamIds].
    let offset = 0;
    while (frame[offset] & 0x80) offset++;
    const envelope = decode(frame.subarray(offset + 1)) as unknown[];
    const [sent] = envelope[4] as Record<string, unknown>[];
    expect(sent).toEqual({
      text: '你好', mode: 'non_streaming', promptText: 'ref', voiceId: 'v1', cfgValue: 2.5, inferenceTimesteps: 12, normalize: false, denoise: false, retryBadcase: true, seed: 42, voiceDescription: 'a calm voice', audioFormat: 'opus',
    });
  });

  it('leaves out numbers the form left empty, so the server applies its defaults', () => {
    const sent = toWireRequest('x', emptyParameters);
    expect(sent).toEqual({ text: 'x', mode: 'streaming', normalize: false, denoise: false, retryBadcase: true });
  });

  it('encodes whole-number doubles as msgpack integers, which the server reads as doubles', () => {
    // 2.0 becomes positive fixint 2: MessagePack-CSharp's ReadDouble accepts every numeric type.
    expect(Array.from(encode({ cfgValue: 2.0 })).at(-1)).toBe(2);
  });
});
