/**
 * Saved voices: list from /api/voices, upload a recording with its transcript (or, on a VoxCPM2 model, without one:
 * reference audio alone), delete, and use in the form.
 */
import { createVoice, deleteVoice, listVoices, type SavedVoice } from './api';
import { notify, showError } from './banner';
import { byId, make } from './dom';
import { ApiError } from './errors';
import { t } from './i18n';

export class VoicesPanel {
  private voices: SavedVoice[] = [];
  private referenceOnly = false;

  constructor() {
    byId('voice-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
  }

  async load(): Promise<void> {
    try {
      this.voices = await listVoices();
      this.render();
    } catch (error) {
      // No voices API on this server (404): an empty panel, not an alarm.
      if (!(error instanceof ApiError && error.error.code === 'http_404')) {
        showError(error instanceof ApiError ? error.error : { code: 'voices_error', message: String(error) });
      }
      this.render();
    }
  }

  /** Whether the loaded model takes a voice without a transcript (VoxCPM2); the transcript is then optional. */
  set referenceOnlyAllowed(allowed: boolean) {
    this.referenceOnly = allowed;
    const transcript = byId<HTMLTextAreaElement>('voice-transcript');
    transcript.setAttribute('data-i18n-placeholder', allowed ? 'transcriptOptional' : 'transcriptRequired');
    transcript.placeholder = t(allowed ? 'transcriptOptional' : 'transcriptRequired');
  }

  render(): void {
    const list = byId('voice-list');
    list.replaceChildren();
    if (this.voices.length === 0) {
      list.append(make('li', { class: 'empty' }, t('noVoices')));
    }
    for (const voice of this.voices) {
      const row = make('li', { class: 'voice-item', 'data-id': voice.id });
      row.append(make('strong', {}, voice.name), make('p', { class: 'facts' }, voice.transcript ?? t('referenceOnlyVoice')));
      const use = make('button', { type: 'button' }, t('use'));
      use.addEventListener('click', () => {
        const select = byId<HTMLSelectElement>('voice');
        select.value = voice.id;
        select.focus();
      });
      const remove = make('button', { type: 'button', class: 'delete' }, t('delete'));
      remove.addEventListener('click', () => void this.remove(voice));
      const actions = make('div', { class: 'row-actions' });
      actions.append(use, remove);
      row.append(actions);
      list.append(row);
    }
    // The form's voice choice, keeping the current selection when it still exists.
    const select = byId<HTMLSelectElement>('voice');
    const chosen = select.value;
    select.replaceChildren(make('option', { value: '', 'data-i18n': 'defaultVoice' }, t('defaultVoice')));
    for (const voice of this.voices) {
      select.append(make('option', { value: voice.id }, voice.name));
    }
    select.value = this.voices.some((voice) => voice.id === chosen) ? chosen : '';
  }

  private async save(): Promise<void> {
    const name = byId<HTMLInputElement>('voice-name').value.trim();
    const transcript = byId<HTMLTextAreaElement>('voice-transcript').value.trim();
    const file = byId<HTMLInputElement>('voice-file').files?.[0];
    if (!name || (!transcript && !this.referenceOnly) || !file) {
      showError({ code: 'invalid_request', message: t(this.referenceOnly ? 'needVoiceNameAndFile' : 'needVoiceFields') });
      return;
    }
    const button = byId<HTMLButtonElement>('voice-save');
    button.disabled = true;
    try {
      const saved = await createVoice(name, transcript || null, file);
      byId<HTMLFormElement>('voice-form').reset();
      notify(t('voiceSaved'));
      await this.load();
      if (saved) byId<HTMLSelectElement>('voice').value = saved.id;
    } catch (error) {
      showError(error instanceof ApiError ? error.error : { code: 'voices_error', message: String(error) });
    } finally {
      button.disabled = false;
    }
  }

  private async remove(voice: SavedVoice): Promise<void> {
    if (!confirm(t('confirmDelete'))) {
      return;
    }
    try {
      await deleteVoice(voice.id);
      await this.load();
    } catch (error) {
      showError(error instanceof ApiError ? error.error : { code: 'voices_error', message: String(error) });
    }
  }
}
