import type { Tender } from '../../src/sale.ts';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';

/** What a receipt's foot needs of a payment: a sale's, or an order event's. */
export interface PaidWith {
  roundingCents: number;
  tenders: readonly Tender[];
  changeCents: number;
}

/** A tender as a receipt names it: cash with the amount received, or card. */
function tenderLabel(tender: Tender): string {
  return tender.kind === 'cash' ? t.cashTendered(euro(tender.tenderedCents)) : t.card;
}

/** How money was taken, as rows of a receipt's foot: rounding, each tender, change. */
export function PaymentRows({ payment }: { payment: PaidWith }) {
  return (
    <>
      {payment.roundingCents !== 0 && (
        <tr>
          <th scope="row">{t.rounding}</th>
          <td className="num">{euro(payment.roundingCents)}</td>
        </tr>
      )}
      {payment.tenders.map((tender, i) => (
        <tr key={i}>
          <th scope="row">{tenderLabel(tender)}</th>
          <td className="num">{euro(tender.amountCents)}</td>
        </tr>
      ))}
      {payment.changeCents > 0 && (
        <tr>
          <th scope="row">{t.change}</th>
          <td className="num">{euro(payment.changeCents)}</td>
        </tr>
      )}
    </>
  );
}
