import { describe, expect, it } from 'vitest';
import { dictionaries, initialLanguage } from '../src/i18n';

describe('interface languages', () => {
  it('labels the synthesize button exactly as the seed README does', () => {
    expect(dictionaries.zh.synthesize).toBe('开始合成');
    expect(dictionaries.en.synthesize).toBe('Synthesize');
  });

  it('has every message in both languages, with the same placeholders', () => {
    for (const [key, text] of Object.entries(dictionaries.zh)) {
      const english = dictionaries.en[key as keyof typeof dictionaries.en];
      expect(english, key).toBeTruthy();
      const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(names(english), key).toEqual(names(text));
    }
  });

  it('starts in Chinese unless English was chosen before', () => {
    expect(initialLanguage(null)).toBe('zh');
    expect(initialLanguage({ getItem: () => 'en' })).toBe('en');
    expect(initialLanguage({ getItem: () => 'fr' })).toBe('zh');
  });
});
