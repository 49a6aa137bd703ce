import type { Customer } from '../../../src/order.ts';
import { addressText } from './places.ts';

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
