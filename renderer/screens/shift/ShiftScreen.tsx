import { type FormEvent, useEffect, useState } from 'react';
import { parseCents } from '../../../src/money.ts';
import {
  CASH_IN_REASONS,
  CASH_OUT_REASONS,
  type CashCountLine,
  type CashInReason,
  type CashOutReason,
  DENOMINATIONS_CENTS,
  countedCents,
} from '../../../src/shift.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { PrintedDocument } from '../../components/PrintedDocument.tsx';
import { errorText } from '../../errors.ts';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { operatorId, useNav, useSession, useShift } from '../../state.ts';
import { ShiftReportView } from './ShiftReportView.tsx';

type Reason = CashInReason | CashOutReason;

/** Cash into or out of the drawer, with a reason (and a note for "other"). */
function CashMoveDialog({ direction, onClose }: { direction: 'in' | 'out'; onClose(): void }) {
  const client = useSession((s) => s.client);
  const setShift = useShift((s) => s.setShift);
  const reasons: readonly Reason[] = direction === 'in' ? CASH_IN_REASONS : CASH_OUT_REASONS;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<Reason>(reasons[0]!);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const cents = parseCents(amount);
  const label = direction === 'in' ? t.cashIn : t.cashOut;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!client || cents === null) return;
    try {
      setShift(await client.moveCash({ direction, amountCents: cents, reason, note }, operatorId()));
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Dialog label={label} onClose={onClose}>
      <h2>{label}</h2>
      <form onSubmit={(e) => void submit(e)} className="form">
        <Field label={t.amount}>
          <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" autoComplete="off" autoFocus required />
        </Field>
        <Field label={t.cashReason}>
          <select value={reason} onChange={(e) => setReason(e.target.value as Reason)}>
            {reasons.map((r) => (
              <option key={r} value={r}>
                {t.cashReasons[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.note} required={reason === 'other'}>
          <input value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
        </Field>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" className="primary" disabled={cents === null || cents <= 0 || (reason === 'other' && !note.trim())}>
            {label}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Closing: the cash counted per note and coin, against what the drawer should hold. */
function CloseShiftDialog({ expectedCents, onClose }: { expectedCents: number; onClose(): void }) {
  const client = useSession((s) => s.client);
  const setShift = useShift((s) => s.setShift);
  const go = useNav((s) => s.go);
  const [counts, setCounts] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lines: CashCountLine[] = DENOMINATIONS_CENTS.map((d) => ({ denominationCents: d, count: Number(counts[d] ?? '0') }));
  let counted: number | null;
  try {
    counted = lines.every((l) => /^\d*$/.test(counts[l.denominationCents] ?? '')) ? countedCents(lines) : null;
  } catch {
    counted = null;
  }

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!client || counted === null) return;
    setBusy(true);
    try {
      const closed = await client.closeShift(lines, operatorId());
      setShift(null);
      go({ name: 'zReport', closed });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog label={t.closeShift} onClose={onClose} wide>
      <h2>{t.closeShift}</h2>
      <p>{t.countIntro}</p>
      <form onSubmit={(e) => void submit(e)} className="form">
        <table className="cash-count">
          <thead>
            <tr>
              <th scope="col">{t.denomination}</th>
              <th scope="col">{t.count}</th>
              <th scope="col" className="num">{t.amount}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.denominationCents}>
                <th scope="row">{euro(l.denominationCents)}</th>
                <td>
                  <input
                    aria-label={t.countOf(euro(l.denominationCents))}
                    value={counts[l.denominationCents] ?? ''}
                    onChange={(e) => setCounts({ ...counts, [l.denominationCents]: e.target.value.trim() })}
                    inputMode="numeric"
                    autoComplete="off"
                    size={5}
                  />
                </td>
                <td className="num">{Number.isSafeInteger(l.count) ? euro(l.denominationCents * l.count) : '—'}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t.countedCash}
              </th>
              <td className="num" data-testid="counted-cash">
                {counted === null ? '—' : euro(counted)}
              </td>
            </tr>
            <tr>
              <th scope="row" colSpan={2}>
                {t.expectedCash}
              </th>
              <td className="num">{euro(expectedCents)}</td>
            </tr>
            <tr className="grand">
              <th scope="row" colSpan={2}>
                {t.difference}
              </th>
              <td className={`num${counted !== null && counted !== expectedCents ? ' error' : ''}`} data-testid="cash-difference">
                {counted === null ? '—' : `${euro(counted - expectedCents)} ${counted < expectedCents ? t.cashShort : counted > expectedCents ? t.cashOver : ''}`.trim()}
              </td>
            </tr>
          </tfoot>
        </table>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" className="primary" disabled={busy || counted === null}>
            {t.closeShiftAndZ}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The open shift: its X report as of now (printable), cash in and out, closing with the count (Z report). */
export function ShiftScreen({ storeName }: { storeName: string }) {
  const client = useSession((s) => s.client);
  const replicaVersion = useSession((s) => s.replicaVersion);
  const { shift, refresh } = useShift();
  const go = useNav((s) => s.go);
  const [dialog, setDialog] = useState<null | 'in' | 'out' | 'close'>(null);

  // The X report as of now, again whenever records were written or pulled.
  useEffect(() => {
    if (client) void refresh(client);
  }, [client, refresh, replicaVersion]);

  useShortcuts({ Escape: () => go({ name: 'sale' }) }, dialog === null);

  if (!shift || !client) return <main className="panel">{t.loading}</main>;
  const moves = shift.events.filter((e) => e.type === 'cash');
  return (
    <>
      <PrintedDocument
        kind="report"
        title={t.xReport}
        storeName={storeName}
        storeId={client.identity.storeId}
        registerId={client.identity.registerId}
        number={{ label: t.shiftTitle, value: shift.opened.shiftNo, testId: 'shift-number' }}
        createdAt={shift.report.at}
        done={{ label: t.backToSale, onClick: () => go({ name: 'sale' }) }}
        extraActions={
          <>
            <button type="button" onClick={() => setDialog('in')}>
              {t.cashIn}
            </button>
            <button type="button" onClick={() => setDialog('out')}>
              {t.cashOut}
            </button>
            <button type="button" onClick={() => setDialog('close')}>
              {t.closeShift}
            </button>
          </>
        }
      >
        <ShiftReportView report={shift.report} />
        {moves.length > 0 && (
          <table aria-label={t.cashMoves}>
            <tbody>
              {moves.map((e) =>
                e.type === 'cash' ? (
                  <tr key={e.id}>
                    <th scope="row">
                      {e.direction === 'in' ? t.cashIn : t.cashOut}: {t.cashReasons[e.reason]}
                      {e.note ? ` (${e.note})` : ''}
                    </th>
                    <td className="num">{euro(e.direction === 'in' ? e.amountCents : -e.amountCents)}</td>
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        )}
      </PrintedDocument>
      {(dialog === 'in' || dialog === 'out') && <CashMoveDialog direction={dialog} onClose={() => setDialog(null)} />}
      {dialog === 'close' && <CloseShiftDialog expectedCents={shift.report.expectedCashCents} onClose={() => setDialog(null)} />}
    </>
  );
}
