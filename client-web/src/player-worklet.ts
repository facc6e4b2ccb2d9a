// Runs on the audio thread: plays queued PCM chunks gaplessly and reports how much it played.
import { PlaybackQueue } from './jitter';
import { playerProcessorName, type ToWorklet, type WorkletStats } from './player-messages';

/** Render quanta between two stats messages (128 samples each: ~50 ms at 16 kHz). */
const statsEvery = 6;

class StreamPlayerProcessor extends AudioWorkletProcessor {
  private readonly queue = new PlaybackQueue();
  private quanta = 0;
  private lastState = this.queue.state;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<ToWorklet>) => {
      const message = event.data;
      if (message.type === 'reset') {
        this.queue.reset();
        this.report();
      } else if (message.type === 'chunk') {
        this.queue.setTarget(message.target);
        this.queue.push(message.samples);
      } else {
        this.queue.end();
      }
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    // outputs[0] is typed as always there, but a node with no connected output may be handed an empty list.
    const channels = outputs.at(0);
    if (channels && channels.length > 0) {
      this.queue.render(channels[0]);
      for (let c = 1; c < channels.length; c++) {
        channels[c].set(channels[0]);
      }
    }
    // Reports at once on a state change (drained, underrun), otherwise every few quanta while active.
    if (this.queue.state !== this.lastState || (this.queue.state !== 'idle' && ++this.quanta % statsEvery === 0)) {
      this.lastState = this.queue.state;
      this.report();
    }
    return true;
  }

  private report(): void {
    const stats: WorkletStats = {
      type: 'stats',
      state: this.queue.state,
      played: this.queue.played,
      buffered: this.queue.buffered,
      underruns: this.queue.underruns,
      target: this.queue.target,
    };
    this.port.postMessage(stats);
  }
}

registerProcessor(playerProcessorName, StreamPlayerProcessor);
