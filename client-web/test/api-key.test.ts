import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKey, apiKeyHeaders, rememberApiKeyFromUrl, withApiKey } from '../src/api-key';

function fakeStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, value),
  };
}

function page(href: string): { location: Location; history: History; replaced: () => string | undefined } {
  let replaced: string | undefined;
  const history = { state: null, replaceState: (_: unknown, __: string, url?: string | URL | null) => (replaced = String(url)) } as unknown as History;
  return { location: { href } as Location, history, replaced: () => replaced };
}

describe('API key (TTS_API_KEYS)', () => {
  beforeEach(() => vi.stubGlobal('localStorage', fakeStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('sends nothing when no key was given', () => {
    expect(apiKey()).toBeNull();
    expect(apiKeyHeaders()).toEqual({});
    expect(withApiKey('/api/history/1/audio')).toBe('/api/history/1/audio');
  });

  it('keeps a key given as ?api_key=, drops it from the address bar and sends it', () => {
    const p = page('http://host:9301/?api_key=k%20ey&lang=en');
    rememberApiKeyFromUrl(p.location, p.history);

    expect(p.replaced()).toBe('http://host:9301/?lang=en');
    expect(apiKey()).toBe('k ey');
    expect(apiKeyHeaders()).toEqual({ 'X-Api-Key': 'k ey' });
    expect(withApiKey('/api/history/1/audio')).toBe('/api/history/1/audio?api_key=k%20ey');
  });

  it('forgets the key on an empty ?api_key=', () => {
    localStorage.setItem('voxcpm.apiKey', 'old');
    const p = page('http://host:9301/?api_key=');
    rememberApiKeyFromUrl(p.location, p.history);

    expect(apiKey()).toBeNull();
  });
});
