/**
 * The hub's HTTP API (/api/history and /api/voices), parsed defensively: camelCase or PascalCase
 * names, enums as numbers or strings, lists bare or wrapped, missing fields as null.
 */
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
  transcript: string;
  createdAt: string | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of the first name present, trying camelCase, PascalCase and snake_case spellings. */
function pick(source: Json, ...names: string[]): unknown {
  for (const name of names) {
    for (const spelling of [name, name[0].toUpperCase() + name.slice(1), name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]) {
      if (source[spelling] !== undefined && source[spelling] !== null) {
        return source[spelling];
      }
    }
  }
  return null;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' ? String(value) : null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return null;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

const statusNames = ['queued', 'running', 'completed', 'failed', 'cancelled'];

/** SynthesisStatus as a lower-case name: 2 → completed, "Completed" → completed. */
export function parseStatus(value: unknown): string {
  if (typeof value === 'number') {
    return statusNames[value] ?? String(value);
  }
  return typeof value === 'string' ? value.toLowerCase() : 'unknown';
}

/** SynthesisMode: 0 / "Streaming" / "streaming" → streaming; 1 / "NonStreaming" / "non_streaming" → non_streaming. */
export function parseMode(value: unknown): 'streaming' | 'non_streaming' {
  if (value === 1) {
    return 'non_streaming';
  }
  return typeof value === 'string' && /^non[_-]?streaming$/i.test(value) ? 'non_streaming' : 'streaming';
}

function parseParameters(source: Json): Partial<SynthesisParameters> {
  const nested = pick(source, 'parameters', 'params', 'request');
  const from = isObject(nested) ? { ...source, ...nested } : source;
  const parameters: Partial<SynthesisParameters> = {};
  const cfg = num(pick(from, 'cfgValue'));
  const steps = num(pick(from, 'inferenceTimesteps'));
  const seed = num(pick(from, 'seed'));
  const voiceId = str(pick(from, 'voiceId'));
  const promptWavUrl = str(pick(from, 'promptWavUrl'));
  const promptText = str(pick(from, 'promptText'));
  if (cfg !== null) parameters.cfgValue = cfg;
  if (steps !== null) parameters.inferenceTimesteps = steps;
  if (seed !== null) parameters.seed = seed;
  if (voiceId) parameters.voiceId = voiceId;
  if (promptWavUrl) parameters.promptWavUrl = promptWavUrl;
  if (promptText) parameters.promptText = promptText;
  const normalize = bool(pick(from, 'normalize'));
  const denoise = bool(pick(from, 'denoise'));
  const retry = bool(pick(from, 'retryBadcase'));
  if (normalize !== undefined) parameters.normalize = normalize;
  if (denoise !== undefined) parameters.denoise = denoise;
  if (retry !== undefined) parameters.retryBadcase = retry;
  parameters.mode = parseMode(pick(from, 'mode'));
  return parameters;
}

export function parseHistoryItem(value: unknown): HistoryItem | null {
  if (!isObject(value)) {
    return null;
  }
  const id = str(pick(value, 'id', 'synthesisId'));
  if (!id) {
    return null;
  }
  const error = pick(value, 'error');
  return {
    id,
    text: str(pick(value, 'text')) ?? '',
    status: parseStatus(pick(value, 'status')),
    mode: parseMode(pick(value, 'mode')),
    createdAt: str(pick(value, 'createdAt')),
    audioSeconds: num(pick(value, 'audioSeconds', 'duration')),
    rtf: num(pick(value, 'rtf')),
    timeToFirstAudioMs: num(pick(value, 'timeToFirstAudioMs')),
    errorCode: str(pick(value, 'errorCode')) ?? (isObject(error) ? str(error.code) : null),
    errorMessage: str(pick(value, 'errorMessage')) ?? (isObject(error) ? str(error.message) : null),
    audioUrl: 'audioUrl' in value || 'AudioUrl' in value ? str(pick(value, 'audioUrl')) : parseStatus(pick(value, 'status')) === 'completed' ? historyAudioUrl(id) : null,
    parameters: parseParameters(value),
    segments: num(pick(value, 'segments')),
    warnings: strings(pick(value, 'warnings')),
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function parseTextPlan(body: unknown): TextPlan {
  const list = isObject(body) ? pick(body, 'segments') : null;
  const segments = (Array.isArray(list) ? list : []).filter(isObject).map((segment) => {
    const text = str(pick(segment, 'text')) ?? '';
    return { text, spoken: str(pick(segment, 'spoken')) ?? text, language: str(pick(segment, 'language')) ?? '' };
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

export function parseHistoryPage(body: unknown): HistoryPage {
  const list = Array.isArray(body) ? body : isObject(body) ? pick(body, 'items', 'data', 'results') : null;
  const items = (Array.isArray(list) ? list : []).map(parseHistoryItem).filter((item): item is HistoryItem => item !== null);
  const total = isObject(body) ? num(pick(body, 'total', 'totalCount', 'count')) : null;
  return { items, total: total ?? items.length };
}

export function parseVoice(value: unknown): SavedVoice | null {
  if (!isObject(value)) {
    return null;
  }
  const id = str(pick(value, 'id', 'voiceId'));
  if (!id) {
    return null;
  }
  return {
    id,
    name: str(pick(value, 'name')) ?? id,
    transcript: str(pick(value, 'transcript', 'promptText')) ?? '',
    createdAt: str(pick(value, 'createdAt')),
  };
}

export function parseVoices(body: unknown): SavedVoice[] {
  const list = Array.isArray(body) ? body : isObject(body) ? pick(body, 'items', 'voices', 'data') : null;
  return (Array.isArray(list) ? list : []).map(parseVoice).filter((voice): voice is SavedVoice => voice !== null);
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
  const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
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

export async function createVoice(name: string, transcript: string, file: File): Promise<SavedVoice | null> {
  const form = new FormData();
  form.set('name', name);
  form.set('transcript', transcript);
  form.set('file', file, file.name);
  return parseVoice(await json('/api/voices', { method: 'POST', body: form }));
}

export async function deleteVoice(id: string): Promise<void> {
  await request(`/api/voices/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
