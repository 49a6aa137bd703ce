import type { CashCountLine, ShiftReport } from '../../src/shift.ts';

/**
 * GET /api/stores/:storeId/z-reports?registerId=&limit= (admin token): the store's closed shifts,
 * newest first (HQ's arrival order), each with HQ's own check of its Z report: the report
 * recomputed from the sales, order events, returns and cash moves HQ holds of that register in
 * the shift's sequence ranges (src/shift.ts checkZReport).
 */

export interface ZReportCheck {
  /** matches: HQ's records give the same report; differs: they do not (see differences); incomplete: records of the shift have not reached HQ yet. */
  status: 'matches' | 'differs' | 'incomplete';
  /** Records of the shift HQ does not hold yet (the opening itself counts as one when it is missing). */
  missing: number;
  /** The parts of the report that differ from HQ's: tenders, vat, sales, returns, orders, outOfAssortment, overrides, voids (when the report has them: a register before them sent neither), cashMoves, records, floatCents, expectedCashCents. */
  differences: string[];
}

export interface ZReportEntry {
  /** The shift: its opening's id, SHF-<store>-<register>-<seq>. */
  shiftNo: string;
  /** The closing event's id. */
  closedId: string;
  storeId: string;
  registerId: string;
  /** The register's clock, for people (ISO). */
  openedAt: string;
  closedAt: string;
  /** Who opened the shift (null while HQ lacks the opening) and who closed it. */
  openedBy: string | null;
  operator: string;
  floatCents: number;
  countedCents: number;
  expectedCents: number;
  /** counted − expected: negative, the drawer was short. */
  differenceCents: number;
  counted: CashCountLine[];
  /** The Z report as the register made it. */
  report: ShiftReport;
  /** When HQ received the closing (ISO). */
  receivedAt: string;
  check: ZReportCheck;
}

export interface ZReportsResponse {
  zReports: ZReportEntry[];
}
