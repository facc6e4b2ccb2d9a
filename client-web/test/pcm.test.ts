import { describe, expect, it } from 'vitest';
import { decodePcm16, parseWav } from '../src/pcm';

function pcmBytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setInt16(i * 2, value, true));
  return bytes;
}

function wav(values: number[], sampleRate: number, extraChunk = false): ArrayBuffer {
  const data = pcmBytes(values);
  const extra = extraChunk ? 8 + 4 : 0;
  const buffer = new ArrayBuffer(44 + extra + data.length);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, buffer.byteLength - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  let offset = 36;
  if (extraChunk) {
    ascii(offset, 'LIST');
    view.setUint32(offset + 4, 4, true);
    ascii(offset + 8, 'INFO');
    offset += 12;
  }
  ascii(offset, 'data');
  view.setUint32(offset + 4, data.length, true);
  new Uint8Array(buffer, offset + 8).set(data);
  return buffer;
}

describe('decodePcm16', () => {
  it('reads signed 16-bit little-endian samples into [-1, 1)', () => {
    const samples = decodePcm16(pcmBytes([0, 16384, -16384, 32767, -32768, 1]));
    expect(Array.from(samples)).toEqual([0, 0.5, -0.5, 32767 / 32768, -1, 1 / 32768]);
  });

  it('reads a view at an odd offset inside a larger buffer (how msgpack hands out bin fields)', () => {
    const backing = new Uint8Array(1 + 6);
    backing.set(pcmBytes([1000, -2000, 3000]), 1);
    const view = backing.subarray(1);
    expect(view.byteOffset).toBe(1);
    expect(Array.from(decodePcm16(view)).map((s) => Math.round(s * 32768))).toEqual([1000, -2000, 3000]);
  });

  it('ignores a trailing odd byte and returns nothing for an empty chunk', () => {
    expect(decodePcm16(new Uint8Array([0x00, 0x40, 0x7f])).length).toBe(1);
    expect(decodePcm16(new Uint8Array(0)).length).toBe(0);
  });
});

describe('parseWav', () => {
  it('reads rate and samples of a PCM16 mono WAV', () => {
    const decoded = parseWav(wav([0, 8192, -8192], 16000));
    expect(decoded.sampleRate).toBe(16000);
    expect(decoded.channels).toBe(1);
    expect(Array.from(decoded.samples)).toEqual([0, 0.25, -0.25]);
  });

  it('skips chunks it does not know', () => {
    expect(parseWav(wav([100, 200], 44100, true)).samples.length).toBe(2);
  });

  it('refuses what is not a PCM16 WAV', () => {
    expect(() => parseWav(new TextEncoder().encode('not a wav file at all').buffer)).toThrow(/RIFF/);
    const float = wav([1, 2], 16000);
    new DataView(float).setUint16(20, 3, true);
    expect(() => parseWav(float)).toThrow(/unsupported/);
  });
});
