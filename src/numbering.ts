/**
 * Receipt and order numbers that are unique without asking HQ, and readable aloud:
 * store id, register id and a per-register sequence, e.g. "1001-02-000042".
 *
 * Sales use one sequence per register, so two receipts of one register never share a number
 * (and the sales chain has no gaps but those a crash leaves). Order events use a second
 * sequence of their own, written with a prefix (EVT-…, ORD-…, src/order.ts), so the two can
 * never be confused. Each sequence is reserved (persisted) before the record is written: a crash
 * in between leaves a gap, never a duplicate. After a reinstall, enrolment returns the highest
 * sequences HQ has seen from the register, and the register continues above it.
 */
export const SEQ_DIGITS = 6;

const ID_PATTERN = /^[A-Z0-9]{1,8}$/;

export function isLocationId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function formatDocumentNumber(storeId: string, registerId: string, seq: number): string {
  if (!isLocationId(storeId)) throw new RangeError(`bad store id ${JSON.stringify(storeId)}`);
  if (!isLocationId(registerId)) throw new RangeError(`bad register id ${JSON.stringify(registerId)}`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer, got ${seq}`);
  return `${storeId}-${registerId}-${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

export interface DocumentNumber {
  storeId: string;
  registerId: string;
  seq: number;
}

export function parseDocumentNumber(text: string): DocumentNumber | null {
  const m = /^([A-Z0-9]{1,8})-([A-Z0-9]{1,8})-(\d{6,16})$/.exec(text.trim().toUpperCase());
  if (!m) return null;
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  return { storeId: m[1]!, registerId: m[2]!, seq };
}

/** The next sequence: above everything this register has used locally and everything HQ has seen. */
export function nextSequence(localLast: number, hqLast: number): number {
  return Math.max(localLast, hqLast, 0) + 1;
}
