/**
 * One synthesis at a time from the form: streams over the hub into the player, or (non-streaming) follows the job
 * and plays the stored audio when it is done. Shows state, progress, time to first audio and RTF.
 */
import type { ISubscription, Subject } from '@microsoft/signalr';
import { fetchAudio, historyAudioUrl } from './api';
import { clearError, showError } from './banner';
import { byId, formatMs, formatRtf } from './dom';
import { ApiError, fromHubException, type ServerError } from './errors';
import type { JobUpdate, SynthesisStreamItem, SynthesisSummary, TtsHub } from './hub';
import { t, type MessageKey } from './i18n';
import { toWireRequest, type SynthesisParameters } from './params';
import { OpusStreamDecoder, opusRate, opusStartBufferMs } from './opus';
import { decodePcm16, encodePcm16, encodeWav, parseWav } from './pcm';
import { resampleLinear, type StreamPlayer } from './player';
import type { WorkletStats } from './player-messages';

interface Run {
  subscription: ISubscription<unknown> | null;
  mode: SynthesisParameters['mode'];
  startedAt: number;
  firstAudioAt: number | null;
  chunks: number;
  jobId: string | null;
  finished: boolean;
  /** What the download button saves once the run is complete: the streamed PCM16 chunks, or the stored WAV. */
  pcm: Uint8Array[];
  sampleRate: number;
  wav: ArrayBuffer | null;
  /** The Opus decoder, once the first Opus item arrived (null: PCM16 on the wire). */
  opus: OpusStreamDecoder | null;
  /** Samples received (PCM16) or decoded (Opus) so far, at `sampleRate`. */
  samples: number;
  /** The complete item arrived and the run is finishing (Opus may still be decoding): the stream's end waits. */
  completing: boolean;
}

export class SynthesisController {
  private run: Run | null = null;
  private defaultSampleRate = 16000;

  constructor(
    private readonly hub: TtsHub,
    private readonly player: StreamPlayer,
    private readonly onFinished: () => void,
  ) {}

  get busy(): boolean {
    return this.run !== null && !this.run.finished;
  }

  set sampleRate(rate: number) {
    if (rate > 0) this.defaultSampleRate = rate;
  }

  /**
   * Speaks the form's text; with `live`, the text is a stream (SynthesizeTextStream): `text` is its start and the
   * subject carries the rest as it is typed, until it completes.
   */
  async start(text: string, parameters: SynthesisParameters, live?: Subject<string>): Promise<void> {
    if (this.busy) {
      return;
    }
    clearError();
    const run: Run = { subscription: null, mode: parameters.mode, startedAt: performance.now(), firstAudioAt: null, chunks: 0, jobId: null, finished: false, pcm: [], sampleRate: 0, wav: null, opus: null, samples: 0, completing: false };
    this.run = run;
    this.resetMetrics();
    this.setState('connecting', 'stateConnecting');
    this.setBusy(true);
    try {
      // The context is created inside the user's gesture, before any await that would end it.
      const prepared = this.player.prepare(this.player.sampleRate ?? (parameters.audioFormat === 'opus' ? opusRate(this.defaultSampleRate) : this.defaultSampleRate));
      await Promise.all([prepared, this.hub.ensureStarted()]);
      if (run.finished) return;
      this.player.begin(parameters.audioFormat === 'opus' ? opusStartBufferMs : 0);
      run.startedAt = performance.now();
      const observer = {
        next: (item: SynthesisStreamItem) => this.onItem(run, item),
        error: (error: unknown) => this.fail(run, fromHubException(error)),
        complete: () => this.onStreamEnd(run),
      };
      run.subscription = live
        ? this.hub.synthesizeTextStream(toWireRequest(text, { ...parameters, mode: 'streaming' }), live, observer)
        : this.hub.synthesize(toWireRequest(text, parameters), observer);
    } catch (error) {
      this.fail(run, fromHubException(error));
    }
  }

  /** Esc or the cancel button: stops the stream on the server and the audio here. */
  cancel(): void {
    const run = this.run;
    if (!run || run.finished) {
      return;
    }
    run.subscription?.dispose();
    run.opus?.close();
    this.player.stop();
    this.finish(run, 'cancelled', 'stateCancelled');
  }

  onJobUpdate(update: JobUpdate): void {
    const run = this.run;
    if (!run || run.finished || !run.jobId || update.jobId !== run.jobId) {
      return;
    }
    if (update.progress !== null) this.setProgress(update.progress);
    if (update.status === 'completed') {
      void this.playStored(run, update.summary, update.synthesisId);
    } else if (update.status === 'failed' || update.status === 'cancelled') {
      this.fail(run, update.error ?? { code: update.status, message: update.status });
    }
  }

