/**
 * The API key, when the hub requires one (TTS_API_KEYS). Open the UI once as `/?api_key=<key>`: the key is kept in
 * this browser's localStorage (and dropped from the address bar) and sent on every call; `?api_key=` with an empty
 * value forgets it. Without keys on the server nothing is stored or sent.
 */
const storageKey = 'voxcpm.apiKey';

export function rememberApiKeyFromUrl(location: Location = window.location, history: History = window.history): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('api_key')) return;
  const key = url.searchParams.get('api_key')?.trim() ?? '';
  if (key) localStorage.setItem(storageKey, key);
  else localStorage.removeItem(storageKey);
  url.searchParams.delete('api_key');
  history.replaceState(history.state, '', url.toString());
}

export function apiKey(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/** Headers for fetch: the key as X-Api-Key, or nothing. */
export function apiKeyHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { 'X-Api-Key': key } : {};
}

/** A same-origin URL with `api_key=` added, for links the browser follows itself (downloads). */
export function withApiKey(url: string): string {
  const key = apiKey();
  if (!key) return url;
  return `${url}${url.includes('?') ? '&' : '?'}api_key=${encodeURIComponent(key)}`;
}
