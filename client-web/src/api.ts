/**
 * The hub's HTTP API (/api/history, /api/voices, /api/text/plan) as the hub spells it: snake_case names and enum
 * values (created_at, "non_streaming"), as in the raw protocol. The UI's own types keep TypeScript's camelCase; the
 * parse functions here are the one place that translates. Missing or mistyped fields read as null, so a bad row is
 * shown as far as it goes.
 */
import { isRecord, numberOrNull, stringOrNull } from './wire-values';
import { apiKeyHeaders } from './api-key';
import { ApiError, readResponseError } from './errors';
import type { SynthesisParameters } from './params';

export interface HistoryItem {
  id: string;
  text: string;
  status: string;
  mode: 'streaming' | 'non_streaming';
  createdAt: string | null;
  audioSeconds: number | null;
  rtf: number | null;
  timeToFirstAudioMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Where its audio is, when it has any (null: none stored). */
  audioUrl: string | null;
  parameters: Partial<SynthesisParameters>;
  /** Text segments spoken one after another (null: not recorded, e.g. a row from before segments were kept). */
  segments: number | null;
  /** What the runaway guard noticed (a segment ended on silence, noise or its step cap, retries). */
  warnings: string[];
}

/** One segment of POST /api/text/plan: the text as written, as it will be spoken, and its detected language. */
export interface PlannedSegment {
  text: string;
  spoken: string;
  language: string;
}

export interface TextPlan {
  segments: PlannedSegment[];
}

export interface HistoryPage {
  items: HistoryItem[];
  total: number;
}

