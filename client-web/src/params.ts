/** Synthesis parameters with the seed README's ranges and defaults (SynthesisDefaults.cs on the server). */
export const limits = {
  cfgValue: { min: 0.1, max: 10, step: 0.1, default: 2.0 },
  inferenceTimesteps: { min: 1, max: 50, step: 1, default: 10 },
} as const;

export interface SynthesisParameters {
  mode: 'streaming' | 'non_streaming';
  cfgValue: number;
  inferenceTimesteps: number;
  normalize: boolean;
  denoise: boolean;
  retryBadcase: boolean;
  seed: number | null;
  voiceId: string | null;
  promptWavUrl: string | null;
  promptText: string | null;
}

export const defaultParameters: SynthesisParameters = {
  mode: 'streaming',
  cfgValue: limits.cfgValue.default,
  inferenceTimesteps: limits.inferenceTimesteps.default,
  normalize: false,
  denoise: false,
  retryBadcase: true,
  seed: null,
  voiceId: null,
  promptWavUrl: null,
  promptText: null,
};

/**
 * SynthesisMode on the wire. ASP.NET Core SignalR's MessagePack protocol resolves enums with
 * DynamicEnumAsStringResolver before the standard resolver, so the server reads the enum by its C# name and refuses
 * an integer ("Unexpected msgpack code 0 (positive fixint)", seen against a real AddMessagePackProtocol() hub).
 */
export const SynthesisModeWire = { streaming: 'Streaming', non_streaming: 'NonStreaming' } as const;

/** The hub's SynthesisRequest with its MessagePack keys. Every key is sent, null where unset. */
export interface SynthesisRequestWire {
  text: string;
  mode: (typeof SynthesisModeWire)[keyof typeof SynthesisModeWire];
  promptWavUrl: string | null;
  promptText: string | null;
  voiceId: string | null;
  cfgValue: number;
  inferenceTimesteps: number;
  normalize: boolean;
  denoise: boolean;
  retryBadcase: boolean;
  seed: number | null;
}

/**
 * Builds the wire request. Values are passed through as typed, out of range included: the server's validator is
 * the one judge, and its error (naming the field and the limit) is what the user sees.
 */
export function toWireRequest(text: string, parameters: SynthesisParameters): SynthesisRequestWire {
  return {
    text,
    mode: SynthesisModeWire[parameters.mode],
    promptWavUrl: parameters.promptWavUrl,
    promptText: parameters.promptText,
    voiceId: parameters.voiceId,
    cfgValue: parameters.cfgValue,
    // An int on the server: a fraction would fail MessagePack deserialization instead of reaching the validator.
    inferenceTimesteps: Math.trunc(parameters.inferenceTimesteps),
    normalize: parameters.normalize,
    denoise: parameters.denoise,
    retryBadcase: parameters.retryBadcase,
    seed: parameters.seed,
  };
}

/** A number field's value, or the default when empty or not a number. */
export function parseNumber(raw: string, fallback: number): number {
  const value = Number(raw.trim());
  return raw.trim() === '' || !Number.isFinite(value) ? fallback : value;
}

/** The seed field: empty means random (null); otherwise an integer. */
export function parseSeed(raw: string): number | null {
  const trimmed = raw.trim();
  if (trimmed === '') {
    return null;
  }
  const value = Number(trimmed);
  return Number.isFinite(value) ? Math.trunc(value) : null;
}
