import { describe, expect, it } from 'vitest';
import { parseHistoryPage, parseMode, parseStatus, parseVoices } from '../src/api';
import { fromHubException, toServerError } from '../src/errors';

describe('history parsing', () => {
  it('reads the documented shape', () => {
    const page = parseHistoryPage({
      items: [
        {
          id: '0193a5a4-1111-7000-8000-000000000001',
          text: '你好',
          status: 'completed',
          mode: 'streaming',
          createdAt: '2026-11-25T10:00:00Z',
          audioSeconds: 1.28,
          rtf: 0.12,
          timeToFirstAudioMs: 85,
          cfgValue: 2.5,
          inferenceTimesteps: 12,
          normalize: true,
          denoise: false,
          retryBadcase: true,
          seed: 42,
          voiceId: null,
        },
      ],
      total: 31,
    });
    expect(page.total).toBe(31);
    expect(page.items).toHaveLength(1);
    const [item] = page.items;
    expect(item).toMatchObject({ text: '你好', status: 'completed', mode: 'streaming', audioSeconds: 1.28, rtf: 0.12, timeToFirstAudioMs: 85 });
    expect(item.parameters).toEqual({ mode: 'streaming', cfgValue: 2.5, inferenceTimesteps: 12, normalize: true, denoise: false, retryBadcase: true, seed: 42 });
  });

  it('reads the shape of the jobs branch HistoryItem (nested parameters, audioUrl)', () => {
    const page = parseHistoryPage({
      items: [
        {
          id: '0193a5a4-2222-7000-8000-000000000002', requestId: 'r', text: 'hello', mode: 'non_streaming', entryPoint: 'signalr', status: 'completed',
          parameters: { cfgValue: 1.5, inferenceTimesteps: 20, normalize: false, denoise: true, retryBadcase: false, seed: 9007199254740991, promptText: 'ref', promptWavUrl: 'https://example.org/a.wav', voiceId: null },
          queueWaitMs: 1, timeToFirstAudioMs: 12, totalMs: 30, audioSeconds: 0.64, rtf: 0.05, errorCode: null, errorMessage: null, client: null, jobId: '5',
          createdAt: '2026-11-25T20:00:00+00:00', finishedAt: null, sampleRate: 16000, audioUrl: '/api/history/0193a5a4-2222-7000-8000-000000000002/audio',
        },
        { id: 'x', status: 'failed', audioUrl: null },
        { id: 'y', status: 'completed' },
      ],
      page: 1, pageSize: 20, total: 3,
    });
    expect(page.items[0].audioUrl).toBe('/api/history/0193a5a4-2222-7000-8000-000000000002/audio');
    expect(page.items[0].parameters).toEqual({
      mode: 'non_streaming', cfgValue: 1.5, inferenceTimesteps: 20, normalize: false, denoise: true, retryBadcase: false, seed: 9007199254740991, promptText: 'ref', promptWavUrl: 'https://example.org/a.wav',
    });
    expect(page.items[1].audioUrl).toBeNull();
    // Without an audioUrl field, a completed row is assumed to have audio at the documented address.
    expect(page.items[2].audioUrl).toBe('/api/history/y/audio');
  });

  it('accepts PascalCase, enum numbers, nested parameters, a bare array and missing fields', () => {
    const page = parseHistoryPage([
      { Id: 'a', Text: 'x', Status: 2, Mode: 1, Parameters: { CfgValue: 3, Seed: 7 } },
      { id: 'b' },
      { text: 'no id: dropped' },
      null,
    ]);
    expect(page.total).toBe(2);
    expect(page.items[0]).toMatchObject({ id: 'a', text: 'x', status: 'completed', mode: 'non_streaming', rtf: null });
    expect(page.items[0].parameters).toMatchObject({ cfgValue: 3, seed: 7, mode: 'non_streaming' });
    expect(page.items[1]).toMatchObject({ id: 'b', text: '', status: 'unknown', createdAt: null, audioSeconds: null });
  });

  it('reads totalCount, snake_case and error details', () => {
    const page = parseHistoryPage({ data: [{ id: 'c', status: 'Failed', error_code: 'cancelled', error: { message: 'stopped' } }], totalCount: '5' });
    expect(page.total).toBe(5);
    expect(page.items[0]).toMatchObject({ status: 'failed', errorCode: 'cancelled', errorMessage: 'stopped' });
  });

  it('survives garbage', () => {
    expect(parseHistoryPage(null)).toEqual({ items: [], total: 0 });
    expect(parseHistoryPage('oops')).toEqual({ items: [], total: 0 });
    expect(parseHistoryPage({ items: 'nope' })).toEqual({ items: [], total: 0 });
  });

  it('maps enums', () => {
    expect(parseStatus(0)).toBe('queued');
    expect(parseStatus('Cancelled')).toBe('cancelled');
    expect(parseMode('NonStreaming')).toBe('non_streaming');
    expect(parseMode('non_streaming')).toBe('non_streaming');
    expect(parseMode(0)).toBe('streaming');
    expect(parseMode(undefined)).toBe('streaming');
  });
});

describe('voices parsing', () => {
  it('reads a bare list or a wrapped one, with transcript or promptText', () => {
    expect(parseVoices([{ id: 'v1', name: 'Alice', transcript: 'hello' }])).toEqual([{ id: 'v1', name: 'Alice', transcript: 'hello', createdAt: null }]);
    expect(parseVoices({ items: [{ id: 'v2', promptText: 'hi', createdAt: '2026-01-01' }, { name: 'no id' }] })).toEqual([
      { id: 'v2', name: 'v2', transcript: 'hi', createdAt: '2026-01-01' },
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
