/** Places on the map, for "how far is that store": WGS 84 degrees. */
export interface Coordinates {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/**
 * Great-circle distance in whole metres (haversine), as the crow flies. Good to a few tenths
 * of a percent, which is all "12 km away" needs.
 */
export function distanceMetres(a: Coordinates, b: Coordinates): number {
  for (const p of [a, b]) {
    if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon) || Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) {
      throw new RangeError(`not a place on earth: ${p.lat}, ${p.lon}`);
    }
  }
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h))));
}

/** "800 m", "4.2 km", "37 km": metres below 1 km, one decimal below 10 km, whole km above. */
export function formatDistance(metres: number, locale = 'en'): string {
  if (!Number.isInteger(metres) || metres < 0) throw new RangeError(`distance must be whole metres ≥ 0, got ${metres}`);
  if (metres < 1000) return `${Math.round(metres / 10) * 10} m`;
  const km = metres / 1000;
  const digits = km < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(km)} km`;
}