export interface SavedVoice {
  id: string;
  name: string;
  /** null: reference audio alone (VoxCPM2 controllable cloning), no transcript. */
  transcript: string | null;
  createdAt: string | null;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function parseMode(value: unknown): 'streaming' | 'non_streaming' {
  return value === 'non_streaming' ? 'non_streaming' : 'streaming';
}

/** The form's text parameters and the wire names the hub writes them under. */
const textParameters = [
  ['voiceId', 'voice_id'],
  ['promptWavUrl', 'prompt_wav_url'],
  ['promptText', 'prompt_text'],
  ['voiceDescription', 'voice_description'],
  ['referenceWavUrl', 'reference_wav_url'],
] as const;

const switchParameters = [
  ['normalize', 'normalize'],
  ['denoise', 'denoise'],
  ['retryBadcase', 'retry_badcase'],
] as const;

/** A history row's `parameters` (HistoryParameters) and its `mode`: what a re-run puts back into the form. */
function parseParameters(parameters: unknown, mode: unknown): Partial<SynthesisParameters> {
  const from = isRecord(parameters) ? parameters : {};
  const result: Partial<SynthesisParameters> = { mode: parseMode(mode) };
  const cfgValue = numberOrNull(from.cfg_value);
  const inferenceTimesteps = numberOrNull(from.inference_timesteps);
  const seed = numberOrNull(from.seed);
  if (cfgValue !== null) result.cfgValue = cfgValue;
  if (inferenceTimesteps !== null) result.inferenceTimesteps = inferenceTimesteps;
  if (seed !== null) result.seed = seed;
  for (const [key, wire] of textParameters) {
    const value = stringOrNull(from[wire]);
    if (value) result[key] = value;
  }
  for (const [key, wire] of switchParameters) {
    const value = bool(from[wire]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * One row of GET /api/history as the hub writes it (src/VoxCpm.Hub/History/HistoryItem.cs, snake_case names and
 * enum values); null for anything without an id.
 */
export function parseHistoryItem(value: unknown): HistoryItem | null {
  if (!isRecord(value)) {
    return null;
  }
  const id = stringOrNull(value.id);
  if (!id) {
    return null;
  }
  return {
    id,
    text: stringOrNull(value.text) ?? '',
    status: stringOrNull(value.status) ?? 'unknown',
    mode: parseMode(value.mode),
    createdAt: stringOrNull(value.created_at),
    audioSeconds: numberOrNull(value.audio_seconds),
    rtf: numberOrNull(value.rtf),
    timeToFirstAudioMs: numberOrNull(value.time_to_first_audio_ms),
    errorCode: stringOrNull(value.error_code),
    errorMessage: stringOrNull(value.error_message),
    audioUrl: stringOrNull(value.audio_url),
    parameters: parseParameters(value.parameters, value.mode),
    segments: numberOrNull(value.segments),
    warnings: strings(value.warnings),
  };
}

/** POST /api/text/plan's answer (TextPlanResponse: segment_count, segments of text, spoken, language). */
export function parseTextPlan(body: unknown): TextPlan {
  const list = isRecord(body) ? body.segments : null;
  const segments = (Array.isArray(list) ? list : []).filter(isRecord).map((segment) => {
    const text = stringOrNull(segment.text) ?? '';
    return { text, spoken: stringOrNull(segment.spoken) ?? text, language: stringOrNull(segment.language) ?? '' };
  });
  return { segments };
}

/** What the server will speak for this text: its segments and, with normalize, their normalized words. */
export async function fetchTextPlan(text: string, normalize: boolean, signal?: AbortSignal): Promise<TextPlan> {
  return parseTextPlan(
    await json('/api/text/plan', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text, normalize }),
      signal,
    }),
  );
}

/** GET /api/history's answer (HistoryPage: items, page, page_size, total). */
export function parseHistoryPage(body: unknown): HistoryPage {
  const list = isRecord(body) ? body.items : null;
  const items = (Array.isArray(list) ? list : []).map(parseHistoryItem).filter((item): item is HistoryItem => item !== null);
  const total = isRecord(body) ? numberOrNull(body.total) : null;
  return { items, total: total ?? items.length };
}

/** One saved voice (VoiceSummary: id, name, transcript, sample_rate, created_at, audio_url). */
export function parseVoice(value: unknown): SavedVoice | null {
  if (!isRecord(value)) {
    return null;
  }
  const id = stringOrNull(value.id);
  if (!id) {
    return null;
  }
  return { id, name: stringOrNull(value.name) ?? id, transcript: stringOrNull(value.transcript), createdAt: stringOrNull(value.created_at) };
}

/** GET /api/voices's answer: a bare list. */
export function parseVoices(body: unknown): SavedVoice[] {
  return (Array.isArray(body) ? body : []).map(parseVoice).filter((voice): voice is SavedVoice => voice !== null);
}

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', ...init, headers: { ...apiKeyHeaders(), ...(init.headers as Record<string, string> | undefined) } });
  } catch (error) {
    throw new ApiError({ code: 'network_error', message: error instanceof Error ? error.message : String(error) });
  }
  if (!response.ok) {
    throw new ApiError(await readResponseError(response));
  }
  return response;
}

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const response = await request(url, init);
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : null;
}

export function historyAudioUrl(id: string): string {
  return `/api/history/${encodeURIComponent(id)}/audio`;
}

export async function listHistory(query: { page: number; pageSize: number; q: string }, signal?: AbortSignal): Promise<HistoryPage> {
  const params = new URLSearchParams({ page: String(query.page), page_size: String(query.pageSize) });
  if (query.q.trim()) {
    params.set('q', query.q.trim());
  }
  return parseHistoryPage(await json(`/api/history?${params}`, { signal }));
}

export async function deleteHistory(id: string): Promise<void> {
  await request(`/api/history/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function fetchAudio(url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  return (await request(url, { signal })).arrayBuffer();
}

export async function listVoices(signal?: AbortSignal): Promise<SavedVoice[]> {
  return parseVoices(await json('/api/voices', { signal }));
}

/** Saves a voice; without a transcript it is reference audio alone (VoxCPM2 only). */
export async function createVoice(name: string, transcript: string | null, file: File): Promise<SavedVoice | null> {
  const form = new FormData();
  form.set('name', name);
  if (transcript) form.set('transcript', transcript);
  form.set('file', file, file.name);
  return parseVoice(await json('/api/voices', { method: 'POST', body: form }));
}

export async function deleteVoice(id: string): Promise<void> {
  await request(`/api/voices/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
