/** Reads and writes the parameter controls; range sliders mirror their number fields. */
import { byId } from './dom';
import { defaultParameters, parseNumber, parseSeed, type SynthesisParameters } from './params';

const input = (id: string) => byId<HTMLInputElement>(id);

export function readParameters(): SynthesisParameters {
  const mode = document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value;
  const voiceId = byId<HTMLSelectElement>('voice').value;
  return {
    mode: mode === 'non_streaming' ? 'non_streaming' : 'streaming',
    cfgValue: parseNumber(input('cfg-value').value, defaultParameters.cfgValue),
    inferenceTimesteps: parseNumber(input('timesteps').value, defaultParameters.inferenceTimesteps),
    normalize: input('normalize').checked,
    denoise: input('denoise').checked,
    retryBadcase: input('retry-badcase').checked,
    seed: parseSeed(input('seed').value),
    voiceId: voiceId || null,
    promptWavUrl: input('prompt-url').value.trim() || null,
    promptText: input('prompt-text').value.trim() || null,
  };
}

/** Puts parameters into the controls (re-run from history); missing ones take their defaults. */
export function writeParameters(parameters: Partial<SynthesisParameters>): void {
  const p = { ...defaultParameters, ...parameters };
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
    radio.checked = radio.value === p.mode;
  }
  input('cfg-value').value = String(p.cfgValue);
  input('cfg-range').value = String(p.cfgValue);
  input('timesteps').value = String(p.inferenceTimesteps);
  input('timesteps-range').value = String(p.inferenceTimesteps);
  input('normalize').checked = p.normalize;
  input('denoise').checked = p.denoise;
  input('retry-badcase').checked = p.retryBadcase;
  input('seed').value = p.seed === null ? '' : String(p.seed);
  input('prompt-url').value = p.promptWavUrl ?? '';
  input('prompt-text').value = p.promptText ?? '';
  const voice = byId<HTMLSelectElement>('voice');
  voice.value = p.voiceId ?? '';
  if (voice.value !== (p.voiceId ?? '')) {
    voice.value = '';
  }
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
