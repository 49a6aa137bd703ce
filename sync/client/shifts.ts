import type { Cents } from '../../src/money.ts';
import type { OrderEvent } from '../../src/order.ts';
import type { CompletedReturn } from '../../src/returns.ts';
import type { CompletedSale } from '../../src/sale.ts';
import {
  type CashCountLine,
  type CashInReason,
  type CashOutReason,
  type SequenceMarks,
  type ShiftClosed,
  type ShiftEvent,
  type ShiftOpened,
  type ShiftRecords,
  closeShift,
  currentShift,
  moveCash,
  openShift,
  shiftReport,
} from '../../src/shift.ts';
import { verifyPin } from '../protocol/pin.ts';
import type { OperatorSession, RegisterClient, ShiftView } from './api.ts';
import type { RegisterDatabase } from './database.ts';
import { RegisterError } from './errors.ts';
import type { OrderSequence } from './orders.ts';

/**
 * Operators and shifts at the register. Sign-in checks an operator's PIN against the replica
 * (offline too), with attempts limited per operator; a shift is the cash drawer from its float to
 * its count, recorded as immutable shift events (src/shift.ts) pushed like sales.
 */

export class SignInError extends Error {
  constructor(
    message: string,
    /** Set when the operator is locked out for a while after wrong PINs. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Wrong PINs allowed in a row before an operator id is locked out for a while. */
export const PIN_ATTEMPTS = 5;
/** The first lock-out; each further one doubles, up to 15 minutes. */
export const PIN_LOCKOUT_MS = 30_000;
const PIN_LOCKOUT_MAX_MS = 15 * 60_000;

/** Wrong PINs of one operator id: the run so far, how often it was locked out, until when. */
export interface PinAttemptState {
  failures: number;
  lockouts: number;
  lockedUntil: number;
}

/**
 * Wrong PIN attempts per operator id at this register. Kept in the replica too (`persist`), so
 * reloading the page does not lift a lock-out: guessing a 4-digit PIN at 5 tries per 30 s,
 * doubling, takes days.
 */
export class PinAttempts {
  private readonly state: Map<string, PinAttemptState>;

  constructor(
    private readonly now: () => number,
    initial: Record<string, PinAttemptState> = {},
    private readonly persist: (state: Record<string, PinAttemptState>) => Promise<void> = async () => undefined,
  ) {
    this.state = new Map(Object.entries(initial));
  }

  private save(): Promise<void> {
    return this.persist(Object.fromEntries(this.state));
  }

  /** Throws while the operator id is locked out. */
  check(operatorId: string): void {
    const s = this.state.get(operatorId);
    if (s && s.lockedUntil > this.now()) {
      const ms = s.lockedUntil - this.now();
      throw new SignInError(`Too many wrong PINs for ${operatorId}: try again in ${Math.ceil(ms / 1000)} s`, ms);
    }
  }

  failed(operatorId: string): Promise<void> {
    const s = this.state.get(operatorId) ?? { failures: 0, lockouts: 0, lockedUntil: 0 };
    s.failures += 1;
    if (s.failures >= PIN_ATTEMPTS) {
      s.lockedUntil = this.now() + Math.min(PIN_LOCKOUT_MS * 2 ** s.lockouts, PIN_LOCKOUT_MAX_MS);
      s.lockouts += 1;
      s.failures = 0;
    }
    this.state.set(operatorId, s);
    return this.save();
  }

  succeeded(operatorId: string): Promise<void> {
    if (!this.state.delete(operatorId)) return Promise.resolve();
    return this.save();
  }
}

export interface ShiftDeps {
  db: RegisterDatabase;
  storeId: string;
  registerId: string;
  now: () => Date;
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  sequence: OrderSequence;
  /** The register's sequences reached now (sales, order events, returns). */
  marks: () => SequenceMarks;
  attempts: PinAttempts;
}

export type ShiftMethods = Pick<RegisterClient, 'signIn' | 'shift' | 'openShift' | 'moveCash' | 'closeShift' | 'closedShifts'>;

/** Whether a shift is open at this register, without building its X report (the end-of-day check). */
export type ShiftOpen = () => Promise<boolean>;

const plain = <T>(doc: { toJSON(): unknown }): T => {
  const { _deleted: _d, ...rest } = doc.toJSON() as T & { _deleted?: boolean };
  return rest as T;
};

export function createShiftMethods(deps: ShiftDeps): { methods: ShiftMethods; shiftOpen: ShiftOpen } {
  const { db, storeId, registerId, now, serial, sequence, attempts } = deps;

  const ownEvents = async (): Promise<ShiftEvent[]> => (await db.shiftEvents.find().exec()).map((d) => plain<ShiftEvent>(d));

  /** This register's records numbered above the shift's opening marks. */
  const recordsSince = async (opened: ShiftOpened, events: ShiftEvent[]): Promise<ShiftRecords> => {
    const m = opened.marks;
    const [sales, orderEvents, returns] = await Promise.all([
      db.sales.find({ selector: { seq: { $gt: m.sales } } }).exec(),
      db.orderEvents.find({ selector: { seq: { $gt: m.orderEvents } } }).exec(),
      db.returns.find({ selector: { storeId: { $eq: storeId }, registerId: { $eq: registerId }, seq: { $gt: m.returns } } }).exec(),
    ]);
    return {
      sales: sales.map((d) => plain<CompletedSale>(d)),
      orderEvents: orderEvents.map((d) => plain<OrderEvent>(d)),
      returns: returns.map((d) => plain<CompletedReturn>(d)),
      shiftEvents: events,
    };
  };

  const view = async (): Promise<ShiftView | null> => {
    const current = currentShift(await ownEvents());
    if (!current) return null;
    const records = await recordsSince(current.opened, current.events);
    return { opened: current.opened, events: current.events.sort((a, b) => a.seq - b.seq), report: shiftReport(current.opened, records, now().toISOString()) };
  };

  /**
   * In the register's write queue (after every sale being written): reads the open shift, numbers
   * the next shift event, builds it, and writes it in one local write.
   */
  const write = <T extends ShiftEvent>(
    build: (current: ReturnType<typeof currentShift>, ctx: { storeId: string; registerId: string; seq: number; createdAt: string; operatorId: string }) => Promise<T> | T,
    operatorId: string,
  ): Promise<T> =>
    serial(async () => {
      const current = currentShift(await ownEvents());
      const seq = sequence.next();
      const event = await build(current, { storeId, registerId, seq, createdAt: now().toISOString(), operatorId });
      await sequence.reserve(seq);
      await db.shiftEvents.insert(event as never);
      return event;
    });

  const methods: ShiftMethods = {
    async signIn(operatorId: string, pin: string): Promise<OperatorSession> {
      const id = operatorId.trim();
      attempts.check(id);
      const doc = id ? await db.operators.findOne(id).exec() : null;
      const op = doc?.toMutableJSON();
      const here = op && (op.storeId === null || op.storeId === undefined || op.storeId === storeId);
      // The same answer for an unknown id and a wrong PIN: neither tells a guesser which it was.
      if (!op || !here || !(await verifyPin(pin, { pinHash: op.pinHash, pinSalt: op.pinSalt, pinIterations: op.pinIterations }))) {
        await attempts.failed(id);
        attempts.check(id);
        throw new SignInError('Operator id or PIN is wrong');
      }
      await attempts.succeeded(id);
      return { operatorId: op.id, name: op.name, role: op.role, signedInAt: now().toISOString() };
    },

    shift: view,

    async openShift(floatCents: Cents, operatorId: string): Promise<ShiftView> {
      await write((current, ctx) => {
        if (current) throw new RegisterError('shift_already_open', '', 'A shift is open at this register already');
        return openShift(floatCents, deps.marks(), ctx);
      }, operatorId);
      return (await view())!;
    },

    async moveCash(move: { direction: 'in' | 'out'; amountCents: Cents; reason: CashInReason | CashOutReason; note: string }, operatorId: string): Promise<ShiftView> {
      await write((current, ctx) => {
        if (!current) throw new RegisterError('no_shift_open', '', 'Open a shift first');
        return moveCash(current.opened, move, ctx);
      }, operatorId);
      return (await view())!;
    },

    closeShift(counted: readonly CashCountLine[], operatorId: string): Promise<ShiftClosed> {
      // In the write queue, after every sale being written, so the closing marks include the last one.
      return write(async (current, ctx) => {
        if (!current) throw new RegisterError('no_shift_open', '', 'No shift is open at this register');
        return closeShift(current.opened, await recordsSince(current.opened, current.events), deps.marks(), counted, ctx);
      }, operatorId);
    },

    async closedShifts(limit = 10): Promise<ShiftClosed[]> {
      const docs = await db.shiftEvents.find({ selector: { type: { $eq: 'closed' } } }).exec();
      return docs
        .map((d) => plain<ShiftClosed>(d))
        .sort((a, b) => b.seq - a.seq)
        .slice(0, limit);
    },
  };
  const shiftOpen: ShiftOpen = async () => currentShift(await ownEvents()) !== null;
  return { methods, shiftOpen };
}
