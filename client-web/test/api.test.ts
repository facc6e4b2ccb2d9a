import { describe, expect, it } from 'vitest';
import { parseHistoryPage, parseVoices } from '../src/api';
import { fromHubException, toServerError } from '../src/errors';

describe('history parsing', () => {
  it('reads the hub\'s HistoryItem: snake_case names and enum values, nested parameters', () => {
    const page = parseHistoryPage({
      items: [
        {
          id: '0193a5a4-2222-7000-8000-000000000002', request_id: 'r', text: 'hello', mode: 'non_streaming', entry_point: 'signalr', status: 'completed',
          parameters: { cfg_value: 1.5, inference_timesteps: 20, normalize: false, denoise: true, retry_badcase: false, seed: 9007199254740991, prompt_text: 'ref', prompt_wav_url: 'https://example.org/a.wav', voice_id: null },
          queue_wait_ms: 1, time_to_first_audio_ms: 12, total_ms: 30, audio_seconds: 0.64, rtf: 0.05, error_code: null, error_message: null, client: null, job_id: '5',
          created_at: '2026-11-25T20:00:00+00:00', finished_at: null, sample_rate: 16000, audio_url: '/api/history/0193a5a4-2222-7000-8000-000000000002/audio',
          segments: 2, attempts: 1, warnings: ['segment 2 ended on silence'],
        },
        { id: 'x', status: 'failed', mode: 'streaming', error_code: 'cancelled', error_message: 'stopped', audio_url: null, parameters: { cfg_value: 2, voice_description: 'a calm voice', reference_wav_url: 'https://example.org/r.wav' } },
      ],
      page: 1, page_size: 20, total: 31,
    });
    expect(page.total).toBe(31);
    const [done, failed] = page.items;
    expect(done).toMatchObject({ text: 'hello', status: 'completed', mode: 'non_streaming', audioSeconds: 0.64, rtf: 0.05, timeToFirstAudioMs: 12, segments: 2, warnings: ['segment 2 ended on silence'] });
    expect(done.audioUrl).toBe('/api/history/0193a5a4-2222-7000-8000-000000000002/audio');
    expect(done.parameters).toEqual({
      mode: 'non_streaming', cfgValue: 1.5, inferenceTimesteps: 20, normalize: false, denoise: true, retryBadcase: false, seed: 9007199254740991, promptText: 'ref', promptWavUrl: 'https://example.org/a.wav',
    });
    expect(failed).toMatchObject({ status: 'failed', mode: 'streaming', errorCode: 'cancelled', errorMessage: 'stopped', audioUrl: null });
    expect(failed.parameters).toEqual({ mode: 'streaming', cfgValue: 2, voiceDescription: 'a calm voice', referenceWavUrl: 'https://example.org/r.wav' });
  });

  it('reads one spelling only: other spellings are not guessed at', () => {
    const page = parseHistoryPage({ items: [{ Id: 'a', Text: 'x' }, { id: 'b', Status: 'completed', errorCode: 'x', createdAt: '2026-01-01' }, null], total: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: 'b', text: '', status: 'unknown', errorCode: null, audioUrl: null, createdAt: null });
  });

  it('survives garbage', () => {
    expect(parseHistoryPage(null)).toEqual({ items: [], total: 0 });
    expect(parseHistoryPage('oops')).toEqual({ items: [], total: 0 });
    expect(parseHistoryPage({ items: 'nope' })).toEqual({ items: [], total: 0 });
  });
});

describe('voices parsing', () => {
  it('reads the hub\'s list of VoiceSummary', () => {
    expect(parseVoices([{ id: 'v1', name: 'Alice', transcript: 'hello', sample_rate: 16000, created_at: '2026-01-01', audio_url: '/api/voices/v1/audio' }, { name: 'no id' }])).toEqual([
      { id: 'v1', name: 'Alice', transcript: 'hello', createdAt: '2026-01-01' },
    ]);
    // A voice saved from reference audio alone (VoxCPM2) has no transcript.
    expect(parseVoices([{ id: 'v2', name: 'Ref', transcript: null, sample_rate: 48000, created_at: '2026-01-02', audio_url: '/api/voices/v2/audio' }])).toEqual([
      { id: 'v2', name: 'Ref', transcript: null, createdAt: '2026-01-02' },
    ]);
    expect(parseVoices(undefined)).toEqual([]);
  });
});

describe('server errors', () => {
  it('reads {error:{code,message,field}}', () => {
    expect(toServerError({ error: { code: 'invalid_request', message: 'cfg_value must be between 0.1 and 10 (got 12)', field: 'cfg_value' } }, 'x', 'y')).toEqual({
      code: 'invalid_request',
      message: 'cfg_value must be between 0.1 and 10 (got 12)',
      field: 'cfg_value',
    });
  });

  it('reads ProblemDetails with validation errors', () => {
    const error = toServerError({ type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400, errors: { name: ['The name field is required.'] } }, 'http_400', 'Bad Request');
    expect(error.code).toBe('http_400');
    expect(error.field).toBe('name');
    expect(error.message).toContain('The name field is required.');
  });

  it('reads only an object as an error body: an array is not one', () => {
    expect(toServerError([{ code: 'x', message: 'y' }], 'http_400', '400 Bad Request')).toEqual({ code: 'http_400', message: '400 Bad Request' });
    expect(toServerError({ error: ['not', 'an', 'error'], code: 'busy', message: 'the queue is full' }, 'x', 'y')).toEqual({ code: 'busy', message: 'the queue is full', field: null });
  });

  it('falls back to the status for an empty or plain-text body', () => {
    expect(toServerError(null, 'http_500', '500 Internal Server Error')).toEqual({ code: 'http_500', message: '500 Internal Server Error' });
    expect(toServerError('database down', 'http_503', '503')).toEqual({ code: 'http_503', message: 'database down' });
  });

  it('reads a HubException', () => {
    expect(fromHubException(new Error("An unexpected error occurred invoking 'Synthesize' on the server. HubException: model_not_ready: the model is loading"))).toEqual({
      code: 'model_not_ready',
      message: 'the model is loading',
    });
    expect(fromHubException(new Error("An unexpected error occurred invoking 'Synthesize' on the server. HubException: [invalid_request] cfg_value must be between 0.1 and 10 (got 12) (field: cfgValue)"))).toEqual({
      code: 'invalid_request',
      message: 'cfg_value must be between 0.1 and 10 (got 12)',
      field: 'cfgValue',
    });
    expect(fromHubException(new Error('An error occurred on the server while streaming results. HubException: [busy] the queue is full'))).toEqual({ code: 'busy', message: 'the queue is full', field: null });
    expect(fromHubException(new Error('WebSocket failed to connect.'))).toEqual({ code: 'connection_error', message: 'WebSocket failed to connect.' });
  });
});
