/** The history panel: paged and searchable rows from /api/history, each with play, download, re-run and delete. */
import { deleteHistory, fetchAudio, listHistory, type HistoryItem } from './api';
import { notify, showError } from './banner';
import { byId, formatMs, formatRtf, make } from './dom';
import { ApiError } from './errors';
import { t } from './i18n';
import { parseWav } from './pcm';

export interface HistoryActions {
  play(samples: Float32Array, sampleRate: number): Promise<void>;
  rerun(item: HistoryItem): void;
}

const pageSize = 10;

export class HistoryPanel {
  private page = 1;
  private total = 0;
  private query = '';
  private items: HistoryItem[] = [];
  private loading: AbortController | null = null;

  constructor(private readonly actions: HistoryActions) {
    byId('history-search').addEventListener('submit', (event) => {
      event.preventDefault();
      this.query = byId<HTMLInputElement>('history-q').value;
      this.page = 1;
      void this.load();
    });
    byId('history-prev').addEventListener('click', () => this.go(this.page - 1));
    byId('history-next').addEventListener('click', () => this.go(this.page + 1));
  }

  private get pages(): number {
    return Math.max(1, Math.ceil(this.total / pageSize));
  }

  private go(page: number): void {
    if (page >= 1 && page <= this.pages) {
      this.page = page;
      void this.load();
    }
  }

  async load(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const list = byId('history-list');
    list.setAttribute('aria-busy', 'true');
    try {
      const result = await listHistory({ page: this.page, pageSize, q: this.query }, controller.signal);
      this.items = result.items;
      this.total = result.total;
      this.render();
      // What the list shows now (the e2e test waits on it; assistive tech reads aria-busy).
      list.dataset.query = this.query;
    } catch (error) {
      if (error instanceof ApiError && error.error.code === 'http_404') {
        // The history API is not deployed on this server: an empty panel, not an alarm.
        this.items = [];
        this.total = 0;
        this.render();
      } else if (!controller.signal.aborted) {
        showError(error instanceof ApiError ? error.error : { code: 'history_error', message: String(error) });
      }
    } finally {
      if (this.loading === controller) list.setAttribute('aria-busy', 'false');
    }
  }

  render(): void {
    const list = byId('history-list');
    list.replaceChildren();
    if (this.items.length === 0) {
      list.append(make('li', { class: 'empty' }, t('noHistory')));
    }
    for (const item of this.items) {
      list.append(this.row(item));
    }
    byId('history-page').textContent = t('page', { page: this.page, pages: this.pages, total: this.total });
    byId<HTMLButtonElement>('history-prev').disabled = this.page <= 1;
    byId<HTMLButtonElement>('history-next').disabled = this.page >= this.pages;
  }

  private row(item: HistoryItem): HTMLLIElement {
    const row = make('li', { class: 'history-item', 'data-id': item.id, 'data-status': item.status });
    row.append(make('p', { class: 'text' }, item.text));
    const facts = [
      item.status,
      item.mode === 'streaming' ? t('streaming') : t('nonStreaming'),
      item.createdAt ? new Date(item.createdAt).toLocaleString() : null,
      item.audioSeconds !== null ? t('seconds', { value: item.audioSeconds.toFixed(2) }) : null,
      item.timeToFirstAudioMs !== null ? `TTFA ${formatMs(item.timeToFirstAudioMs)}` : null,
      item.rtf !== null ? `RTF ${formatRtf(item.rtf)}` : null,
      item.segments !== null ? t(item.segments === 1 ? 'segmentOne' : 'segmentMany', { count: item.segments }) : null,
      item.errorCode ? `${item.errorCode}: ${item.errorMessage ?? ''}` : null,
    ].filter((fact): fact is string => fact !== null);
    row.append(make('p', { class: 'facts' }, facts.join(' · ')));
    if (item.warnings.length > 0) row.append(warningsOf(item.warnings));

    const actions = make('div', { class: 'row-actions' });
    const audioUrl = item.audioUrl;
    const play = make('button', { type: 'button', class: 'play' }, t('play'));
    play.disabled = audioUrl === null;
    if (audioUrl !== null) play.addEventListener('click', () => void this.play(audioUrl));
    // Without audio the anchor has no href: not a link, not focusable, nothing to download.
    const download = make('a', { class: 'button download' }, t('download'));
    if (audioUrl === null) {
      download.setAttribute('aria-disabled', 'true');
    } else {
      download.href = audioUrl;
      download.download = `voxcpm-${item.id}.wav`;
    }
    const rerun = make('button', { type: 'button', class: 'rerun' }, t('rerun'));
    rerun.addEventListener('click', () => this.actions.rerun(item));
    const remove = make('button', { type: 'button', class: 'delete' }, t('delete'));
    remove.addEventListener('click', () => void this.remove(item));
    actions.append(play, download, rerun, remove);
    row.append(actions);
    return row;
  }

  private async play(audioUrl: string): Promise<void> {
    try {
      const wav = parseWav(await fetchAudio(audioUrl));
      await this.actions.play(wav.samples, wav.sampleRate);
    } catch (error) {
      showError(error instanceof ApiError ? error.error : { code: 'audio_error', message: String(error) });
    }
  }

  private async remove(item: HistoryItem): Promise<void> {
    if (!confirm(t('confirmDelete'))) {
      return;
    }
    try {
      await deleteHistory(item.id);
      notify(`${t('delete')} ✓`);
      if (this.items.length === 1 && this.page > 1) this.page--;
      await this.load();
    } catch (error) {
      showError(error instanceof ApiError ? error.error : { code: 'history_error', message: String(error) });
    }
  }
}

/** The runaway guard's warnings: a count that opens (mouse or keyboard) into the list, also as a tooltip. */
export function warningsOf(warnings: string[]): HTMLDetailsElement {
  const details = make('details', { class: 'warnings', title: warnings.join('\n') });
  details.append(
    make('summary', {}, t(warnings.length === 1 ? 'warningOne' : 'warningMany', { count: warnings.length })),
    make('ul', {}),
  );
  details.querySelector('ul')?.append(...warnings.map((warning) => make('li', {}, warning)));
  return details;
}
