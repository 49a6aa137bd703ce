import { afterEach, describe, expect, it } from 'vitest';
import { clock, count, dateTime, distance, duration, euro } from './format.ts';
import { DEFAULT_LANGUAGE, setLanguage } from './i18n.ts';
import { percent } from './screens/orders/places.ts';

// 5 March 2025, 14:02 local time, whatever the time zone the tests run in.
const afternoon = new Date(2025, 2, 5, 14, 2).toISOString();
const morning = new Date(2025, 2, 5, 9, 5).toISOString();

afterEach(() => setLanguage(DEFAULT_LANGUAGE));

describe('formatting follows the language in use, read at call time', () => {
  it('euros: "€ 12,34" in Dutch, "€12.34" in English', () => {
    setLanguage('nl');
    expect(euro(1234)).toBe('€ 12,34');
    expect(euro(123456)).toBe('€ 1.234,56');
    expect(euro(-495)).toBe('-€ 4,95');
    setLanguage('en');
    expect(euro(1234)).toBe('€12.34');
    expect(euro(123456)).toBe('€1,234.56');
    expect(euro(-495)).toBe('-€4.95');
  });

  it('times: 24-hour in both (en-GB), so the clock reads the same', () => {
    setLanguage('nl');
    expect(clock(afternoon)).toBe('14:02');
    expect(clock(morning)).toBe('09:05');
    setLanguage('en');
    expect(clock(afternoon)).toBe('14:02');
    expect(clock(morning)).toBe('09:05');
    expect(clock(null)).toBe('—');
  });

  it('dates: day-month-year with dashes in Dutch, slashes in English', () => {
    setLanguage('nl');
    const nl = dateTime(afternoon);
    expect(nl).toContain('05-03-2025');
    expect(nl).toContain('14:02');
    setLanguage('en');
    const en = dateTime(afternoon);
    expect(en).toContain('05/03/2025');
    expect(en).toContain('14:02');
  });

  it('counts, distances and percentages', () => {
    setLanguage('nl');
    expect(count(1234567)).toBe('1.234.567');
    expect(distance(4200)).toBe('4,2 km');
    expect(distance(800)).toBe('800 m');
    expect(percent(2000)).toBe('20 %');
    expect(percent(1250)).toBe('12,5 %');
    setLanguage('en');
    expect(count(1234567)).toBe('1,234,567');
    expect(distance(4200)).toBe('4.2 km');
    expect(distance(37_000)).toBe('37 km');
    expect(percent(2000)).toBe('20%');
    expect(percent(1250)).toBe('12.5%');
  });

  it('durations are the same in both', () => {
    for (const l of ['nl', 'en'] as const) {
      setLanguage(l);
      expect(duration(180_000)).toBe('3 min');
      expect(duration(7_500_000)).toBe('2 h 5 min');
    }
  });
});
