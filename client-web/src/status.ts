/** One readiness check as reported by the hub's /ready endpoint. */
export interface ReadyCheck {
  name: string;
  status: string;
  description: string | null;
}

/** The body of /health and /ready. */
export interface HealthReport {
  status: string;
  checks: ReadyCheck[];
}

/** Asks the hub whether its process is live; any answer other than 200 counts as down. */
export async function fetchLive(signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch('/health', { signal, cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}

/** Reads /ready; it answers 503 with the same JSON body while a check is failing. */
export async function fetchReady(signal: AbortSignal): Promise<HealthReport | null> {
  try {
    const response = await fetch('/ready', { signal, cache: 'no-store' });
    return (await response.json()) as HealthReport;
  } catch {
    return null;
  }
}

/** A one-line summary of the model check, e.g. "NotLoaded: engine not wired yet". */
export function describeModel(report: HealthReport | null): string {
  const model = report?.checks.find((check) => check.name === 'model');
  if (!model) {
    return 'unknown';
  }
  return model.description ? `${model.status}: ${model.description}` : model.status;
}
