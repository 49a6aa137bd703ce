import { type PickedUpEvent, lineValue } from '../../../src/order.ts';
import type { OrderView } from '../../../sync/client/index.ts';
import { PrintedDocument } from '../../components/PrintedDocument.tsx';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { useNav } from '../../state.ts';
import { PaymentRows } from '../../components/PaymentRows.tsx';

/** The receipt of a pick-up, printable on 80 mm: the lines handed out, what was paid before and now. */
export function PickupReceipt({ view, eventId, storeName }: { view: OrderView; eventId: string; storeName: string }) {
  const go = useNav((s) => s.go);
  const s = view.state;
  const event = s.events.find((e): e is PickedUpEvent => e.id === eventId && e.type === 'pickedUp');
  const backToOrder = (): void => go({ name: 'order', orderNo: s.orderNo, initial: view });
  useShortcuts({ Escape: backToOrder });
  if (!event) return null;

  const rows = event.lines.flatMap((pl) => {
    const l = s.lines.find((x) => x.lineNo === pl.lineNo);
    return l ? [{ line: l, value: lineValue(l), balance: pl.balanceCents }] : [];
  });
  const value = rows.reduce((sum, r) => sum + r.value, 0);
  const balance = rows.reduce((sum, r) => sum + r.balance, 0);
  const stillOpen = s.lines.filter((l) => l.status === 'open');

  return (
    <PrintedDocument
      kind="pickup"
      title={t.pickupReceipt}
      storeName={storeName}
      storeId={event.storeId}
      registerId={event.registerId}
      number={{ label: t.orderNumber, value: s.orderNo, testId: 'order-number' }}
      createdAt={event.createdAt}
      operator={event.operatorId}
      details={s.customer && <p>{s.customer.name}</p>}
      footer={stillOpen.length > 0 && <p className="note">{t.stillOpen(stillOpen.length, euro(s.balanceCents))}</p>}
      extraActions={
        <button type="button" onClick={backToOrder}>
          {t.backToOrder} <kbd>Esc</kbd>
        </button>
      }
      done={{ label: t.done, onClick: () => go({ name: 'sale' }), autoFocus: true }}
    >
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line.lineNo}>
              <td>
                {r.line.quantity} × {r.line.name}
              </td>
              <td className="num">{euro(r.value)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="grand">
            <th scope="row">{t.handedOutNow}</th>
            <td className="num">{euro(value)}</td>
          </tr>
          <tr>
            <th scope="row">{t.heldBefore}</th>
            <td className="num">{euro(value - balance)}</td>
          </tr>
          <tr className="grand">
            <th scope="row">{t.balancePaid}</th>
            <td className="num" data-testid="balance-paid">
              {euro(balance)}
            </td>
          </tr>
          {event.payment && <PaymentRows payment={event.payment} />}
        </tfoot>
      </table>
    </PrintedDocument>
  );
}
