/**
 * Opus on the wire (docs/signalr.md, "Opus items"): audio items carry 20 ms Opus packets, decoded here with
 * WebCodecs' AudioDecoder. The UI asks for Opus only where this browser decodes it, and PCM16 otherwise.
 */
import type { SynthesisStreamItem } from './hub';

/** The rate the hub's Opus packets decode at: 16 kHz for a 16 kHz model, 48 kHz for any other. */
export function opusRate(modelRate: number): number {
  return modelRate === 16000 ? 16000 : 48000;
}

/** Whether this browser decodes mono Opus at both rates the hub sends (WebCodecs `AudioDecoder`). */
export async function canDecodeOpus(): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined') {
    return false;
  }
  try {
    const answers = await Promise.all([16000, 48000].map((sampleRate) => AudioDecoder.isConfigSupported({ codec: 'opus', sampleRate, numberOfChannels: 1 })));
    return answers.every((answer) => answer.supported === true);
  } catch {
    return false;
  }
}

/**
 * Audio an Opus stream buffers before it starts playing. The hub's encoder holds back part of each chunk (its
 * look-ahead and the packets not yet complete: 1384 of the first 2560 samples with the tiny 16 kHz model), so the
 * first Opus item carries less audio than the PCM16 one and playback started on it alone runs dry before the
 * second item (measured in Chromium: one underrun per cold stream). The held-back audio plus the jitter buffer's
 * usual margin (60 ms) gives the PCM16 stream's lead back; it delays the start of playback, not the first audio's
 * arrival.
 */
export const opusStartBufferMs = 160;

/** One packet's duration in microseconds (the hub sends 20 ms packets); timestamps only order the chunks. */
const packetMicroseconds = 20_000;

/**
 * Decodes one stream's Opus items in order into float samples: drops the encoder's `preSkip` at the start and
 * keeps exactly the sum of the items' `samples` (the last packet's padding is cut), so the result has the PCM
 * stream's length. Output is handed on item by item (once an item's packets are all decoded, one chunk of its
 * samples), not packet by packet: the player sizes its jitter buffer from chunk arrivals, and a first chunk of
 * 20 ms would start playback with almost nothing buffered.
 */
export class OpusStreamDecoder {
  private decoder: AudioDecoder | null = null;
  private sampleRate = 0;
  private timestamp = 0;
  private toSkip = 0;
  /** Real samples the items so far complete; decoded output past it is padding. */
  private allowed = 0;
  private emitted = 0;
  /** Decoded real samples not handed on yet. */
  private pending: Float32Array[] = [];
  private pendingSamples = 0;
  private failure: Error | null = null;

  constructor(private readonly onSamples: (samples: Float32Array, sampleRate: number) => void) {}

  /** Samples handed on so far (after pre-skip, without padding). */
  get decodedSamples(): number {
    return this.emitted;
  }

  get rate(): number {
    return this.sampleRate;
  }

  /** Queues one audio item's packets (the first item configures the decoder). */
  push(item: SynthesisStreamItem): void {
    if (!item.audio || !item.sampleRate) return;
    if (!this.decoder) {
      this.sampleRate = item.sampleRate;
      this.toSkip = item.preSkip ?? 0;
      this.decoder = new AudioDecoder({ output: (data) => this.output(data), error: (error) => (this.failure = error) });
      this.decoder.configure({ codec: 'opus', sampleRate: item.sampleRate, numberOfChannels: 1 });
    }
    this.allowed += item.samples ?? 0;
    let offset = 0;
    for (const size of item.packets) {
      // EncodedAudioChunk copies its data, so a view into MessagePack's receive buffer is safe here.
      this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: this.timestamp, data: item.audio.subarray(offset, offset + size) }));
      offset += size;
      this.timestamp += packetMicroseconds;
    }
  }

  /** Waits until every queued packet is decoded and handed on; throws the decoder's error if it failed. */
  async flush(): Promise<void> {
    if (this.decoder?.state === 'configured') await this.decoder.flush();
    if (this.failure) throw this.failure;
    this.handOn();
  }

  close(): void {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
  }

  private output(data: AudioData): void {
    const frames = data.numberOfFrames;
    const samples = new Float32Array(frames);
    data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
    data.close();
    const start = Math.min(this.toSkip, frames);
    this.toSkip -= start;
    const end = Math.min(frames, start + Math.max(0, this.allowed - this.emitted - this.pendingSamples));
    if (end > start) {
      this.pending.push(samples.subarray(start, end));
      this.pendingSamples += end - start;
    }
    // Every packet of the items so far is decoded once their samples are all here.
    if (this.emitted + this.pendingSamples >= this.allowed) this.handOn();
  }

  private handOn(): void {
    if (this.pendingSamples === 0) return;
    const chunk = new Float32Array(this.pendingSamples);
    let offset = 0;
    for (const piece of this.pending) {
      chunk.set(piece, offset);
      offset += piece.length;
    }
    this.emitted += this.pendingSamples;
    this.pending = [];
    this.pendingSamples = 0;
    this.onSamples(chunk, this.sampleRate);
  }
}