  onStats(stats: WorkletStats): void {
    const played = byId('played');
    played.dataset.samples = String(stats.played);
    const rate = this.player.sampleRate ?? this.defaultSampleRate;
    played.textContent = `${(stats.played / rate).toFixed(2)} s`;
    byId('underruns').textContent = String(stats.underruns);
    byId('jitter-target').textContent = formatMs((stats.target / rate) * 1000);
    byId('played').dataset.state = stats.state;
  }

  private onItem(run: Run, item: SynthesisStreamItem): void {
    if (run.finished) return;
    switch (item.kind) {
      case 'queued':
        this.setState('queued', 'stateQueued', { position: item.position ?? '?' });
        break;
      case 'started':
        this.setState('started', 'stateStarted');
        break;
      case 'audio':
        this.onAudio(run, item);
        break;
      case 'progress':
        if (item.progress !== null) this.setProgress(item.progress);
        break;
      case 'job_accepted':
        run.jobId = item.jobId;
        this.setState('job', 'stateJob', { jobId: item.jobId ?? '' });
        if (item.jobId) this.hub.watchJob(item.jobId).catch((error: unknown) => this.fail(run, fromHubException(error)));
        break;
      case 'complete':
        run.completing = true;
        if (run.mode === 'non_streaming' && run.chunks === 0) {
          void this.playStored(run, item.summary, item.summary?.synthesisId ?? null);
        } else {
          void this.completeStream(run, item.summary);
        }
        break;
      case 'error':
        this.fail(run, item.error ?? { code: 'internal_error', message: 'error without details' });
        break;
    }
  }

  private onAudio(run: Run, item: SynthesisStreamItem): void {
    if (!item.audio) return;
    if (run.firstAudioAt === null) {
      run.firstAudioAt = performance.now();
      byId('ttfa').textContent = formatMs(run.firstAudioAt - run.startedAt);
      this.setState('streaming', 'stateStreaming');
    }
    run.chunks++;
    const chunks = byId('chunks');
    chunks.textContent = String(run.chunks);
    chunks.dataset.count = String(run.chunks);
    if (item.format === 'opus') {
      run.opus ??= new OpusStreamDecoder((samples, rate) => this.onSamples(run, samples, rate));
      run.opus.push(item);
      return;
    }
    // A copy: MessagePack hands out views into its receive buffer.
    run.pcm.push(item.audio.slice());
    this.onSamples(run, decodePcm16(item.audio), item.sampleRate ?? run.sampleRate);
  }

  /** Plays samples as they arrive (PCM16) or are decoded (Opus), and counts them for the wire-format line. */
  private onSamples(run: Run, samples: Float32Array, sampleRate: number): void {
    if (run.finished) return;
    if (run.opus) run.pcm.push(encodePcm16(samples));
    run.sampleRate = sampleRate;
    run.samples += samples.length;
    this.showWire(run, run.opus ? 'opus' : 'pcm16');
    const rate = this.player.sampleRate ?? this.defaultSampleRate;
    this.player.push(sampleRate && sampleRate !== rate ? resampleLinear(samples, sampleRate, rate) : samples);
  }

  /**
   * The wire format line: "Opus · 48000 Hz", "PCM16 · 16000 Hz" or "WAV · 16000 Hz" (a finished job's stored audio),
   * with the sample count (the tests read it).
   */
  private showWire(run: Run, format: 'opus' | 'pcm16' | 'wav'): void {
    const wire = byId('wire-format');
    wire.dataset.format = format;
    wire.dataset.sampleRate = String(run.sampleRate);
    wire.dataset.samples = String(run.samples);
    wire.textContent = `${format === 'opus' ? 'Opus' : format.toUpperCase()} · ${run.sampleRate} Hz`;
  }

