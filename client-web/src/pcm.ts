/** Audio byte formats the hub sends: raw PCM16 chunks (SignalR, raw /tts) and PCM16 WAV files (history). */

/**
 * Mono signed 16-bit little-endian PCM → floats in [-1, 1). Reads through a DataView because a msgpack-decoded
 * Uint8Array is usually a view into a larger buffer at an odd offset, where an Int16Array cannot be laid over it.
 * A trailing odd byte (never sent by the hub) is ignored.
 */
export function decodePcm16(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength >> 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    samples[i] = view.getInt16(i * 2, true) / 32768;
  }
  return samples;
}

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  /** The first channel, as floats. */
  samples: Float32Array;
}

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/**
 * Parses a PCM16 RIFF/WAVE file (what the hub's WavWriter writes), walking the chunks so extra ones (LIST, fact)
 * are skipped. Throws on anything else; callers fall back to the browser's decoder.
 */
export function parseWav(buffer: ArrayBuffer): DecodedWav {
  const view = new DataView(buffer);
  if (buffer.byteLength < 12 || fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | null = null;
  while (offset + 8 <= buffer.byteLength) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        tag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) {
        throw new Error('WAV data chunk before its fmt chunk');
      }
      if (format.tag !== 1 || format.bits !== 16 || format.channels < 1) {
        throw new Error(`unsupported WAV format (tag ${format.tag}, ${format.bits} bits)`);
      }
      // A streamed writer may leave the size at 0 or 0xFFFFFFFF; take what is there.
      const end = Math.min(buffer.byteLength, size === 0 || size === 0xffffffff ? buffer.byteLength : body + size);
      const frames = Math.floor((end - body) / (2 * format.channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        samples[i] = view.getInt16(body + i * 2 * format.channels, true) / 32768;
      }
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    offset = body + size + (size & 1);
  }
  throw new Error('WAV file has no data chunk');
}

/**
 * A PCM16 mono WAV file of the audio chunks as they arrived (the bytes the hub sent, unchanged), for the download
 * button: the same 44-byte header the hub's WavWriter writes.
 */
export function encodeWav(chunks: readonly Uint8Array[], sampleRate: number): Blob {
  const dataBytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  header.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, sampleRate, true);
  header.setUint32(28, sampleRate * 2, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  ascii(36, 'data');
  header.setUint32(40, dataBytes, true);
  return new Blob([header.buffer, ...chunks.map((chunk) => chunk.slice())], { type: 'audio/wav' });
}

/** Floats in [-1, 1] → mono signed 16-bit little-endian PCM (clipped), the bytes the hub sends for PCM16. */
export function encodePcm16(samples: Float32Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) {
    const clipped = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(i * 2, Math.round(clipped < 0 ? clipped * 32768 : clipped * 32767), true);
  }
  return bytes;
}
