import { useEffect, useState } from 'react';
import { type LineState, type OrderEvent, type OrderSettings, type OrderState, lineValue } from '../../../src/order.ts';
import type { OrderView } from '../../../sync/client/index.ts';
import { errorText } from '../../errors.ts';
import { orderExceptionText } from '../../exception-text.ts';
import { dateTime, euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { useNav, useSession } from '../../state.ts';
import { CancelDialog, DepositDialog, HandOutDialog } from './OrderDialogs.tsx';
import { CustomerBlock } from './parts.tsx';
import { type Places, fulfilmentText, placeName, placeTown, usePlaces, when } from './places.ts';

function lineStatus(l: LineState, places: Places): string {
  if (l.status === 'open') {
    if (l.fulfilment.mode === 'pickup') return t.lineOpenPickup(placeName(places, l.fulfilment.storeId));
    if (l.fulfilment.mode === 'ship') return t.lineOpenShip(placeName(places, l.fulfilment.fromLocationId));
    return t.orderStatus.open;
  }
  const by = l.closedBy;
  if (l.status === 'cancelled') {
    return by ? `${t.lineCancelled} ${t.lineCancelledDetail(placeTown(places, by.storeId), when(by.createdAt), euro(l.chargeCents))}` : t.lineCancelled;
  }
  if (!by) return t.handedOutNow;
  if (by.type === 'shipped') return t.lineShipped(when(by.createdAt));
  if (by.type === 'created') return t.lineTaken(placeTown(places, by.storeId), when(by.createdAt));
  return t.linePickedUp(placeTown(places, by.storeId), when(by.createdAt));
}

function eventDetails(e: OrderEvent): string {
  switch (e.type) {
    case 'created':
      return `${t.lineCount(e.lines.length)}; ${t.paid.toLowerCase()} ${euro(e.payment?.dueCents ?? 0)}${e.override ? `; ${t.overrideNote(e.override.managerId, e.override.reason)}` : ''}`;
    case 'deposit':
      return `${euro(e.payment.dueCents)} (${t.linesWord(e.allocations.map((a) => a.lineNo))})`;
    case 'pickedUp':
      return `${t.linesWord(e.lines.map((l) => l.lineNo))}; ${t.paid.toLowerCase()} ${euro(e.payment?.dueCents ?? 0)}`;
    case 'shipped':
      return t.linesWord(e.lines.map((l) => l.lineNo));
    case 'cancelled':
      return `${t.linesWord(e.lines.map((l) => l.lineNo))}; ${t.refund.toLowerCase()} ${euro(e.refund?.amountCents ?? 0)}${e.refund ? ` (${(e.refund.method === 'cash' ? t.cash : t.card).toLowerCase()})` : ''}; ${t.reason.toLowerCase()}: ${e.reason}`;
  }
}

const canHandOut = (l: LineState): boolean => l.status === 'open' && l.fulfilment.mode === 'pickup';
const canCancel = (l: LineState): boolean => l.status === 'open' && (l.fulfilment.mode === 'pickup' || l.fulfilment.mode === 'ship');

/** One order: where it comes from, its lines and what happened to them, money, history, exceptions. */
export function OrderScreen({ orderNo, initial }: { orderNo: string; initial?: OrderView }) {
  const client = useSession((s) => s.client);
  const replicaVersion = useSession((s) => s.replicaVersion);
  // Our own events leave "not yet at HQ" when HQ confirms them: the pending count changes then.
  const pending = useSession((s) => s.status?.pending ?? 0);
  const go = useNav((s) => s.go);
  const [view, setView] = useState<OrderView | null>(initial ?? null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [settings, setSettings] = useState<OrderSettings | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [dialog, setDialog] = useState<null | 'handout' | 'cancel' | 'deposit'>(null);
  const [message, setMessage] = useState<string | null>(null);
  const places = usePlaces();

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.orderSettings().then((s) => live && setSettings(s), () => undefined);
    return () => {
      live = false;
    };
  }, [client]);

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.order(orderNo).then(
      (v) => {
        if (!live) return;
        setLoadError(null);
        setMissing(v === null);
        if (v) setView(v);
      },
      (e: unknown) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, orderNo, replicaVersion, pending]);

  const state: OrderState | null = view?.state ?? null;
  const open = state?.lines.filter((l) => l.status === 'open') ?? [];
  // Only lines still open stay selected (another register may have closed one meanwhile).
  const selected = picked.filter((n) => open.some((l) => l.lineNo === n));
  const chosen = open.filter((l) => selected.includes(l.lineNo));
  const usable = Boolean(state?.complete);
  const handOutOk = usable && chosen.length > 0 && chosen.every(canHandOut);
  const cancelOk = usable && chosen.length > 0 && chosen.every(canCancel) && settings !== null;
  const depositOk = usable && open.some((l) => canHandOut(l) && lineValue(l) > l.heldCents);

  const toggle = (lineNo: number): void =>
    setPicked((p) => (p.includes(lineNo) ? p.filter((n) => n !== lineNo) : [...p.filter((n) => open.some((l) => l.lineNo === n)), lineNo]));

  const after = (next: OrderView, text: string | null): void => {
    setView(next);
    setDialog(null);
    setPicked([]);
    setMessage(text);
  };

  useShortcuts({
    Escape: () => go({ name: 'orders' }),
    F8: () => handOutOk && setDialog('handout'),
    F4: () => cancelOk && setDialog('cancel'),
    F9: () => depositOk && setDialog('deposit'),
  });

  if (!state) {
    return (
      <main className="panel wide-panel">
        <div className="row heading">
          <h1 className="grow">{t.orderTitle(orderNo)}</h1>
          <button type="button" onClick={() => go({ name: 'orders' })} autoFocus>
            {t.backToOrders} <kbd>Esc</kbd>
          </button>
        </div>
        {loadError ? (
          <p role="alert" className="error">
            {loadError}
          </p>
        ) : missing ? (
          <p role="alert" className="error">
            {t.notAtHq(orderNo)}
          </p>
        ) : (
          <p className="muted">{t.loading}</p>
        )}
      </main>
    );
  }

  const hint = chosen.length === 0 ? t.selectHint : !chosen.every(canHandOut) ? t.handOutOnlyPickup : !chosen.every(canCancel) ? t.cancelOnlyOpen : null;
  const created = state.events.find((e) => e.type === 'created');

  return (
    <main className="panel wide-panel order-view" aria-label={t.orderTitle(state.orderNo)}>
      <div className="row heading">
        <h1 className="grow">
          {t.customerOrder}{' '}
          <span className="order-no" data-testid="order-number">
            {state.orderNo}
          </span>
        </h1>
        <button type="button" onClick={() => go({ name: 'orders' })}>
          {t.backToOrders} <kbd>Esc</kbd>
        </button>
      </div>
      <p className={`source ${view?.source === 'hq' ? 'from-hq' : ''}`} data-testid="order-source">
        {view?.source === 'hq' ? t.sourceHq : t.sourceReplica}
      </p>
      {loadError && <p className="warn">{loadError}</p>}
      {message && (
        <p role="status" className="ok-note">
          {message}
        </p>
      )}

      {state.exceptions.length > 0 && (
        <div role="alert" className="alert-box" data-testid="order-exceptions">
          <h2>{t.exceptions}</h2>
          <ul>
            {state.exceptions.map((x, i) => (
              <li key={`${x.eventId}-${x.lineNo}-${i}`}>
                {orderExceptionText(x)}
                {x.amountCents > 0 && <strong> — {t.owedToCustomer(euro(x.amountCents))}</strong>}
                {x.amountCents < 0 && <strong> — {t.short(euro(-x.amountCents))}</strong>}
              </li>
            ))}
          </ul>
        </div>
      )}

      {!state.complete && <p className="warn">{t.incomplete}</p>}

      <div className="order-head">
        <div>
          <h2>{t.customer}</h2>
          <CustomerBlock customer={state.customer} />
        </div>
        <div>
          <h2>{t.status}</h2>
          <p>
            <strong data-testid="order-status">{t.orderStatus[state.status]}</strong>
          </p>
          {state.complete && (
            <p className="muted">{t.createdAt(placeName(places, state.storeId), state.registerId, dateTime(state.createdAt), state.operatorId)}</p>
          )}
          {state.depositOverride && <p className="muted">{t.overrideNote(state.depositOverride.managerId, state.depositOverride.reason)}</p>}
        </div>
        <dl className="totals money">
          <div>
            <dt>{t.paid}</dt>
            <dd>{euro(state.paidCents)}</dd>
          </div>
          {state.refundedCents > 0 && (
            <div>
              <dt>{t.refunded}</dt>
              <dd>{euro(state.refundedCents)}</dd>
            </div>
          )}
          <div>
            <dt>{t.heldNow}</dt>
            <dd>{euro(state.heldCents)}</dd>
          </div>
          <div className="grand">
            <dt>{t.balanceDue}</dt>
            <dd data-testid="order-balance">{euro(state.balanceCents)}</dd>
          </div>
        </dl>
      </div>

      <section aria-labelledby="order-lines-h">
        <h2 id="order-lines-h">{t.lines}</h2>
        <table className="order-lines">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t.selectAll}
                  disabled={open.length === 0 || !usable}
                  checked={open.length > 0 && selected.length === open.length}
                  onChange={(e) => setPicked(e.target.checked ? open.map((l) => l.lineNo) : [])}
                />
              </th>
              <th scope="col">{t.line}</th>
              <th scope="col">{t.product}</th>
              <th scope="col">{t.fulfilment}</th>
              <th scope="col">{t.status}</th>
              <th scope="col" className="num">
                {t.value}
              </th>
              <th scope="col" className="num">
                {t.held}
              </th>
            </tr>
          </thead>
          <tbody>
            {state.lines.map((l) => (
              <tr key={l.lineNo} className={`line-${l.status}`} data-testid={`order-line-${l.lineNo}`}>
                <td>
                  {l.status === 'open' && (
                    <input
                      type="checkbox"
                      aria-label={t.selectLine(l.lineNo, l.name)}
                      checked={selected.includes(l.lineNo)}
                      disabled={!usable}
                      onChange={() => toggle(l.lineNo)}
                    />
                  )}
                </td>
                <td>{l.lineNo}</td>
                <td>
                  {l.quantity} × {l.name}
                </td>
                <td>{fulfilmentText(l.fulfilment, places, settings)}</td>
                <td data-testid={`line-status-${l.lineNo}`}>{lineStatus(l, places)}</td>
                <td className="num">{euro(lineValue(l))}</td>
                <td className="num">{euro(l.heldCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {hint && open.length > 0 && usable && <p className="muted">{hint}</p>}
        <div className="actions">
          <button type="button" className="primary" disabled={!handOutOk} onClick={() => setDialog('handout')}>
            {t.handOut} <kbd>F8</kbd>
          </button>
          <button type="button" disabled={!cancelOk} onClick={() => setDialog('cancel')}>
            {t.cancelLines} <kbd>F4</kbd>
          </button>
          <button type="button" disabled={!depositOk} onClick={() => setDialog('deposit')}>
            {t.addDeposit} <kbd>F9</kbd>
          </button>
        </div>
      </section>

      <section aria-labelledby="order-history-h">
        <h2 id="order-history-h">{t.history}</h2>
        <table className="history" data-testid="order-history">
          <thead>
            <tr>
              <th scope="col">{t.event}</th>
              <th scope="col">{t.store}</th>
              <th scope="col">{t.register}</th>
              <th scope="col">{t.operator}</th>
              <th scope="col">{t.time}</th>
              <th scope="col">{t.details}</th>
            </tr>
          </thead>
          <tbody>
            {state.events.map((e) => (
              <tr key={e.id} data-testid={`event-${e.id}`}>
                <td>
                  {t.eventType[e.type]}
                  {view?.pendingEventIds.includes(e.id) && <span className="badge">{t.notYetAtHq}</span>}
                </td>
                <td>{placeName(places, e.storeId)}</td>
                <td>{e.storeId === 'HQ' ? '—' : e.registerId}</td>
                <td>{e.operatorId}</td>
                <td>{dateTime(e.createdAt)}</td>
                <td>{eventDetails(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!created && <p className="muted">{t.incomplete}</p>}
      </section>

      {dialog === 'handout' && (
        <HandOutDialog
          state={state}
          lineNos={selected}
          places={places}
          onClose={() => setDialog(null)}
          onDone={(next) => {
            const before = new Set(state.events.map((e) => e.id));
            const event = next.state.events.find((e) => e.type === 'pickedUp' && !before.has(e.id));
            after(next, null);
            if (event) go({ name: 'pickupReceipt', view: next, eventId: event.id });
          }}
        />
      )}
      {dialog === 'cancel' && settings && (
        <CancelDialog state={state} lineNos={selected} settings={settings} onClose={() => setDialog(null)} onDone={(next, text) => after(next, text)} />
      )}
      {dialog === 'deposit' && <DepositDialog state={state} onClose={() => setDialog(null)} onDone={(next, text) => after(next, text)} />}
    </main>
  );
}
