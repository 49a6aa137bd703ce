import { useState } from 'react';
import { parseCents } from '../../../src/money.ts';
import { type LineState, type OrderSettings, type OrderState, cancellation, lineValue } from '../../../src/order.ts';
import { roundCash } from '../../../src/rounding.ts';
import type { TenderInput } from '../../../src/sale.ts';
import type { OrderView } from '../../../sync/client/index.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { TenderForm } from '../../components/TenderForm.tsx';
import { errorText } from '../../errors.ts';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { operatorId, useSession } from '../../state.ts';
import { type Places, placeName } from './places.ts';


function linesOf(state: OrderState, lineNos: readonly number[]): LineState[] {
  return state.lines.filter((l) => lineNos.includes(l.lineNo));
}

/** The buttons that choose how to pay (F8 cash, F9 card), or one that needs no payment. */
function PayChoice({ amountCents, nothingLabel, disabled, onChoose }: { amountCents: number; nothingLabel: string; disabled: boolean; onChoose(kind: 'cash' | 'card' | 'none'): void }) {
  return amountCents === 0 ? (
    <button type="button" className="primary" disabled={disabled} onClick={() => onChoose('none')}>
      {nothingLabel} <kbd>F8</kbd>
    </button>
  ) : (
    <>
      <button type="button" className="primary" disabled={disabled} onClick={() => onChoose('cash')}>
        {t.payCash} <kbd>F8</kbd>
      </button>
      <button type="button" className="primary" disabled={disabled} onClick={() => onChoose('card')}>
        {t.payCard} <kbd>F9</kbd>
      </button>
    </>
  );
}

/** Hand out open pick-up lines: the balance of each is due now (cash, card, or nothing). */
export function HandOutDialog({
  state,
  lineNos,
  places,
  onDone,
  onClose,
}: {
  state: OrderState;
  lineNos: number[];
  places: Places;
  onDone(view: OrderView): void;
  onClose(): void;
}) {
  const client = useSession((s) => s.client);
  const here = client?.identity.storeId ?? '';
  const [stage, setStage] = useState<'review' | 'cash' | 'card'>('review');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lines = linesOf(state, lineNos);
  const balance = lines.reduce((s, l) => s + lineValue(l) - l.heldCents, 0);

  const handOut = async (tenders: TenderInput[]): Promise<void> => {
    if (!client || busy) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await client.pickUpOrder(state.orderNo, lineNos, tenders, operatorId()));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const choose = (kind: 'cash' | 'card' | 'none'): void => {
    if (kind === 'none') void handOut([]);
    else setStage(kind);
  };

  return (
    <Dialog
      label={t.handOutTitle}
      wide
      onClose={() => (stage === 'review' ? onClose() : setStage('review'))}
      keys={stage === 'review' ? { F8: () => choose(balance === 0 ? 'none' : 'cash'), F9: () => balance > 0 && choose('card') } : {}}
    >
      {stage === 'review' ? (
        <>
          <h2>
            {t.handOutTitle}: {state.orderNo}
          </h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.product}</th>
                <th scope="col" className="num">
                  {t.value}
                </th>
                <th scope="col" className="num">
                  {t.heldBefore}
                </th>
                <th scope="col" className="num">
                  {t.balanceDue}
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.lineNo}>
                  <td>
                    {l.quantity} × {l.name}
                    {l.fulfilment.mode === 'pickup' && l.fulfilment.storeId !== here && (
                      <div className="warn">{t.notForHere(placeName(places, l.fulfilment.storeId))}</div>
                    )}
                  </td>
                  <td className="num">{euro(lineValue(l))}</td>
                  <td className="num">{euro(l.heldCents)}</td>
                  <td className="num">{euro(lineValue(l) - l.heldCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="big">
            {t.balanceDue}: <strong data-testid="handout-balance">{euro(balance)}</strong>
          </p>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t.cancel} <kbd>Esc</kbd>
            </button>
            <PayChoice amountCents={balance} nothingLabel={t.handOutConfirm} disabled={busy} onChoose={choose} />
          </div>
        </>
      ) : (
        <TenderForm
          kind={stage}
          amountCents={balance}
          title={t.handOutPay(stage === 'cash' ? t.payCash : t.payCard)}
          submitLabel={t.handOut}
          busy={busy}
          error={error}
          focusConfirm
          onPay={(tenders) => void handOut(tenders)}
          onCancel={() => setStage('review')}
        />
      )}
    </Dialog>
  );
}

