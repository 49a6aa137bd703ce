import { useEffect, useState } from 'react';
import type { TenderInput } from '../../src/sale.ts';
import { TenderForm } from '../components/TenderForm.tsx';
import { errorText } from '../errors.ts';
import { t } from '../i18n.ts';
import { operatorId, useSale, useSession } from '../state.ts';

/** Cash (rounded to 5 cents, change due) or a card payment confirmed from the external terminal. */
export function Payment({ kind, totalCents }: { kind: 'cash' | 'card'; totalCents: number }) {
  const client = useSession((s) => s.client);
  const { cart, closePayment, completed } = useSale();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
      completed(await client.completeSale(cart, tenders, operatorId()));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-label={kind === 'cash' ? t.payCash : t.payCard} className="dialog">
        <TenderForm
          kind={kind}
          amountCents={totalCents}
          submitLabel={t.completeSale}
          busy={busy}
          error={error}
          onPay={(tenders) => void complete(tenders)}
          onCancel={closePayment}
        />
      </div>
    </div>
  );
}
