import { describeModel, fetchLive, fetchReady } from './status';

const pollIntervalMs = 5000;
const requestTimeoutMs = 3000;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`#${id} is missing from index.html`);
  }
  return found;
}

async function refresh(): Promise<void> {
  const signal = AbortSignal.timeout(requestTimeoutMs);
  const [live, ready] = await Promise.all([fetchLive(signal), fetchReady(signal)]);

  const server = element('server-status');
  server.textContent = live ? 'live' : 'unreachable';
  server.dataset.state = live ? 'live' : 'down';

  const model = element('ready-status');
  model.textContent = describeModel(ready);
  model.dataset.state = ready?.status === 'Healthy' ? 'ready' : 'not-ready';

  (element('synthesize') as HTMLButtonElement).disabled = ready?.status !== 'Healthy';
}

void refresh();
setInterval(() => void refresh(), pollIntervalMs);