/** Cancel open pick-up or ship lines: per line what it held less the chain's charge is refunded. */
export function CancelDialog({
  state,
  lineNos,
  settings,
  onDone,
  onClose,
}: {
  state: OrderState;
  lineNos: number[];
  settings: OrderSettings;
  onDone(view: OrderView, message: string): void;
  onClose(): void;
}) {
  const client = useSession((s) => s.client);
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<'cash' | 'card'>('cash');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  let rows: ReturnType<typeof cancellation> = [];
  let problem: string | null = null;
  try {
    rows = cancellation(state, lineNos, settings);
  } catch (e) {
    problem = errorText(e);
  }
  const refund = rows.reduce((s, r) => s + r.refundCents, 0);
  const paidOut = method === 'cash' ? roundCash(refund) : refund;
  const ready = !problem && reason.trim() !== '' && !busy;

  const submit = async (): Promise<void> => {
    if (!client || !ready) return;
    setBusy(true);
    setError(null);
    try {
      const view = await client.cancelOrder(state.orderNo, lineNos, method, reason.trim(), operatorId());
      const how = refund === 0 ? euro(0) : `${euro(paidOut)} ${method === 'cash' ? t.cash.toLowerCase() : t.card.toLowerCase()}`;
      onDone(view, t.cancelledMessage(t.linesWord(lineNos), how));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog label={t.cancelTitle} wide onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>
          {t.cancelTitle}: {state.orderNo}
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.product}</th>
              <th scope="col" className="num">
                {t.held}
              </th>
              <th scope="col" className="num">
                {t.charge}
              </th>
              <th scope="col" className="num">
                {t.refund}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const l = state.lines.find((x) => x.lineNo === r.lineNo)!;
              return (
                <tr key={r.lineNo} data-testid={`cancel-line-${r.lineNo}`}>
                  <td>
                    {l.quantity} × {l.name}
                  </td>
                  <td className="num">{euro(l.heldCents)}</td>
                  <td className="num">{euro(r.chargeCents)}</td>
                  <td className="num">{euro(r.refundCents)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="big">
          {t.totalRefund}: <strong data-testid="cancel-refund">{euro(refund)}</strong>
        </p>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <Field label={t.reason}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" autoFocus />
        </Field>
        {refund > 0 && (
          <fieldset className="scope">
            <legend>{t.refundMethod}</legend>
            {(['cash', 'card'] as const).map((m) => (
              <label key={m}>
                <input type="radio" name="refund-method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                {m === 'cash' ? t.cash : t.card}
              </label>
            ))}
          </fieldset>
        )}
        {refund > 0 && method === 'cash' && <p>{t.paidOutCash(euro(paidOut))}</p>}
        {!reason.trim() && <p className="muted">{t.needReason}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t.keepLines} <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary danger" disabled={!ready}>
            {t.confirmCancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A further deposit, spread over the open pick-up lines by what each still needs. */
export function DepositDialog({ state, onDone, onClose }: { state: OrderState; onDone(view: OrderView, message: string): void; onClose(): void }) {
  const client = useSession((s) => s.client);
  const [text, setText] = useState('');
  const [stage, setStage] = useState<'amount' | 'cash' | 'card'>('amount');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const max = state.lines
    .filter((l) => l.status === 'open' && l.fulfilment.mode === 'pickup')
    .reduce((s, l) => s + lineValue(l) - l.heldCents, 0);
  const amount = parseCents(text);
  const valid = amount !== null && amount > 0 && amount <= max;

  const pay = async (tenders: TenderInput[]): Promise<void> => {
    if (!client || !valid || amount === null) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await client.addDeposit(state.orderNo, amount, tenders, operatorId()), t.depositMessage(euro(amount)));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const choose = (kind: 'cash' | 'card'): void => {
    if (valid) setStage(kind);
  };

  return (
    <Dialog
      label={t.depositTitle}
      onClose={() => (stage === 'amount' ? onClose() : setStage('amount'))}
      keys={stage === 'amount' ? { F8: () => choose('cash'), F9: () => choose('card') } : {}}
    >
      {stage === 'amount' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            choose('cash');
          }}
        >
          <h2>
            {t.depositTitle}: {state.orderNo}
          </h2>
          <p>
            {t.stillToPay}: <strong>{euro(max)}</strong>
          </p>
          <Field label={t.depositAmount}>
            <input value={text} onChange={(e) => setText(e.target.value)} inputMode="decimal" autoComplete="off" autoFocus />
          </Field>
          {text.trim() !== '' && !valid && (
            <p className="error">{amount === null ? t.depositNotAmount : t.depositTooHigh(euro(max))}</p>
          )}
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t.cancel} <kbd>Esc</kbd>
            </button>
            <PayChoice amountCents={1} nothingLabel="" disabled={!valid} onChoose={(k) => k !== 'none' && choose(k)} />
          </div>
        </form>
      ) : (
        <TenderForm
          kind={stage}
          amountCents={amount ?? 0}
          title={`${t.depositTitle}: ${stage === 'cash' ? t.payCash : t.payCard}`}
          submitLabel={t.addDeposit}
          busy={busy}
          error={error}
          focusConfirm
          onPay={(tenders) => void pay(tenders)}
          onCancel={() => setStage('amount')}
        />
      )}
    </Dialog>
  );
}
