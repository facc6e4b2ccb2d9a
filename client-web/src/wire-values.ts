/** Reading untyped values off the wire (HTTP JSON, SignalR JSON or MessagePack): the value if it has the type, else null. */

export type WireRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is WireRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A finite number; MessagePack's 64-bit integers arrive as bigint. */
export function numberOrNull(value: unknown): number | null {
  if (typeof value === 'bigint') {
    return Number(value);
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
