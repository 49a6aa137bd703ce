import { useEffect, useState } from 'react';
import { centsToInput, parseCents } from '../../src/money.ts';
import { type TenderInput, cashDue } from '../../src/sale.ts';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';
import { Field } from '../components/Field.tsx';
import { useSale, useSession } from '../state.ts';

const NOTES = [500, 1000, 2000, 5000, 10000];

/** Cash (rounded to 5 cents, change due) or a card payment confirmed from the external terminal. */
export function Payment({ kind, totalCents }: { kind: 'cash' | 'card'; totalCents: number }) {
  const client = useSession((s) => s.client);
  const { cart, closePayment, completed } = useSale();
  const [received, setReceived] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const due = cashDue(totalCents);
  const receivedCents = parseCents(received);
  const enough = receivedCents !== null && receivedCents >= due;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') closePayment();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closePayment]);

  const complete = async (tenders: TenderInput[]): Promise<void> => {
    if (!client) return;
    setBusy(true);
    setError(null);
    try {
      completed(await client.completeSale(cart, tenders, 'cashier'));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-label={kind === 'cash' ? t.payCash : t.payCard} className="dialog">
        {kind === 'cash' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (enough && receivedCents !== null) void complete([{ kind: 'cash', tenderedCents: receivedCents }]);
            }}
          >
            <h2>{t.payCash}</h2>
            <p className="big">
              {t.cashDue}: <strong data-testid="cash-due">{euro(due)}</strong>
              {due !== totalCents && (
                <span className="muted">
                  {' '}
                  ({t.roundedFrom} {euro(totalCents)})
                </span>
              )}
            </p>
            <Field label={t.cashReceived}>
              <input value={received} onChange={(e) => setReceived(e.target.value)} inputMode="decimal" autoFocus />
            </Field>
            <div className="row notes">
              <button type="button" onClick={() => setReceived(centsToInput(due))}>
                Exact
              </button>
              {NOTES.filter((n) => n >= due).slice(0, 3).map((n) => (
                <button type="button" key={n} onClick={() => setReceived(centsToInput(n))}>
                  {euro(n)}
                </button>
              ))}
            </div>
            <p className="big">
              {t.changeDue}: <strong data-testid="change-due">{enough && receivedCents !== null ? euro(receivedCents - due) : '—'}</strong>
            </p>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            <div className="actions">
              <button type="button" onClick={closePayment}>
                {t.cancel} <kbd>Esc</kbd>
              </button>
              <button type="submit" className="primary" disabled={!enough || busy}>
                {t.completeSale}
              </button>
            </div>
          </form>
        ) : (
          <div>
            <h2>{t.payCard}</h2>
            <p className="big">
              {t.cardOnTerminal}: <strong>{euro(totalCents)}</strong>
            </p>
            <p className="muted">Confirm once the terminal shows the payment as approved.</p>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            <div className="actions">
              <button type="button" onClick={closePayment}>
                {t.cancel} <kbd>Esc</kbd>
              </button>
              <button type="button" className="primary" disabled={busy} onClick={() => void complete([{ kind: 'card', amountCents: totalCents }])}>
                {t.cardApproved}
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
