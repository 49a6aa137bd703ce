import { describe, expect, it } from 'vitest';
import { distanceMetres, formatDistance } from './geo.ts';

const utrecht = { lat: 52.0907, lon: 5.1214 };
const amersfoort = { lat: 52.1561, lon: 5.3878 };
const zeist = { lat: 52.0894, lon: 5.2331 };

describe('distanceMetres', () => {
  it('is zero for the same place and the same both ways', () => {
    expect(distanceMetres(utrecht, utrecht)).toBe(0);
    expect(distanceMetres(utrecht, amersfoort)).toBe(distanceMetres(amersfoort, utrecht));
  });

  it('matches known distances between Dutch towns within half a percent', () => {
    // Reference values from the Vincenty formula on WGS 84.
    expect(distanceMetres(utrecht, amersfoort)).toBeGreaterThan(19_540 * 0.995);
    expect(distanceMetres(utrecht, amersfoort)).toBeLessThan(19_540 * 1.005);
    expect(distanceMetres(utrecht, zeist)).toBeGreaterThan(7_640 * 0.995);
    expect(distanceMetres(utrecht, zeist)).toBeLessThan(7_640 * 1.005);
  });

  it('measures one degree of latitude as about 111 km', () => {
    const d = distanceMetres({ lat: 52, lon: 5 }, { lat: 53, lon: 5 });
    expect(Math.abs(d - 111_195)).toBeLessThan(50);
  });

  it('refuses what is not a place on earth', () => {
    expect(() => distanceMetres({ lat: 91, lon: 0 }, utrecht)).toThrow(RangeError);
    expect(() => distanceMetres({ lat: Number.NaN, lon: 0 }, utrecht)).toThrow(RangeError);
    expect(() => distanceMetres(utrecht, { lat: 0, lon: 181 })).toThrow(RangeError);
  });
});

describe('formatDistance', () => {
  it('says metres below a kilometre, one decimal below ten, whole kilometres above', () => {
    expect(formatDistance(0)).toBe('0 m');
    expect(formatDistance(834)).toBe('830 m');
    expect(formatDistance(4_240)).toBe('4.2 km');
    expect(formatDistance(19_540)).toBe('20 km');
    expect(formatDistance(4_240, 'nl')).toBe('4,2 km');
  });

  it('refuses negative or fractional metres', () => {
    expect(() => formatDistance(-1)).toThrow(RangeError);
    expect(() => formatDistance(1.5)).toThrow(RangeError);
  });
});
