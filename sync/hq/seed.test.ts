import { describe, expect, it } from 'vitest';
import { countedBy } from './seed.ts';

// The demo's stock figures carry the time they were counted; the register shows their age.

describe('countedBy', () => {
  it('is 06:00 UTC on the seeded day once that has passed', () => {
    expect(countedBy('2026-12-08', new Date('2026-12-08T14:02:00.000Z'))).toBe('2026-12-08T06:00:00.000Z');
  });

  it('is the moment of seeding when HQ starts after midnight and before 06:00, never a time to come', () => {
    const now = new Date('2026-12-08T00:01:44.073Z');
    expect(countedBy('2026-12-08', now)).toBe(now.toISOString());
  });
});
