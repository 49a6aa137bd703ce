import { useState } from 'react';
import { centsToInput, parseCents } from '../../src/money.ts';
import { type TenderInput, cashDue } from '../../src/sale.ts';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';
import { Field } from './Field.tsx';

const NOTES = [500, 1000, 2000, 5000, 10000];

interface Props {
  kind: 'cash' | 'card';
  /** What is to be paid, in cents (before cash rounding). */
  amountCents: number;
  /** The heading; defaults to "Pay cash" / "Pay card". */
  title?: string;
  /** The button that takes the money: "Complete sale", "Create order", … (cash only; card says "Card approved"). */
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onPay(tenders: TenderInput[]): void;
  onCancel(): void;
  /** Card: focus "Card approved" (the order screens; the sale leaves focus where it was). */
  focusConfirm?: boolean;
}

/**
 * Taking money at the till: cash (rounded to 5 cents, the Dutch rule; amount received, quick
 * notes, change due) or a card payment the cashier confirms from the external terminal. The
 * sale's payment dialog and the order screens share it; it renders inside their dialog.
 */
export function TenderForm({ kind, amountCents, title, submitLabel, busy, error, onPay, onCancel, focusConfirm = false }: Props) {
  const [received, setReceived] = useState('');
  const due = cashDue(amountCents);
  const receivedCents = parseCents(received);
  const enough = receivedCents !== null && receivedCents >= due;

  const alert = error && (
    <p role="alert" className="error">
      {error}
    </p>
  );

  if (kind === 'card') {
    return (
      <div>
        <h2>{title ?? t.payCard}</h2>
        <p className="big">
          {t.cardOnTerminal}: <strong data-testid="card-due">{euro(amountCents)}</strong>
        </p>
        <p className="muted">{t.cardConfirmHint}</p>
        {alert}
        <div className="actions">
          <button type="button" onClick={onCancel}>
            {t.cancel} <kbd>Esc</kbd>
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => onPay([{ kind: 'card', amountCents }])} autoFocus={focusConfirm}>
            {t.cardApproved}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (enough && receivedCents !== null && !busy) onPay([{ kind: 'cash', tenderedCents: receivedCents }]);
      }}
    >
      <h2>{title ?? t.payCash}</h2>
      <p className="big">
        {t.cashDue}: <strong data-testid="cash-due">{euro(due)}</strong>
        {due !== amountCents && (
          <span className="muted">
            {' '}
            ({t.roundedFrom} {euro(amountCents)})
          </span>
        )}
      </p>
      <Field label={t.cashReceived}>
        <input value={received} onChange={(e) => setReceived(e.target.value)} inputMode="decimal" autoFocus />
      </Field>
      <div className="row notes">
        <button type="button" onClick={() => setReceived(centsToInput(due))}>
          {t.exact}
        </button>
        {NOTES.filter((n) => n >= due)
          .slice(0, 3)
          .map((n) => (
            <button type="button" key={n} onClick={() => setReceived(centsToInput(n))}>
              {euro(n)}
            </button>
          ))}
      </div>
      <p className="big">
        {t.changeDue}: <strong data-testid="change-due">{enough && receivedCents !== null ? euro(receivedCents - due) : '—'}</strong>
      </p>
      {alert}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t.cancel} <kbd>Esc</kbd>
        </button>
        <button type="submit" className="primary" disabled={!enough || busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
