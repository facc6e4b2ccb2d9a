import { describe, expect, it } from 'vitest';
import { BufferedSubject } from '../src/live';

describe('BufferedSubject', () => {
  it('hands what was written before the subscription to the first subscriber, in order, then passes on', () => {
    const subject = new BufferedSubject<string>();
    subject.next('Li');
    subject.next('ve ');
    const seen: string[] = [];
    let completed = false;
    subject.subscribe({ next: (item) => seen.push(item), error: () => undefined, complete: () => (completed = true) });
    expect(seen).toEqual(['Li', 've ']);
    subject.next('typing');
    subject.complete();
    expect(seen).toEqual(['Li', 've ', 'typing']);
    expect(completed).toBe(true);
  });

  it('keeps an early completion for the subscriber', () => {
    const subject = new BufferedSubject<string>();
    subject.next('all of it');
    subject.complete();
    const seen: string[] = [];
    let completed = false;
    subject.subscribe({ next: (item) => seen.push(item), error: () => undefined, complete: () => (completed = true) });
    expect(seen).toEqual(['all of it']);
    expect(completed).toBe(true);
  });
});
