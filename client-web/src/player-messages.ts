/** Messages between the StreamPlayer (main thread) and the player worklet. */
export type ToWorklet =
  | { type: 'reset' }
  | { type: 'chunk'; samples: Float32Array; target: number }
  | { type: 'end' };

export interface WorkletStats {
  type: 'stats';
  state: 'idle' | 'buffering' | 'playing' | 'drained';
  played: number;
  buffered: number;
  underruns: number;
  target: number;
}

export const playerProcessorName = 'voxcpm-stream-player';
