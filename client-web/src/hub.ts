/** The SignalR hub at /hubs/tts (contract: src/VoxCpm.Hub.Contracts/Hub/*.cs), over MessagePack. */
import { isRecord, numberOrNull, stringOrNull } from './wire-values';
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel, type ISubscription, type Subject } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { apiKey } from './api-key';
import type { ServerError } from './errors';
import type { WireRequest } from './params';

export const hubRoute = '/hubs/tts';

export type StreamItemKind = 'queued' | 'started' | 'audio' | 'progress' | 'complete' | 'error' | 'job_accepted';

export interface SynthesisSummary {
  synthesisId: string | null;
  duration: number;
  sampleRate: number;
  samples: number;
  chunks: number;
  stopReason: string;
  attempts: number;
  queueWaitMs: number;
  timeToFirstAudioMs: number | null;
  totalMs: number;
  rtf: number;
}

export interface SynthesisStreamItem {
  /** One of StreamItemKind; a newer server may add kinds, which the UI ignores. */
  kind: string;
  requestId: string;
  position: number | null;
  queueWaitMs: number | null;
  sequence: number | null;
  sampleRate: number | null;
  /** PCM16 bytes, or with `format` "opus" Opus packets end to end. */
  audio: Uint8Array | null;
  /** "opus" for Opus packets; null for PCM16. */
  format: string | null;
  /** opus: the byte length of each packet in `audio`. */
  packets: number[];
  /** opus: decoded samples to drop at the start of the stream. */
  preSkip: number | null;
  /** opus: real samples (at sampleRate) these packets complete. */
  samples: number | null;
  step: number | null;
  progress: number | null;
  audioSeconds: number | null;
  elapsedMs: number | null;
  jobId: string | null;
  summary: SynthesisSummary | null;
  error: ServerError | null;
}

/** A numeric parameter's accepted range (inclusive) and the server's default for it. */
export interface NumberRange {
  min: number;
  max: number;
  default: number;
}

/** What the server's validator accepts (RequestLimits in src/VoxCpm.Hub.Contracts/Hub/ServerStatus.cs). */
export interface RequestLimits {
  cfgValue: NumberRange;
  inferenceTimesteps: NumberRange;
  maxTextLength: number;
  maxPromptTextLength: number;
  maxVoiceDescriptionLength: number;
  maxUrlLength: number;
}

export interface ServerStatus {
  model: string;
  device: string;
  modelState: string;
  sampleRate: number;
  activeStreams: number;
  queueLength: number;
  maxConcurrent: number;
  /** "voxcpm" (0.5B / 1.5) or "voxcpm2"; empty while no model is loaded. */
  architecture: string;
  /** Whether the model reads voiceDescription and referenceWavUrl (VoxCPM2). */
  voxCpm2Inputs: boolean;
  /** null from a server that does not report its limits. */
  limits: RequestLimits | null;
}

export interface JobUpdate {
  jobId: string;
  synthesisId: string | null;
  status: string;
  progress: number | null;
  summary: SynthesisSummary | null;
  error: ServerError | null;
}

function toBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) {
    return value;
  }
  if (value instanceof ArrayBuffer) {
    return new Uint8Array(value);
  }
  // A JSON hub protocol would send byte[] as base64; accepted so a protocol switch does not silently drop audio.
  if (typeof value === 'string') {
    const binary = atob(value);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }
  return null;
}

export function parseSummary(value: unknown): SynthesisSummary | null {
  if (!isRecord(value)) {
    return null;
  }
  return {
    synthesisId: stringOrNull(value.synthesisId),
    duration: numberOrNull(value.duration) ?? 0,
    sampleRate: numberOrNull(value.sampleRate) ?? 0,
    samples: numberOrNull(value.samples) ?? 0,
    chunks: numberOrNull(value.chunks) ?? 0,
    stopReason: stringOrNull(value.stopReason) ?? '',
    attempts: numberOrNull(value.attempts) ?? 0,
    queueWaitMs: numberOrNull(value.queueWaitMs) ?? 0,
    timeToFirstAudioMs: numberOrNull(value.timeToFirstAudioMs),
    totalMs: numberOrNull(value.totalMs) ?? 0,
    rtf: numberOrNull(value.rtf) ?? 0,
  };
}

export function parseError(value: unknown): ServerError | null {
  if (!isRecord(value)) {
    return null;
  }
  return { code: stringOrNull(value.code) ?? 'internal_error', message: stringOrNull(value.message) ?? '', field: stringOrNull(value.field) };
}

/** Normalizes one decoded stream item (MessagePack maps arrive as plain objects; absent keys become null). */
export function parseStreamItem(value: unknown): SynthesisStreamItem {
  const raw = isRecord(value) ? value : {};
  return {
    kind: stringOrNull(raw.kind) ?? '',
    requestId: stringOrNull(raw.requestId) ?? '',
    position: numberOrNull(raw.position),
    queueWaitMs: numberOrNull(raw.queueWaitMs),
    sequence: numberOrNull(raw.sequence),
    sampleRate: numberOrNull(raw.sampleRate),
    audio: toBytes(raw.audio),
    format: stringOrNull(raw.format),
    packets: Array.isArray(raw.packets) ? raw.packets.map((size) => numberOrNull(size) ?? 0) : [],
    preSkip: numberOrNull(raw.preSkip),
    samples: numberOrNull(raw.samples),
    step: numberOrNull(raw.step),
    progress: numberOrNull(raw.progress),
    audioSeconds: numberOrNull(raw.audioSeconds),
    elapsedMs: numberOrNull(raw.elapsedMs),
    jobId: stringOrNull(raw.jobId),
    summary: parseSummary(raw.summary),
    error: parseError(raw.error),
  };
}

