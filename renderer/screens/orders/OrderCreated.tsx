import { useEffect, useState } from 'react';
import { type CreatedEvent, type OrderSettings, lineValue } from '../../../src/order.ts';
import type { OrderView } from '../../../sync/client/index.ts';
import { PrintedDocument } from '../../components/PrintedDocument.tsx';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { useNav, useSale, useSession } from '../../state.ts';
import { PaymentRows } from '../../components/PaymentRows.tsx';
import { CustomerBlock } from './parts.tsx';
import { fulfilmentText, usePlaces } from './places.ts';

/** The order just made, printable on 80 mm: number, customer, what happens to each line, money. */
export function OrderCreated({ view, storeName }: { view: OrderView; storeName: string }) {
  const client = useSession((s) => s.client);
  const newSale = useSale((s) => s.newSale);
  const go = useNav((s) => s.go);
  const [settings, setSettings] = useState<OrderSettings | null>(null);
  const s = view.state;
  const places = usePlaces();
  const created = s.events.find((e): e is CreatedEvent => e.type === 'created');

  useEffect(() => {
    if (client) void client.orderSettings().then(setSettings, () => undefined);
  }, [client]);

  const done = (): void => {
    newSale();
    go({ name: 'sale' });
  };
  useShortcuts({ Escape: done });

  return (
    <PrintedDocument
      kind="order"
      title={t.orderConfirmation}
      storeName={storeName}
      storeId={s.storeId}
      registerId={s.registerId}
      number={{ label: t.orderNumber, value: s.orderNo, testId: 'order-number', prominent: true }}
      createdAt={s.createdAt}
      operator={created?.operatorId}
      footer={s.depositOverride && <p className="note">{t.overrideNote(s.depositOverride.managerId, s.depositOverride.reason)}</p>}
      done={{ label: t.done, onClick: done, autoFocus: true }}
    >
      <CustomerBlock customer={s.customer} />
      <table>
        <tbody>
          {s.lines.map((l) => (
            <tr key={l.lineNo} data-testid={`order-line-${l.lineNo}`}>
              <td>
                {l.quantity} × {l.name}
                <div className="fulfil-text">{fulfilmentText(l.fulfilment, places, settings)}</div>
                {l.fulfilment.mode === 'ship' && l.fulfilment.chargeCents > 0 && (
                  <div className="fulfil-text">
                    {t.deliveryCharge} {euro(l.fulfilment.chargeCents)}
                  </div>
                )}
              </td>
              <td className="num">{euro(lineValue(l))}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="grand">
            <th scope="row">{t.orderTotal}</th>
            <td className="num">{euro(s.lines.reduce((sum, l) => sum + lineValue(l), 0))}</td>
          </tr>
          <tr>
            <th scope="row">{t.paidNow}</th>
            <td className="num" data-testid="paid-now">
              {euro(created?.payment?.dueCents ?? 0)}
            </td>
          </tr>
          {created?.payment && <PaymentRows payment={created.payment} />}
          <tr className="grand">
            <th scope="row">{t.balanceAtPickup}</th>
            <td className="num" data-testid="balance-due">
              {euro(s.balanceCents)}
            </td>
          </tr>
        </tfoot>
      </table>
    </PrintedDocument>
  );
}
