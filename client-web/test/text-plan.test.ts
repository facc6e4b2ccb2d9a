import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseHistoryItem, parseTextPlan } from '../src/api';
import { setLanguage } from '../src/i18n';
import { Debouncer, describePlan, planDelayMs } from '../src/text-plan';

// setLanguage touches the document and storage; a node test gives it just enough of both.
function useLanguage(language: 'zh' | 'en'): void {
  vi.stubGlobal('localStorage', { setItem: () => undefined });
  vi.stubGlobal('document', { documentElement: {}, title: '', querySelectorAll: () => [] });
  setLanguage(language, { querySelectorAll: () => [] } as unknown as ParentNode);
}

describe('the text plan panel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('numbers the segments with their lengths and sums them up', () => {
    useLanguage('en');
    const plan = parseTextPlan({
      segment_count: 3,
      segments: [
        { text: 'Hello there.', spoken: 'Hello there.', language: 'en' },
        { text: '今天天气很好。', spoken: '今天天气很好。', language: 'zh' },
        { text: 'A', spoken: 'A', language: 'en' },
      ],
    });
    const view = describePlan(plan);

    expect(view.summary).toBe('3 segments · 20 characters');
    expect(view.segments.map((s) => [s.number, s.length, s.label])).toEqual([
      [1, 12, '12 characters'],
      [2, 7, '7 characters'],
      [3, 1, '1 character'],
    ]);
    expect(view.normalized).toBeNull();
  });

  it('shows the normalized text when normalization changes what is spoken, in the chosen language', () => {
    useLanguage('zh');
    const view = describePlan(
      parseTextPlan({
        segments: [
          { text: 'I paid $3.', spoken: 'I paid three dollars.', language: 'en' },
          { text: '第2名。', spoken: '第二名。', language: 'zh' },
        ],
      }),
    );

    expect(view.summary).toBe('2 段 · 25 字');
    expect(view.normalized).toBe('I paid three dollars. 第二名。');
  });

  it('reads history rows with and without segments and warnings', () => {
    const row = parseHistoryItem({ id: 'a', text: 't', status: 'completed', segments: 3, warnings: ['segment 2 ended early: 1 s of noise', 7] });
    expect(row?.segments).toBe(3);
    expect(row?.warnings).toEqual(['segment 2 ended early: 1 s of noise']);
    const old = parseHistoryItem({ id: 'b', text: 't', status: 'completed' });
    expect(old?.segments).toBeNull();
    expect(old?.warnings).toEqual([]);
  });
});

describe('the debouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs only the last action, once typing pauses', () => {
    const debouncer = new Debouncer(planDelayMs);
    const calls: string[] = [];
    debouncer.schedule(() => calls.push('H'));
    vi.advanceTimersByTime(planDelayMs - 1);
    debouncer.schedule(() => calls.push('He'));
    vi.advanceTimersByTime(planDelayMs - 1);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['He']);
    vi.advanceTimersByTime(planDelayMs * 3);
    expect(calls).toEqual(['He']);
  });

  it('runs a pending action at once on flush, and never after cancel', () => {
    const debouncer = new Debouncer(planDelayMs);
    const calls: number[] = [];
    debouncer.schedule(() => calls.push(1));
    debouncer.flush();
    expect(calls).toEqual([1]);
    debouncer.schedule(() => calls.push(2));
    debouncer.cancel();
    vi.advanceTimersByTime(planDelayMs * 2);
    debouncer.flush();
    expect(calls).toEqual([1]);
  });
});
