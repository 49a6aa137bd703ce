import { formatDistance } from '../src/geo.ts';
import { formatCents } from '../src/money.ts';
import { locale } from './i18n.ts';

// Everything here reads `locale` (a live binding into i18n.ts) at call time: a language switch
// changes the next render's euros, times and numbers without reloading anything.

/** "€ 12,34" in Dutch, "€12.34" in English. */
export const euro = (cents: number): string => formatCents(cents, locale);

/** A count or other whole number with the locale's grouping: "1.234" / "1,234". */
export const count = (n: number): string => n.toLocaleString(locale);

/** "800 m", "4,2 km" in Dutch, "4.2 km" in English. */
export const distance = (metres: number): string => formatDistance(metres, locale);

export function clock(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

/** "3 min", "2 h 5 min", "45 s". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