export function parseServerStatus(value: unknown): ServerStatus | null {
  if (!isRecord(value)) {
    return null;
  }
  return {
    model: stringOrNull(value.model) ?? '',
    device: stringOrNull(value.device) ?? '',
    modelState: stringOrNull(value.modelState) ?? '',
    sampleRate: numberOrNull(value.sampleRate) ?? 0,
    activeStreams: numberOrNull(value.activeStreams) ?? 0,
    queueLength: numberOrNull(value.queueLength) ?? 0,
    maxConcurrent: numberOrNull(value.maxConcurrent) ?? 0,
    architecture: stringOrNull(value.architecture) ?? '',
    voxCpm2Inputs: value.voxCpm2Inputs === true,
    limits: parseLimits(value.limits),
  };
}

function parseRange(value: unknown): NumberRange | null {
  if (!isRecord(value)) return null;
  const [min, max, fallback] = [numberOrNull(value.min), numberOrNull(value.max), numberOrNull(value.default)];
  return min === null || max === null || fallback === null ? null : { min, max, default: fallback };
}

export function parseLimits(value: unknown): RequestLimits | null {
  if (!isRecord(value)) return null;
  const cfgValue = parseRange(value.cfgValue);
  const inferenceTimesteps = parseRange(value.inferenceTimesteps);
  const lengths = [value.maxTextLength, value.maxPromptTextLength, value.maxVoiceDescriptionLength, value.maxUrlLength].map(numberOrNull);
  if (!cfgValue || !inferenceTimesteps || lengths.some((length) => length === null)) return null;
  const [maxTextLength, maxPromptTextLength, maxVoiceDescriptionLength, maxUrlLength] = lengths as number[];
  return { cfgValue, inferenceTimesteps, maxTextLength, maxPromptTextLength, maxVoiceDescriptionLength, maxUrlLength };
}

export function parseJobUpdate(value: unknown): JobUpdate | null {
  if (!isRecord(value)) {
    return null;
  }
  return {
    jobId: stringOrNull(value.jobId) ?? '',
    synthesisId: stringOrNull(value.synthesisId),
    status: (stringOrNull(value.status) ?? '').toLowerCase(),
    progress: numberOrNull(value.progress),
    summary: parseSummary(value.summary),
    error: parseError(value.error),
  };
}

export interface StreamObserver {
  next(item: SynthesisStreamItem): void;
  error(error: unknown): void;
  complete(): void;
}

/** One connection to the hub, reconnecting on its own; callbacks for server pushes. */
export class TtsHub {
  private readonly connection: HubConnection;
  private starting: Promise<void> | null = null;

  constructor(
    onStatus: (status: ServerStatus) => void,
    onJob: (update: JobUpdate) => void,
    onConnectionChange: (connected: boolean) => void,
  ) {
    this.connection = new HubConnectionBuilder()
      // A key (TTS_API_KEYS) goes as access_token, the way SignalR clients send one on WebSockets.
      .withUrl(hubRoute, { accessTokenFactory: () => apiKey() ?? '' })
      .withHubProtocol(new MessagePackHubProtocol())
      .withAutomaticReconnect()
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.on('StatusChanged', (status: unknown) => {
      const parsed = parseServerStatus(status);
      if (parsed) onStatus(parsed);
    });
    this.connection.on('JobUpdated', (update: unknown) => {
      const parsed = parseJobUpdate(update);
      if (parsed) onJob(parsed);
    });
    this.connection.onreconnecting(() => onConnectionChange(false));
    this.connection.onreconnected(() => onConnectionChange(true));
    this.connection.onclose(() => {
      this.starting = null;
      onConnectionChange(false);
    });
  }

  get connected(): boolean {
    return this.connection.state === HubConnectionState.Connected;
  }

  /** Starts the connection once; later calls wait for the same start (or retry after a failure). */
  async ensureStarted(): Promise<void> {
    if (this.connection.state === HubConnectionState.Connected) {
      return;
    }
    this.starting ??= this.connection.start().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    await this.starting;
  }

  async getStatus(): Promise<ServerStatus | null> {
    await this.ensureStarted();
    return parseServerStatus(await this.connection.invoke('GetStatus'));
  }

  async watchJob(jobId: string): Promise<void> {
    await this.ensureStarted();
    await this.connection.invoke('WatchJob', jobId);
  }

  /** Speaks `text` while it is written (SynthesizeTextStream); completing the subject ends it, disposing cancels it. */
  synthesizeTextStream(request: WireRequest, text: Subject<string>, observer: StreamObserver): ISubscription<unknown> {
    return this.connection.stream<unknown>('SynthesizeTextStream', request, text).subscribe({
      next: (value) => observer.next(parseStreamItem(value)),
      error: (error) => observer.error(error),
      complete: () => observer.complete(),
    });
  }

  /** Starts a synthesis stream; disposing the subscription cancels it on the server. */
  synthesize(request: WireRequest, observer: StreamObserver): ISubscription<unknown> {
    return this.connection.stream<unknown>('Synthesize', request).subscribe({
      next: (value) => observer.next(parseStreamItem(value)),
      error: (error) => observer.error(error),
      complete: () => observer.complete(),
    });
  }
}
