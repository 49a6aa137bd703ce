import { RETURN_REASONS, type RefundTender, type ReturnReason } from '../../../src/returns.ts';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';

/** The refund on the return screens: its total and how it goes back (card, cash paid out, store credit). */
export function RefundPlan({ totalCents, refunds }: { totalCents: number; refunds: readonly RefundTender[] }) {
  return (
    <>
      <dl className="totals">
        <div className="grand">
          <dt>{t.refundTotal}</dt>
          <dd data-testid="refund-total">{euro(totalCents)}</dd>
        </div>
      </dl>
      {refunds.length > 0 && (
        <ul className="refund-plan" data-testid="refund-plan" aria-label={t.refundPlan}>
          {refunds.map((r, i) => (
            <li key={i} data-testid={`refund-${r.kind === 'storeCredit' ? 'store-credit' : r.kind}`}>
              {r.kind === 'card'
                ? t.refundToCard(euro(r.amountCents))
                : r.kind === 'cash'
                  ? t.refundCash(euro(r.amountCents), euro(r.paidOutCents))
                  : t.refundStoreCredit(euro(r.amountCents))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The reason a line comes back; required once its quantity is above 0. */
export function ReasonSelect({
  name,
  value,
  required,
  disabled,
  onChange,
}: {
  name: string;
  value: ReturnReason | '';
  required: boolean;
  disabled: boolean;
  onChange(reason: ReturnReason | ''): void;
}) {
  return (
    <select
      aria-label={t.reasonFor(name)}
      value={value}
      required={required}
      aria-invalid={required && !value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as ReturnReason | '')}
    >
      <option value="">{t.chooseReason}</option>
      {RETURN_REASONS.map((r) => (
        <option key={r} value={r}>
          {t.reasons[r]}
        </option>
      ))}
    </select>
  );
}
