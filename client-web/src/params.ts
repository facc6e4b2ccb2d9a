/**
 * The synthesis request as the hub reads it (src/VoxCpm.Hub.Contracts/SynthesisRequest.cs, its MessagePack keys),
 * and the form's helpers. Ranges and defaults are not copied here: the hub reports them in its status
 * (`limits`, see hub.ts), and a number left empty is left out of the request, so the server's default applies.
 */

/** How streamed audio travels: PCM16 (the default) or 20 ms Opus packets (docs/signalr.md, "Opus items"). */
export type WireAudioFormat = 'pcm16' | 'opus';

/** The hub's SynthesisRequest. `null` and absent keys mean "unset"; the mode is spelled as the raw protocol spells it. */
export interface SynthesisRequest {
  text: string;
  mode: 'streaming' | 'non_streaming';
  /** null: the server's default (the field was left empty). */
  cfgValue: number | null;
  /** null: the server's default. */
  inferenceTimesteps: number | null;
  normalize: boolean;
  denoise: boolean;
  retryBadcase: boolean;
  seed: number | null;
  voiceId: string | null;
  promptWavUrl: string | null;
  promptText: string | null;
  /** VoxCPM2 only: voice design, e.g. "a warm, slow elderly voice". */
  voiceDescription: string | null;
  /** VoxCPM2 only: reference audio cloned without a transcript. */
  referenceWavUrl: string | null;
  audioFormat: WireAudioFormat | null;
}

/** Everything but the text: what the form's controls hold and a history row replays. */
export type SynthesisParameters = Omit<SynthesisRequest, 'text'>;

/** The form's state before anything is typed: every number empty (the server's default), nothing optional set. */
export const emptyParameters: SynthesisParameters = {
  mode: 'streaming',
  cfgValue: null,
  inferenceTimesteps: null,
  normalize: false,
  denoise: false,
  retryBadcase: true,
  seed: null,
  voiceId: null,
  promptWavUrl: null,
  promptText: null,
  voiceDescription: null,
  referenceWavUrl: null,
  audioFormat: null,
};

/** The request as sent: only the keys that are set. */
export type WireRequest = Partial<SynthesisRequest> & { text: string };

/**
 * The request as it goes on the wire: unset keys are left out (MessagePack cannot read nil into the server's
 * numbers, and an absent key takes the server's default). Values are passed through as typed, out of range
 * included: the server's validator is the one judge, and its error (naming the field and the limit) is what the
 * user sees.
 */
export function toWireRequest(text: string, parameters: SynthesisParameters): WireRequest {
  const request: Record<string, unknown> = { text };
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== null) request[key] = value;
  }
  return request as WireRequest;
}

/** A number field's value, or null (the server's default) when empty or not a number. */
export function parseNumber(raw: string): number | null {
  const value = Number(raw.trim());
  return raw.trim() === '' || !Number.isFinite(value) ? null : value;
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
