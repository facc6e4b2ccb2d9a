import { isRecord } from './wire-values';

/** A server error as the UI shows it: a stable code and a message (and the parameter at fault, when known). */
export interface ServerError {
  code: string;
  message: string;
  field?: string | null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Reads an error out of whatever shape a server answered with: {error:{code,message,field}} (our API and hub),
 * {code,message}, ASP.NET ProblemDetails ({title, detail, errors:{field:[…]}}) or nothing useful.
 */
export function toServerError(body: unknown, fallbackCode: string, fallbackMessage: string): ServerError {
  if (isRecord(body)) {
    if (isRecord(body.error)) {
      return toServerError(body.error, fallbackCode, fallbackMessage);
    }
    const code = asString(body.code);
    let message = asString(body.message) ?? asString(body.detail) ?? asString(body.title);
    let field = asString(body.field);
    if (isRecord(body.errors)) {
      const first = Object.entries(body.errors).at(0);
      if (first) {
        field ??= first[0];
        const detail = Array.isArray(first[1]) ? first[1].join(' ') : String(first[1]);
        message = message ? `${message} ${detail}` : detail;
      }
    }
    if (code || message) {
      return { code: code ?? fallbackCode, message: message ?? fallbackMessage, field };
    }
  }
  if (typeof body === 'string' && body.trim()) {
    return { code: fallbackCode, message: body.trim().slice(0, 500) };
  }
  return { code: fallbackCode, message: fallbackMessage };
}

/** The HTTP status as a code when the body names none (e.g. http_404). */
export async function readResponseError(response: Response): Promise<ServerError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the text itself is the message
  }
  return toServerError(body, `http_${response.status}`, `${response.status} ${response.statusText}`.trim());
}

/**
 * A SignalR HubException arrives as "An unexpected error occurred invoking 'X' on the server. HubException: …"; the
 * hub words its refusals "[code] message (field: name)" (src/VoxCpm.Hub/SignalR/Refusals.cs).
 */
export function fromHubException(error: unknown): ServerError {
  const text = error instanceof Error ? error.message : String(error);
  const hub = /HubException:\s*(.*)$/s.exec(text);
  const message = (hub ? hub[1] : text).trim();
  const bracketed = /^\[([a-z_]+)\]\s*(.*?)(?:\s*\(field: ([^)]+)\))?$/s.exec(message);
  if (bracketed) {
    return { code: bracketed[1], message: bracketed[2], field: bracketed.at(3) ?? null };
  }
  const coded = /^([a-z_]+):\s*(.*)$/s.exec(message);
  return coded ? { code: coded[1], message: coded[2] } : { code: hub ? 'hub_error' : 'connection_error', message };
}

/** Thrown by the API client so callers can show code and message. */
export class ApiError extends Error {
  constructor(readonly error: ServerError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'ApiError';
  }
}
