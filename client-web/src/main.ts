import './style.css';
import { rememberApiKeyFromUrl } from './api-key';
import { clearError, wireBanner } from './banner';
import { byId } from './dom';
import { applyLimits, applyModelInputs, readParameters, wireSliders, writeParameters } from './form';
import { HistoryPanel } from './history-panel';
import { LiveTyping } from './live';
import { TtsHub, type ServerStatus } from './hub';
import { initialLanguage, setLanguage, t, type Language } from './i18n';
import { canDecodeOpus } from './opus';
import type { SynthesisParameters, WireAudioFormat } from './params';
import { StreamPlayer } from './player';
import { describeModel, fetchLive, fetchReady } from './status';
import { SynthesisController } from './synthesis';
import { TextPlanPanel } from './text-plan';
import { Visualizer } from './visualizer';
import { VoicesPanel } from './voices-panel';

rememberApiKeyFromUrl();

const pollIntervalMs = 5000;
const requestTimeoutMs = 3000;

let modelReady = false;
// History and voices live in PostgreSQL: they are loaded once /ready says the database is migrated, not before
// (right after a start the API answers 500 while migrations run).
let databaseReady = false;
let hubConnected = false;

/**
 * Opus on the wire where this browser decodes it (WebCodecs), else PCM16; `?wire=pcm16` in the page's address keeps
 * PCM16 (to compare the two). Decided once at start, so that starting a synthesis awaits nothing before its audio
 * context is created inside the user's gesture.
 */
let wireFormat: WireAudioFormat | null = null;
if (new URLSearchParams(window.location.search).get('wire') !== 'pcm16') {
  void canDecodeOpus().then((supported) => (wireFormat = supported ? 'opus' : null));
}
/** The last status, for labels that name the model after a language switch. */
let lastStatus: ServerStatus | null = null;

/** The form's parameters; Opus is asked for on streams only (a non-streaming result is a stored WAV). */
function formParameters(): SynthesisParameters {
  const parameters = readParameters();
  return { ...parameters, audioFormat: parameters.mode === 'streaming' ? wireFormat : null };
}

const player = new StreamPlayer({ onStats: (stats) => synthesis.onStats(stats) });
const hub = new TtsHub(onServerStatus, (update) => synthesis.onJobUpdate(update), onHubConnection);
const synthesis = new SynthesisController(hub, player, () => {
  // The history row is written in the background; look twice so it shows up without a manual refresh.
  void history.load();
  setTimeout(() => void history.load(), 1500);
});
const live = new LiveTyping(synthesis, () => ({ ...readParameters(), audioFormat: wireFormat }));
const history = new HistoryPanel({
  play: (samples, rate) => synthesis.playClip(samples, rate),
  rerun: (item) => {
    byId<HTMLTextAreaElement>('text').value = item.text;
    writeParameters(item.parameters);
    void startSynthesis();
  },
});
const voices = new VoicesPanel();
const textPlan = new TextPlanPanel(
  () => byId<HTMLTextAreaElement>('text').value,
  () => byId<HTMLInputElement>('normalize').checked,
);
const visualizer = new Visualizer(byId<HTMLCanvasElement>('visualizer'), () => player.analyser);

function updateButton(): void {
  const button = byId<HTMLButtonElement>('synthesize');
  button.disabled = !modelReady || synthesis.busy;
}

/** The model's name from the hub's status (a Hugging Face id or the checkpoint folder's name), shown once it is ready. */
let modelName: string | null = null;

function showModel(element: HTMLElement, description: string): void {
  element.textContent = modelReady && modelName ? modelName : description;
  element.title = description;
}

function onServerStatus(status: ServerStatus): void {
  synthesis.sampleRate = status.sampleRate;
  lastStatus = status;
  if (status.limits) applyLimits(status.limits);
  applyModelInputs(status);
  voices.referenceOnlyAllowed = status.voxCpm2Inputs;
  modelName = status.model || null;
  const ready = byId('ready-status');
  showModel(ready, ready.title || ready.textContent);
  const hubStatus = byId('hub-status');
  hubStatus.title = `${status.model} · ${status.device} · ${status.activeStreams}/${status.maxConcurrent} · queue ${status.queueLength}`;
}

function onHubConnection(connected: boolean): void {
  hubConnected = connected;
  const element = byId('hub-status');
  element.dataset.state = connected ? 'connected' : 'down';
  element.setAttribute('data-i18n', connected ? 'connected' : 'disconnected');
  element.textContent = t(connected ? 'connected' : 'disconnected');
}

async function connectHub(): Promise<void> {
  try {
    await hub.ensureStarted();
    onHubConnection(true);
    const status = await hub.getStatus();
    if (status) onServerStatus(status);
  } catch {
    onHubConnection(false);
  }
}

async function refreshHealth(): Promise<void> {
  const signal = AbortSignal.timeout(requestTimeoutMs);
  const [live, ready] = await Promise.all([fetchLive(signal), fetchReady(signal)]);
  const server = byId('server-status');
  server.setAttribute('data-i18n', live ? 'live' : 'unreachable');
  server.textContent = t(live ? 'live' : 'unreachable');
  server.dataset.state = live ? 'live' : 'down';

  const model = byId('ready-status');
  modelReady = ready?.status === 'Healthy';
  showModel(model, describeModel(ready));
  model.dataset.state = modelReady ? 'ready' : 'not-ready';
  updateButton();
  if (modelReady && !hubConnected) void connectHub();
  const database = ready?.checks.find((check) => check.name === 'database');
  if (database?.status === 'Healthy' && !databaseReady) {
    void history.load();
    void voices.load();
  }
  databaseReady = database?.status === 'Healthy';
}

async function startSynthesis(): Promise<void> {
  if (synthesis.busy || byId<HTMLButtonElement>('synthesize').disabled) return;
  void textPlan.refresh(); // the plan of exactly what is being spoken (re-run fills the text without typing)
  await synthesis.start(byId<HTMLTextAreaElement>('text').value, formParameters());
}

function switchLanguage(next: Language): void {
  setLanguage(next);
  byId<HTMLSelectElement>('language').value = next;
  synthesis.relabel();
  if (lastStatus) {
    if (lastStatus.limits) applyLimits(lastStatus.limits);
    applyModelInputs(lastStatus);
  }
  history.render();
  voices.render();
  textPlan.render();
}

byId('synth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void startSynthesis();
});
byId('cancel').addEventListener('click', () => synthesis.cancel());
// Ctrl/Cmd+Enter in the text box synthesizes (a plain Enter there is a new line); Esc anywhere cancels.
byId('text').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    if (live.active) live.end();
    else void startSynthesis();
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    if (synthesis.busy) synthesis.cancel();
    else clearError();
  }
});
document.addEventListener('voxcpm:busy', updateButton);
byId<HTMLSelectElement>('language').addEventListener('change', (event) => switchLanguage((event.target as HTMLSelectElement).value as Language));

wireBanner();
wireSliders();
live.wire();
switchLanguage(initialLanguage(window.localStorage));
visualizer.start();
void refreshHealth();
setInterval(() => void refreshHealth(), pollIntervalMs);
