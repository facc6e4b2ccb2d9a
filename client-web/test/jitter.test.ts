import { describe, expect, it } from 'vitest';
import { ArrivalJitter, FADE_SAMPLES, PlaybackQueue } from '../src/jitter';

const quantum = 128;

function ramp(start: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => (start + i) / 10000);
}

function renderAll(queue: PlaybackQueue, blocks: number): Float32Array {
  const out = new Float32Array(blocks * quantum);
  for (let b = 0; b < blocks; b++) {
    queue.render(out.subarray(b * quantum, (b + 1) * quantum));
  }
  return out;
}

describe('ArrivalJitter', () => {
  it('asks for no buffer while chunks arrive in time, so playback starts on the first chunk', () => {
    const jitter = new ArrivalJitter(16000);
    // 1280 samples = 80 ms per chunk, arriving every 50 ms: faster than real time.
    expect(jitter.onChunk(1000, 1280)).toBe(0);
    expect(jitter.onChunk(1050, 1280)).toBe(0);
    expect(jitter.onChunk(1100, 1280)).toBe(0);
    expect(jitter.worstLateness).toBe(0);
  });

  it('sizes the target from the worst lateness plus the margin', () => {
    const jitter = new ArrivalJitter(16000, { marginMs: 20, maxMs: 5000 });
    jitter.onChunk(0, 1600); // 100 ms of audio
    jitter.onChunk(100, 1600); // on time
    const target = jitter.onChunk(330, 1600); // needed at 200 ms: 130 ms late
    expect(jitter.worstLateness).toBeCloseTo(130);
    expect(target).toBe(Math.round(0.15 * 16000));
    // An earlier chunk later on does not shrink the target.
    expect(jitter.onChunk(340, 1600)).toBe(target);
  });

  it('keeps a minimum start buffer (an Opus stream), and a larger measured target replaces it', () => {
    const jitter = new ArrivalJitter(16000, { marginMs: 0, minMs: 120 });
    expect(jitter.onChunk(0, 1176)).toBe(1920);
    expect(jitter.onChunk(80, 2560)).toBe(1920); // 6.5 ms late: less than the minimum
    expect(jitter.onChunk(500, 2560)).toBe(Math.round(((500 - (1176 + 2560) / 16) / 1000) * 16000));
  });

  it('caps the target', () => {
    const jitter = new ArrivalJitter(16000, { marginMs: 0, maxMs: 500 });
    jitter.onChunk(0, 160);
    expect(jitter.onChunk(10_000, 160)).toBe(8000);
  });
});

describe('PlaybackQueue', () => {
  it('plays chunks back to back: the output is exactly their concatenation, whatever the chunk sizes', () => {
    const queue = new PlaybackQueue();
    const sizes = [100, 1, 300, 128, 77, 250];
    let start = 0;
    for (const size of sizes) {
      queue.push(ramp(start, size));
      start += size;
    }
    queue.end();
    const out = renderAll(queue, Math.ceil(start / quantum) + 1);
    expect(Array.from(out.subarray(0, start))).toEqual(Array.from(ramp(0, start)));
    expect(queue.played).toBe(start);
    expect(queue.underruns).toBe(0);
    expect(queue.state).toBe('drained');
  });

  it('starts on the first chunk when the target is 0', () => {
    const queue = new PlaybackQueue();
    queue.push(ramp(1, 10));
    const out = new Float32Array(quantum);
    expect(queue.render(out)).toBe(10);
    expect(out[0]).toBeCloseTo(0.0001);
    expect(queue.state).toBe('buffering');
    expect(queue.underruns).toBe(1);
  });

  it('on an underrun decays the last sample to zero instead of stepping, then refills to the target', () => {
    const queue = new PlaybackQueue();
    queue.push(new Float32Array(quantum + 10).fill(0.5));
    renderAll(queue, 1);
    const out = new Float32Array(quantum);
    queue.render(out);
    expect(out[9]).toBe(0.5);
    // After the data: a monotone ramp from below 0.5 down to 0 within FADE_SAMPLES, never a jump.
    for (let i = 10; i < 10 + FADE_SAMPLES; i++) {
      expect(Math.abs(out[i] - out[i - 1])).toBeLessThanOrEqual(0.5 / FADE_SAMPLES + 1e-6);
    }
    expect(out[10 + FADE_SAMPLES]).toBe(0);
    expect(queue.underruns).toBe(1);

    queue.setTarget(300);
    queue.push(new Float32Array(200).fill(0.5));
    expect(queue.render(new Float32Array(quantum))).toBe(0); // 200 < 300: still buffering
    queue.push(new Float32Array(200).fill(0.5));
    const resumed = new Float32Array(quantum);
    expect(queue.render(resumed)).toBe(quantum);
    // Fades back in rather than jumping to 0.5.
    expect(resumed[0]).toBe(0);
    expect(resumed[FADE_SAMPLES]).toBe(0.5);
  });

  it('plays out what is left when the stream ends below the target', () => {
    const queue = new PlaybackQueue();
    queue.setTarget(10_000);
    queue.push(new Float32Array(50).fill(0.25));
    expect(queue.render(new Float32Array(quantum))).toBe(0);
    queue.end();
    expect(queue.render(new Float32Array(quantum))).toBe(50);
    expect(queue.state).toBe('drained');
  });

  it('reset drops everything queued', () => {
    const queue = new PlaybackQueue();
    queue.push(new Float32Array(500).fill(1));
    renderAll(queue, 1);
    queue.reset();
    const out = renderAll(queue, 2);
    expect(out.every((s) => s === 0)).toBe(true);
    expect(queue.played).toBe(0);
    expect(queue.state).toBe('idle');
  });
});
