/**
 * Reads and writes the parameter controls; range sliders mirror their number fields. The ranges, defaults and
 * length limits come from the server's status (applyLimits), and the VoxCPM2 controls follow the loaded model
 * (applyModelInputs).
 */
import { byId } from './dom';
import type { RequestLimits, ServerStatus } from './hub';
import { t } from './i18n';
import { emptyParameters, parseNumber, parseSeed, type SynthesisParameters, type WireAudioFormat } from './params';

const input = (id: string) => byId<HTMLInputElement>(id);
const optional = (value: string): string | null => value.trim() || null;

/** The controls that only a VoxCPM2 model reads. */
const voxCpm2Controls = ['voice-description', 'reference-url'] as const;

export function readParameters(audioFormat: WireAudioFormat | null = null): SynthesisParameters {
  const mode = document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value;
  const voiceId = byId<HTMLSelectElement>('voice').value;
  // A disabled control (the model cannot use it) is not sent, whatever it still holds.
  const enabled = (id: (typeof voxCpm2Controls)[number]) => (byId<HTMLInputElement | HTMLTextAreaElement>(id).disabled ? null : optional(byId<HTMLInputElement | HTMLTextAreaElement>(id).value));
  return {
    mode: mode === 'non_streaming' ? 'non_streaming' : 'streaming',
    cfgValue: parseNumber(input('cfg-value').value),
    inferenceTimesteps: parseNumber(input('timesteps').value),
    normalize: input('normalize').checked,
    denoise: input('denoise').checked,
    retryBadcase: input('retry-badcase').checked,
    seed: parseSeed(input('seed').value),
    voiceId: voiceId || null,
    promptWavUrl: optional(input('prompt-url').value),
    promptText: optional(input('prompt-text').value),
    voiceDescription: enabled('voice-description'),
    referenceWavUrl: enabled('reference-url'),
    audioFormat,
  };
}

/** The server's defaults, once its status said them (empty before: the server applies them anyway). */
let defaults: Pick<SynthesisParameters, 'cfgValue' | 'inferenceTimesteps'> = { cfgValue: null, inferenceTimesteps: null };

const numberText = (value: number | null): string => (value === null ? '' : String(value));

/** Puts parameters into the controls (re-run from history); missing ones take their defaults. */
export function writeParameters(parameters: Partial<SynthesisParameters>): void {
  const p = { ...emptyParameters, ...defaults, ...parameters };
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
    radio.checked = radio.value === p.mode;
  }
  input('cfg-value').value = numberText(p.cfgValue);
  input('cfg-range').value = numberText(p.cfgValue);
  input('timesteps').value = numberText(p.inferenceTimesteps);
  input('timesteps-range').value = numberText(p.inferenceTimesteps);
  input('normalize').checked = p.normalize;
  input('denoise').checked = p.denoise;
  input('retry-badcase').checked = p.retryBadcase;
  input('seed').value = p.seed === null ? '' : String(p.seed);
  input('prompt-url').value = p.promptWavUrl ?? '';
  input('prompt-text').value = p.promptText ?? '';
  byId<HTMLTextAreaElement>('voice-description').value = p.voiceDescription ?? '';
  input('reference-url').value = p.referenceWavUrl ?? '';
  const voice = byId<HTMLSelectElement>('voice');
  voice.value = p.voiceId ?? '';
  if (voice.value !== (p.voiceId ?? '')) {
    voice.value = '';
  }
}

/**
 * Shows the server's ranges, defaults and length limits: slider and number bounds, the range next to each label,
 * maxlength on the text fields. An empty number field takes the default; a value already typed stays.
 */
export function applyLimits(limits: RequestLimits): void {
  for (const [range, number, hint, bounds] of [
    ['cfg-range', 'cfg-value', 'cfg-bounds', limits.cfgValue],
    ['timesteps-range', 'timesteps', 'timesteps-bounds', limits.inferenceTimesteps],
  ] as const) {
    for (const id of [range, number]) {
      input(id).min = String(bounds.min);
      input(id).max = String(bounds.max);
    }
    if (input(number).value.trim() === '') {
      input(number).value = String(bounds.default);
      input(range).value = String(bounds.default);
    }
    byId(hint).textContent = `${bounds.min}–${bounds.max}`;
  }
  defaults = { cfgValue: limits.cfgValue.default, inferenceTimesteps: limits.inferenceTimesteps.default };
  const maxLength: [string, number][] = [
    ['text', limits.maxTextLength],
    ['prompt-text', limits.maxPromptTextLength],
    ['voice-transcript', limits.maxPromptTextLength],
    ['voice-description', limits.maxVoiceDescriptionLength],
    ['prompt-url', limits.maxUrlLength],
    ['reference-url', limits.maxUrlLength],
  ];
  for (const [id, length] of maxLength) byId<HTMLInputElement | HTMLTextAreaElement>(id).maxLength = length;
  byId('voice-description-bounds').textContent = t('atMostCharacters', { count: limits.maxVoiceDescriptionLength });
}

/**
 * Enables the VoxCPM2 controls (voice design, reference audio) for a model that reads them; for any other model
 * they are disabled, and the reason (naming the model) is shown beside them.
 */
export function applyModelInputs(status: Pick<ServerStatus, 'model' | 'voxCpm2Inputs' | 'architecture'>): void {
  const group = byId<HTMLFieldSetElement>('voxcpm2');
  group.disabled = !status.voxCpm2Inputs;
  group.dataset.supported = String(status.voxCpm2Inputs);
  const reason = byId('voxcpm2-reason');
  reason.hidden = status.voxCpm2Inputs;
  reason.dataset.model = status.model;
  reason.textContent = status.voxCpm2Inputs ? '' : t('needsVoxCpm2', { model: status.model || status.architecture || '?' });
  for (const id of voxCpm2Controls) byId<HTMLInputElement | HTMLTextAreaElement>(id).disabled = !status.voxCpm2Inputs;
}

export function wireSliders(): void {
  for (const [range, number] of [
    ['cfg-range', 'cfg-value'],
    ['timesteps-range', 'timesteps'],
  ] as const) {
    input(range).addEventListener('input', () => (input(number).value = input(range).value));
    input(number).addEventListener('input', () => (input(range).value = input(number).value));
  }
}
