/**
 * The text plan under the text box: as the user types (debounced) and before each synthesis, POST /api/text/plan
 * tells what the server will speak — the normalized text and the numbered segments long text is split into.
 */
import { fetchTextPlan, type TextPlan } from './api';
import { byId, make } from './dom';
import { t } from './i18n';

/** Quiet time after the last keystroke before the plan is asked for. */
export const planDelayMs = 400;

/** Runs the latest scheduled action once no new one has come for `delayMs`; `flush` runs it at once. */
export class Debouncer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: (() => void) | null = null;

  constructor(private readonly delayMs: number) {}

  schedule(action: () => void): void {
    this.cancel();
    this.pending = action;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    const action = this.pending;
    this.cancel();
    action?.();
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}

export interface PlanView {
  /** "3 segments · 214 characters" */
  summary: string;
  /** The whole text as it will be spoken, when normalization changes it; else null. */
  normalized: string | null;
  segments: { number: number; text: string; length: number; label: string }[];
}

function count(value: number, one: 'segmentOne' | 'characterOne', many: 'segmentMany' | 'characterMany'): string {
  return t(value === 1 ? one : many, { count: value });
}

/** What the panel shows for a plan, in the current language. */
export function describePlan(plan: TextPlan): PlanView {
  const segments = plan.segments.map((segment, index) => {
    const length = segment.spoken.length; // UTF-16 units, as the server counts its segment limit
    return { number: index + 1, text: segment.spoken, length, label: count(length, 'characterOne', 'characterMany') };
  });
  const characters = segments.reduce((sum, segment) => sum + segment.length, 0);
  const changed = plan.segments.some((segment) => segment.spoken !== segment.text);
  return {
    summary: `${count(segments.length, 'segmentOne', 'segmentMany')} · ${count(characters, 'characterOne', 'characterMany')}`,
    normalized: changed ? plan.segments.map((segment) => segment.spoken).join(' ') : null,
    segments,
  };
}

export class TextPlanPanel {
  private readonly debouncer = new Debouncer(planDelayMs);
  private loading: AbortController | null = null;
  private plan: TextPlan | null = null;

  constructor(private readonly readText: () => string, private readonly readNormalize: () => boolean) {
    byId('text').addEventListener('input', () => this.debouncer.schedule(() => void this.refresh()));
    byId('normalize').addEventListener('change', () => void this.refresh());
  }

  /** Asks for the plan of the text as it is now (a pending debounced ask is dropped). */
  async refresh(): Promise<void> {
    this.debouncer.cancel();
    this.loading?.abort();
    const text = this.readText();
    const panel = byId('text-plan');
    if (!text.trim()) {
      this.plan = null;
      this.render();
      return;
    }
    const controller = new AbortController();
    this.loading = controller;
    panel.setAttribute('aria-busy', 'true');
    try {
      this.plan = await fetchTextPlan(text, this.readNormalize(), controller.signal);
      this.render();
    } catch {
      // Too long, server away: the synthesis itself will say why; the panel just shows nothing stale.
      if (!controller.signal.aborted) {
        this.plan = null;
        this.render();
      }
    } finally {
      if (this.loading === controller) panel.setAttribute('aria-busy', 'false');
    }
  }

  render(): void {
    const panel = byId('text-plan');
    panel.hidden = this.plan === null || this.plan.segments.length === 0;
    if (this.plan === null) return;
    const view = describePlan(this.plan);
    byId('text-plan-summary').textContent = view.summary;
    panel.dataset.segments = String(view.segments.length);
    const normalized = byId('text-plan-normalized');
    normalized.hidden = view.normalized === null;
    normalized.textContent = view.normalized === null ? '' : `${t('spokenAs')}: ${view.normalized}`;
    const list = byId('text-plan-segments');
    list.replaceChildren(
      ...view.segments.map((segment) => {
        const item = make('li', { class: 'segment', 'data-length': String(segment.length) });
        item.append(make('span', { class: 'segment-text' }, segment.text), make('span', { class: 'segment-length' }, segment.label));
        return item;
      }),
    );
  }
}
