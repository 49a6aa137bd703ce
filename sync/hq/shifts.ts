import { formatCents } from '../../src/money.ts';
import type { OrderEvent } from '../../src/order.ts';
import type { CompletedReturn } from '../../src/returns.ts';
import type { CompletedSale } from '../../src/sale.ts';
import { type ShiftClosed, type ShiftEvent, type ShiftOpened, checkZReport } from '../../src/shift.ts';
import type { HoldingsOrderException } from '../protocol/holdings.ts';
import type { ShiftEventDoc } from '../protocol/index.ts';
import type { ZReportEntry } from '../protocol/z-reports.ts';
import type { OrderExceptionsEntry } from './orders.ts';

/**
 * Shifts at HQ: the pieces that need no database. HQ stores every shift event a register pushes
 * (`shift_events`), raises a `cash_difference` alert for a shift closed with a difference, and
 * lists a store's Z reports with its own check of each against the records it holds. store.ts
 * does the SQL.
 */

/** jsonb arrives parsed from both backends; a text value (a cast somewhere) is parsed here. */
export function jsonBody<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** The record as the domain takes it: without RxDB's `_deleted`. */
function plain<T>(doc: T & { _deleted?: boolean }): T {
  const { _deleted: _ignored, ...rest } = doc;
  return rest as T;
}

export interface CashDifferenceAlert {
  kind: 'cash_difference';
  recordId: string;
  body: unknown;
  message: string;
}

/** A shift closed with counted ≠ expected: an alert for a manager with the amount (negative: short). */
export function cashDifferenceAlert(closed: ShiftClosed): CashDifferenceAlert | null {
  if (closed.differenceCents === 0) return null;
  const how = closed.differenceCents < 0 ? 'short' : 'over';
  return {
    kind: 'cash_difference',
    recordId: closed.id,
    body: {
      shiftNo: closed.shiftNo,
      closedId: closed.id,
      storeId: closed.storeId,
      registerId: closed.registerId,
      amountCents: closed.differenceCents,
      countedCents: closed.countedCents,
      expectedCents: closed.expectedCents,
      operatorId: closed.operatorId,
      closedAt: closed.createdAt,
    },
    message:
      `shift ${closed.shiftNo} at ${closed.storeId}-${closed.registerId} closed ${formatCents(Math.abs(closed.differenceCents))} ${how}: ` +
      `counted ${formatCents(closed.countedCents)}, expected ${formatCents(closed.expectedCents)} (closed by ${closed.operatorId})`,
  };
}

/** What HQ holds of a register in a shift's ranges, as stored (bodies with `_deleted`). */
export interface HeldRecords {
  sales: (CompletedSale & { _deleted?: boolean })[];
  orderEvents: (OrderEvent & { _deleted?: boolean })[];
  returns: (CompletedReturn & { _deleted?: boolean })[];
  cashMoves: ShiftEventDoc[];
}

/** A closed shift as the Z-report listing shows it, with HQ's check (the opening missing: incomplete). */
export function zReportEntry(closedDoc: ShiftEventDoc, openedDoc: ShiftEventDoc | null, held: HeldRecords | null, receivedAt: string): ZReportEntry {
  const closed = plain(closedDoc) as ShiftClosed;
  const opened = openedDoc && openedDoc.type === 'opened' ? (plain(openedDoc) as ShiftOpened) : null;
  const check =
    opened && held
      ? checkZReport(closed, opened, {
          sales: held.sales.map(plain),
          orderEvents: held.orderEvents.map(plain),
          returns: held.returns.map(plain),
          shiftEvents: held.cashMoves.map((d) => plain(d) as ShiftEvent),
        })
      : { status: 'incomplete' as const, missing: 1, differences: [] };
  return {
    shiftNo: closed.shiftNo,
    closedId: closed.id,
    storeId: closed.storeId,
    registerId: closed.registerId,
    openedAt: opened?.createdAt ?? closed.report.openedAt,
    closedAt: closed.createdAt,
    openedBy: opened?.operatorId ?? null,
    operator: closed.operatorId,
    floatCents: opened?.floatCents ?? closed.report.floatCents,
    countedCents: closed.countedCents,
    expectedCents: closed.expectedCents,
    differenceCents: closed.differenceCents,
    counted: closed.counted,
    report: closed.report,
    receivedAt,
    check,
  };
}

/**
 * The money an alert is about, as the holdings show it (see HoldingsAlert.amountCents), from the
 * fields its body has: SQL that store.ts selects beside the alert.
 */
export const ALERT_AMOUNT_SQL = `CASE kind
    WHEN 'cash_difference' THEN (body->>'amountCents')::bigint
    WHEN 'double_return' THEN -(body->>'excessCents')::bigint
    WHEN 'return_review' THEN -(body->>'totalCents')::bigint
    ELSE NULL END`;

/** The exceptions of orders a store replicates, one row each, newest order first. */
export function holdingsExceptions(entries: readonly OrderExceptionsEntry[]): HoldingsOrderException[] {
  return entries.flatMap((o) =>
    o.exceptions.map((x) => ({
      orderNo: o.id,
      orderStatus: o.status,
      kind: x.kind,
      lineNo: x.lineNo,
      eventId: x.eventId,
      storeId: x.storeId,
      amountCents: x.amountCents,
      message: x.message,
    })),
  );
}
