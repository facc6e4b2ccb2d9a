/**
 * Streaming playback: an AudioContext at the stream's sample rate, the player worklet fed chunk by chunk, and an
 * AnalyserNode after it for the visualizer.
 */
import workletUrl from './player-worklet.ts?worker&url';
import { ArrivalJitter } from './jitter';
import { playerProcessorName, type ToWorklet, type WorkletStats } from './player-messages';

export interface PlayerEvents {
  onStats(stats: WorkletStats): void;
}

export class StreamPlayer {
  private context: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private ready: Promise<void> | null = null;
  private jitter: ArrivalJitter | null = null;
  analyser: AnalyserNode | null = null;

  constructor(private readonly events: PlayerEvents) {}

  get sampleRate(): number | null {
    return this.context?.sampleRate ?? null;
  }

  /**
   * Prepares a context at `sampleRate` (a new one when the rate changed) and resumes it. Call it from the click
   * or key handler that starts a synthesis, so the browser's autoplay policy lets the audio start.
   */
  async prepare(sampleRate: number): Promise<void> {
    if (this.context && this.context.sampleRate !== sampleRate) {
      await this.close();
    }
    if (!this.context) {
      const context = new AudioContext({ sampleRate, latencyHint: 'interactive' });
      this.context = context;
      this.ready = context.audioWorklet.addModule(workletUrl).then(() => {
        const node = new AudioWorkletNode(context, playerProcessorName, { numberOfInputs: 0, outputChannelCount: [1] });
        const analyser = context.createAnalyser();
        analyser.fftSize = 2048;
        analyser.smoothingTimeConstant = 0.6;
        node.connect(analyser).connect(context.destination);
        node.port.onmessage = (event: MessageEvent<WorkletStats>) => this.events.onStats(event.data);
        this.node = node;
        this.analyser = analyser;
      });
    }
    const resumed = this.context.state === 'suspended' ? this.context.resume() : Promise.resolve();
    await Promise.all([this.ready, resumed]);
  }

  /** Starts a new stream: drops what was queued and measures chunk timing afresh; plays once `minBufferMs` is queued. */
  begin(minBufferMs = 0): void {
    this.jitter = this.context ? new ArrivalJitter(this.context.sampleRate, { minMs: minBufferMs }) : null;
    this.post({ type: 'reset' });
  }

  /** Queues one chunk (already at the context's rate); it plays as soon as it arrives. */
  push(samples: Float32Array): void {
    const target = this.jitter?.onChunk(performance.now(), samples.length) ?? 0;
    this.node?.port.postMessage({ type: 'chunk', samples, target } satisfies ToWorklet, [samples.buffer]);
  }

  end(): void {
    this.post({ type: 'end' });
  }

  stop(): void {
    this.post({ type: 'reset' });
  }

  private post(message: ToWorklet): void {
    this.node?.port.postMessage(message);
  }

  private async close(): Promise<void> {
    const context = this.context;
    this.context = null;
    this.node = null;
    this.analyser = null;
    this.ready = null;
    await context?.close();
  }
}

/** Linear resampling, for a whole file whose rate differs from the playing context (history playback). */
export function resampleLinear(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to || samples.length === 0) {
    return samples;
  }
  const length = Math.max(1, Math.round((samples.length * to) / from));
  const out = new Float32Array(length);
  const ratio = from / to;
  for (let i = 0; i < length; i++) {
    const position = i * ratio;
    const index = Math.floor(position);
    const next = Math.min(samples.length - 1, index + 1);
    const fraction = position - index;
    out[i] = samples[Math.min(index, samples.length - 1)] * (1 - fraction) + samples[next] * fraction;
  }
  return out;
}
