import type { Customer, OrderPayment } from '../../../src/order.ts';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { addressText } from './places.ts';

/** How money was taken, as rows of a receipt's foot: rounding, each tender, change. */
export function PaymentRows({ payment }: { payment: OrderPayment }) {
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
          <th scope="row">{tender.kind === 'cash' ? `${t.cash} (received ${euro(tender.tenderedCents)})` : t.card}</th>
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

/** The customer: name, phone, e-mail, first address. */
export function CustomerBlock({ customer }: { customer: Customer | null }) {
  if (!customer) return null;
  const a = customer.addresses[0];
  return (
    <address className="customer" data-testid="order-customer">
      <strong>{customer.name}</strong>
      {customer.phone && <div>{customer.phone}</div>}
      {customer.email && <div>{customer.email}</div>}
      {a && <div>{addressText(a)}</div>}
    </address>
  );
}