  /** The last item arrived: Opus still being decoded is played out first, then the run completes. */
  private async completeStream(run: Run, summary: SynthesisSummary | null): Promise<void> {
    try {
      await run.opus?.flush();
    } catch (error) {
      this.fail(run, { code: 'opus_decode_failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (run.finished) return;
    run.opus?.close();
    this.showSummary(summary);
    this.setProgress(1);
    this.player.end();
    this.finish(run, 'complete', 'stateComplete');
  }

  /** The stream ended; a non-streaming job may still be running, reported by JobUpdated. */
  private onStreamEnd(run: Run): void {
    if (!run.finished && !run.jobId && !run.completing) {
      this.player.end();
      this.finish(run, 'complete', 'stateComplete');
    }
  }

  private async playStored(run: Run, summary: SynthesisSummary | null, synthesisId: string | null): Promise<void> {
    this.showSummary(summary);
    const id = synthesisId ?? summary?.synthesisId;
    if (!id) {
      this.fail(run, { code: 'not_found', message: 'the job finished without a synthesis id' });
      return;
    }
    this.setState('fetching', 'stateFetching');
    try {
      const stored = await fetchAudio(historyAudioUrl(id));
      run.wav = stored;
      const wav = parseWav(stored);
      run.sampleRate = wav.sampleRate;
      run.samples = wav.samples.length;
      this.showWire(run, 'wav');
      if (run.finished) return;
      if (run.firstAudioAt === null) {
        run.firstAudioAt = performance.now();
        if (!summary?.timeToFirstAudioMs) byId('ttfa').textContent = formatMs(run.firstAudioAt - run.startedAt);
      }
      await this.playClip(wav.samples, wav.sampleRate);
      this.setProgress(1);
      this.finish(run, 'complete', 'stateComplete');
    } catch (error) {
      this.fail(run, error instanceof ApiError ? error.error : fromHubException(error));
    }
  }

  /** Plays a whole clip (history or a finished job) through the same player and visualizer. */
  async playClip(samples: Float32Array, sampleRate: number): Promise<void> {
    await this.player.prepare(this.player.sampleRate ?? sampleRate);
    const rate = this.player.sampleRate ?? sampleRate;
    this.player.begin();
    this.player.push(resampleLinear(samples, sampleRate, rate));
    this.player.end();
  }

  private showSummary(summary: SynthesisSummary | null): void {
    if (!summary) return;
    if (summary.timeToFirstAudioMs !== null) {
      const client = byId('ttfa').textContent;
      byId('ttfa').textContent = client && client !== '–' ? `${formatMs(summary.timeToFirstAudioMs)} (${client})` : formatMs(summary.timeToFirstAudioMs);
    }
    byId('rtf').textContent = formatRtf(summary.rtf);
    byId('rtf').dataset.rtf = String(summary.rtf);
    if (summary.synthesisId) byId('synthesis-state').dataset.synthesisId = summary.synthesisId;
  }

  private fail(run: Run, error: ServerError): void {
    if (run.finished) return;
    run.subscription?.dispose();
    run.opus?.close();
    this.player.end();
    showError(error);
    this.finish(run, 'failed', 'stateFailed');
  }

  private finish(run: Run, state: string, key: MessageKey): void {
    run.finished = true;
    this.offerDownload(state === 'complete' ? run : null);
    this.setState(state, key);
    this.setBusy(false);
    this.onFinished();
  }

  /** Enables the download button for a complete run's audio (as it was received), or disables it. */
  private offerDownload(run: Run | null): void {
    const link = byId<HTMLAnchorElement>('download');
    if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
    const blob = run?.wav ? new Blob([run.wav], { type: 'audio/wav' }) : run && run.pcm.length > 0 ? encodeWav(run.pcm, run.sampleRate || this.defaultSampleRate) : null;
    if (blob) {
      link.href = URL.createObjectURL(blob);
      link.download = `voxcpm-${byId('synthesis-state').dataset.synthesisId ?? 'speech'}.wav`;
      link.removeAttribute('aria-disabled');
    } else {
      link.removeAttribute('href');
      link.setAttribute('aria-disabled', 'true');
    }
  }

  private resetMetrics(): void {
    this.offerDownload(null);
    for (const id of ['ttfa', 'rtf']) byId(id).textContent = '–';
    byId('chunks').textContent = '0';
    byId('chunks').dataset.count = '0';
    const wire = byId('wire-format');
    wire.textContent = '–';
    for (const attribute of ['data-format', 'data-sample-rate', 'data-samples']) wire.removeAttribute(attribute);
    delete byId('synthesis-state').dataset.synthesisId;
    this.setProgress(0);
  }

  private setProgress(value: number): void {
    byId<HTMLProgressElement>('progress').value = Math.max(0, Math.min(1, value));
  }

  private lastState: [string, MessageKey, Record<string, string | number>] = ['idle', 'stateIdle', {}];

  private setState(state: string, key: MessageKey, values: Record<string, string | number> = {}): void {
    this.lastState = [state, key, values];
    const element = byId('synthesis-state');
    element.dataset.state = state;
    element.textContent = t(key, values);
  }

  /** Re-renders the state line after a language switch. */
  relabel(): void {
    this.setState(...this.lastState);
  }

  private setBusy(busy: boolean): void {
    byId<HTMLButtonElement>('cancel').disabled = !busy;
    byId('synthesize').dataset.busy = String(busy);
    document.dispatchEvent(new CustomEvent('voxcpm:busy'));
  }
}
