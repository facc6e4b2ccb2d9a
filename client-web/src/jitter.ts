/**
 * Jitter-buffer logic, kept free of Web Audio so it can be unit-tested: the main thread measures chunk arrival
 * times (ArrivalJitter) and the AudioWorklet plays from a PlaybackQueue.
 */

/** Samples of the linear ramps that replace a hard step at an underrun or a resume. */
export const FADE_SAMPLES = 64;

export interface JitterOptions {
  /** Safety margin added to the worst lateness seen. */
  marginMs: number;
  /** Upper bound of the target, so a stalled server does not make the player wait forever. */
  maxMs: number;
  /** The least audio buffered before playback starts (0: start on the first chunk). */
  minMs: number;
}

const defaultJitterOptions: JitterOptions = { marginMs: 60, maxMs: 3000, minMs: 0 };

/**
 * Sizes the jitter buffer from measured chunk timing. Had playback started when chunk 0 arrived, chunk i would be
 * needed at t0 + (audio before it); its lateness is how much later it actually arrived. A buffer of the worst
 * lateness seen (plus a margin) would have played through without a gap, so that is the target the player refills
 * to after an underrun. Playback itself starts on the first chunk (target 0 until lateness is observed), or once
 * `minMs` of audio is buffered.
 */
export class ArrivalJitter {
  private firstArrivalMs: number | null = null;
  private audioMsBefore = 0;
  private worstLatenessMs = 0;
  private readonly options: JitterOptions;

  constructor(
    private readonly sampleRate: number,
    options: Partial<JitterOptions> = {},
  ) {
    this.options = { ...defaultJitterOptions, ...options };
  }

  /** Records one chunk's arrival; returns the target buffer in samples. */
  onChunk(arrivalMs: number, samples: number): number {
    if (this.firstArrivalMs === null) {
      this.firstArrivalMs = arrivalMs;
    } else {
      const lateness = arrivalMs - (this.firstArrivalMs + this.audioMsBefore);
      this.worstLatenessMs = Math.max(this.worstLatenessMs, lateness);
    }
    this.audioMsBefore += (samples / this.sampleRate) * 1000;
    return this.targetSamples();
  }

  /** The worst lateness seen so far, in milliseconds (0 when every chunk came in time). */
  get worstLateness(): number {
    return this.worstLatenessMs;
  }

  targetSamples(): number {
    const measured = this.worstLatenessMs <= 0 ? 0 : Math.min(this.options.maxMs, this.worstLatenessMs + this.options.marginMs);
    return Math.round((Math.max(measured, this.options.minMs) / 1000) * this.sampleRate);
  }
}

export type QueueState = 'idle' | 'buffering' | 'playing' | 'drained';

/**
 * The worklet's sample queue. Chunks are copied back to back into the output, so consecutive chunks join without a
 * gap or a discontinuity. On an underrun the last sample decays to zero over FADE_SAMPLES (no click), the queue
 * refills to the target before it resumes, and resumes with a fade-in.
 */
export class PlaybackQueue {
  private chunks: Float32Array[] = [];
  private offset = 0;
  private fadeIn = 0;
  private tail = 0;
  private tailLeft = 0;
  state: QueueState = 'idle';
  buffered = 0;
  played = 0;
  underruns = 0;
  target = 0;
  ended = false;

  reset(): void {
    this.chunks = [];
    this.offset = 0;
    this.fadeIn = 0;
    this.tailLeft = 0;
    this.state = 'idle';
    this.buffered = 0;
    this.played = 0;
    this.underruns = 0;
    this.target = 0;
    this.ended = false;
  }

  push(chunk: Float32Array): void {
    if (chunk.length === 0) {
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.state === 'idle' || this.state === 'drained') {
      this.state = 'buffering';
    }
  }

  setTarget(samples: number): void {
    this.target = Math.max(0, Math.floor(samples));
  }

  /** No more chunks will come: play out what is buffered, whatever the target. */
  end(): void {
    this.ended = true;
  }

  /** Fills `out` (one render quantum); returns how many of its samples came from the queue. */
  render(out: Float32Array): number {
    let written = 0;
    if (this.state === 'buffering' && this.buffered > 0 && (this.ended || this.buffered >= Math.max(1, this.target))) {
      this.state = 'playing';
      this.fadeIn = this.played > 0 ? FADE_SAMPLES : 0;
    }
    if (this.state === 'playing') {
      while (written < out.length && this.chunks.length > 0) {
        const chunk = this.chunks[0];
        const take = Math.min(out.length - written, chunk.length - this.offset);
        out.set(chunk.subarray(this.offset, this.offset + take), written);
        written += take;
        this.offset += take;
        if (this.offset === chunk.length) {
          this.chunks.shift();
          this.offset = 0;
        }
      }
      for (let i = 0; this.fadeIn > 0 && i < written; i++, this.fadeIn--) {
        out[i] *= 1 - this.fadeIn / FADE_SAMPLES;
      }
      this.buffered -= written;
      this.played += written;
      if (written > 0) {
        this.tail = out[written - 1];
      }
      if (this.buffered === 0) {
        if (this.ended) {
          this.state = 'drained';
          this.tailLeft = FADE_SAMPLES;
        } else if (written < out.length) {
          this.state = 'buffering';
          this.underruns++;
          this.tailLeft = FADE_SAMPLES;
        }
      }
    }
    for (let i = written; i < out.length; i++) {
      out[i] = this.tailLeft > 0 ? (this.tail * --this.tailLeft) / FADE_SAMPLES : 0;
    }
    return written;
  }
}
