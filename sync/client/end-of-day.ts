import { PUSH_COLLECTIONS, type PushCollection } from '../protocol/docs.ts';
import type { CollectionHolding, HoldingsResponse } from '../protocol/holdings.ts';
import type { DayDone, EndOfDayCheck, EndOfDayProgress, RegisterClient } from './api.ts';
import type { RegisterDatabase } from './database.ts';
import type { HqHttp } from './http.ts';

/**
 * The manager's end of day: push everything, pull everything, then ask HQ what it holds of this
 * register and compare it with what the register made — per pushed collection, the number of
 * records and the highest sequence. The day can be marked done only when HQ confirms every
 * record (apart from those HQ refused, which are listed with HQ's reason) and no shift is open.
 */

export interface EndOfDayDeps {
  db: RegisterDatabase;
  storeId: string;
  registerId: string;
  http: HqHttp;
  now: () => Date;
  syncNow: () => Promise<void>;
  /** Whether HQ answered the register's last request. */
  online: () => boolean;
  shiftOpen: () => Promise<boolean>;
}

const DAY_DONE = 'dayDone';
const TICK_MS = 250;
/** HQ unreachable this long during the end-of-day sync: stop waiting, the checklist says so. */
export const OFFLINE_GIVE_UP_MS = 5000;

export type EndOfDayMethods = Pick<RegisterClient, 'endOfDay' | 'markDayDone' | 'lastDayDone'>;

/** Pure: the checklist from what the register holds and what HQ answered. */
export function compareHoldings(
  local: Record<PushCollection, CollectionHolding>,
  refused: EndOfDayCheck['refused'],
  hq: HoldingsResponse | null,
  hqError: string | null,
  shiftOpen: boolean,
  at: string,
): EndOfDayCheck {
  const refusedBy = (kind: PushCollection, status?: 'refused') => refused.filter((r) => r.kind === kind && (!status || r.status === status)).length;
  const collections = PUSH_COLLECTIONS.map((kind) => {
    const mine = local[kind];
    const theirs = hq?.collections[kind] ?? null;
    // What HQ must hold: every record made here except those it refused (they never go in). A
    // conflict's number is held at HQ (by the other body), so it counts as held, and as not
    // taken from here: the refused column shows it, as the list below the table does.
    const expected = mine.count - refusedBy(kind, 'refused');
    const unsent = theirs ? Math.max(0, expected - theirs.count) : null;
    return { kind, local: mine, hq: theirs, refused: refusedBy(kind), unsent, confirmed: theirs !== null && unsent === 0 };
  });
  const unsent = collections.reduce((n, c) => n + (c.unsent ?? 0), 0);
  const blockers: EndOfDayCheck['blockers'] = [];
  if (!hq) blockers.push('hqUnreachable');
  if (unsent > 0) blockers.push('unsent');
  if (shiftOpen) blockers.push('shiftOpen');
  return {
    at,
    hqAt: hq?.at ?? null,
    hqError,
    collections,
    unsent,
    refused,
    alerts: hq?.alerts ?? [],
    openAlerts: hq?.openAlerts ?? 0,
    orderExceptions: hq?.orderExceptions ?? [],
    shiftOpen,
    blockers,
  };
}

export function createEndOfDayMethods(deps: EndOfDayDeps): EndOfDayMethods {
  const { db, storeId, registerId, http, now } = deps;

  /** What this register made, per pushed collection: its own records and their highest sequence. */
  const localHoldings = async (): Promise<Record<PushCollection, CollectionHolding>> => {
    const own = { storeId: { $eq: storeId }, registerId: { $eq: registerId } };
    const of = async (docs: { seq: number }[]): Promise<CollectionHolding> => ({ count: docs.length, lastSeq: docs.reduce((m, d) => Math.max(m, d.seq), 0) });
    // The replica keeps every sale the register made: counted, and the last found through the
    // seq index, rather than read whole (a year of sales is 100,000s). The other collections
    // hold a few records a day.
    const [salesCount, lastSale] = await Promise.all([db.sales.count().exec(), db.sales.findOne({ selector: {}, sort: [{ seq: 'desc' }] }).exec()]);
    return {
      sales: { count: salesCount, lastSeq: lastSale?.seq ?? 0 },
      orderEvents: await of((await db.orderEvents.find().exec()).map((d) => ({ seq: d.seq }))),
      returns: await of((await db.returns.find({ selector: own as never }).exec()).map((d) => ({ seq: d.seq }))),
      shiftEvents: await of((await db.shiftEvents.find().exec()).map((d) => ({ seq: d.seq }))),
    };
  };

  const refusedRecords = async (): Promise<EndOfDayCheck['refused']> =>
    (await db.acks.find({ selector: { status: { $in: ['refused', 'conflict'] } } }).exec())
      .map((d) => d.toJSON())
      .map((a) => ({ id: a.id, kind: a.kind, status: a.status as 'refused' | 'conflict', message: a.message, at: a.at }));

  const check = async (): Promise<EndOfDayCheck> => {
    let hq: HoldingsResponse | null = null;
    let hqError: string | null = null;
    try {
      hq = await http.get<HoldingsResponse>('/api/registers/me/holdings');
    } catch (e) {
      hqError = (e as Error).message;
    }
    return compareHoldings(await localHoldings(), await refusedRecords(), hq, hqError, await deps.shiftOpen(), now().toISOString());
  };

  return {
    async endOfDay(onProgress?: (p: EndOfDayProgress) => void): Promise<EndOfDayCheck> {
      const local = await localHoldings();
      const total = Object.values(local).reduce((n, c) => n + c.count, 0);
      const acked = async () => db.acks.count().exec();
      onProgress?.({ phase: 'sending', done: Math.min(total, await acked()), total });
      // Report progress while the push and pull run. They wait for HQ as long as it takes; while
      // HQ stays unreachable for OFFLINE_GIVE_UP_MS the screen stops waiting and says so.
      let running = true;
      const ticker = (async () => {
        let offlineFor = 0;
        while (running) {
          await new Promise((r) => setTimeout(r, TICK_MS));
          if (!running) return;
          onProgress?.({ phase: 'sending', done: Math.min(total, await acked()), total });
          offlineFor = deps.online() ? 0 : offlineFor + TICK_MS;
          if (offlineFor >= OFFLINE_GIVE_UP_MS) return;
        }
      })();
      try {
        await Promise.race([deps.syncNow(), ticker]);
      } catch {
        // HQ unreachable: the check says so.
      } finally {
        running = false;
        await ticker;
      }
      onProgress?.({ phase: 'checking', done: Math.min(total, await acked()), total });
      const result = await check();
      onProgress?.({ phase: 'done', done: Math.min(total, await acked()), total });
      return result;
    },

    async markDayDone(operatorId: string): Promise<DayDone> {
      // Checked again now: nothing may have been made since the checklist was shown.
      const result = await check();
      if (result.blockers.length) throw new DayNotDoneError(result);
      const done: DayDone = {
        at: now().toISOString(),
        operatorId,
        counts: Object.fromEntries(result.collections.map((c) => [c.kind, c.local.count])) as Record<PushCollection, number>,
      };
      await db.upsertLocal<DayDone>(DAY_DONE, done);
      return done;
    },

    async lastDayDone(): Promise<DayDone | null> {
      return (await db.getLocal<DayDone>(DAY_DONE))?.toJSON().data ?? null;
    },
  };
}

export class DayNotDoneError extends Error {
  constructor(readonly check: EndOfDayCheck) {
    super(`The day cannot be marked done: ${check.blockers.join(', ')}`);
  }
}
