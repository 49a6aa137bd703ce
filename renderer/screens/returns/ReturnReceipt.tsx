import type { CompletedReturn } from '../../../src/returns.ts';
import { getHost } from '../../bridge/index.ts';
import { dateTime, euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { useNav } from '../../state.ts';
import { VatTable } from '../../components/VatTable.tsx';

function originText(ret: CompletedReturn): string {
  const o = ret.origin;
  if (o.kind === 'sale') return t.originSale(o.receiptNo);
  if (o.kind === 'order') return t.originOrder(o.orderNo);
  return t.originalNone;
}

/** The receipt of a return, printable on 80 mm: number, original, lines and reasons, the refund. */
export function ReturnReceipt({ ret, storeName }: { ret: CompletedReturn; storeName: string }) {
  const go = useNav((s) => s.go);
  const done = (): void => go({ name: 'sale' });
  useShortcuts({ Escape: done });

  return (
    <main className="panel narrow receipt-screen">
      <article className="receipt" aria-label={t.returnReceipt}>
        <header>
          <h1>{storeName}</h1>
          <p>
            Store {ret.storeId} · Register {ret.registerId}
          </p>
          <h2 className="receipt-kind">{t.returnTitle}</h2>
          <p className="order-no" data-testid="return-number">
            {ret.returnNo}
          </p>
          <p>{dateTime(ret.createdAt)}</p>
          <p data-testid="return-original">
            {t.original}: {originText(ret)}
          </p>
        </header>
        <table>
          <tbody>
            {ret.lines.map((l) => (
              <tr key={l.lineNo} data-testid={`return-receipt-line-${l.lineNo}`}>
                <td>
                  {l.quantity} × {l.name}
                  <div className="fulfil-text">{t.reasons[l.reason]}</div>
                </td>
                <td className="num">{euro(l.amountCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="grand">
              <th scope="row">{t.totalRefunded}</th>
              <td className="num" data-testid="return-total">
                {euro(ret.totalCents)}
              </td>
            </tr>
            {ret.refunds.map((r, i) =>
              r.kind === 'card' ? (
                <tr key={i} data-testid="return-refund-card">
                  <th scope="row">{t.refundCard}</th>
                  <td className="num">{euro(r.amountCents)}</td>
                </tr>
              ) : r.kind === 'cash' ? (
                <tr key={i} data-testid="return-refund-cash">
                  <th scope="row">
                    {t.refundCashPaidOut}
                    {r.roundingCents !== 0 && (
                      <small>
                        {' '}
                        ({t.rounding} {euro(r.roundingCents)})
                      </small>
                    )}
                  </th>
                  <td className="num">{euro(r.paidOutCents)}</td>
                </tr>
              ) : (
                <tr key={i} data-testid="return-refund-store-credit">
                  <th scope="row">{t.refundStoreCreditRow}</th>
                  <td className="num">{euro(r.amountCents)}</td>
                </tr>
              ),
            )}
          </tfoot>
        </table>
        <VatTable vat={ret.vat} />
        {ret.approval && (
          <p className="note" data-testid="return-approval">
            {t.approvedByManager(ret.approval.managerId, ret.approval.reason)}
          </p>
        )}
        {ret.review && <p className="note">{t.forReview}</p>}
      </article>
      <div className="actions no-print">
        <button type="button" onClick={() => void getHost().print({ silent: true })}>
          {t.print}
        </button>
        <button type="button" className="primary" onClick={done} autoFocus>
          {t.done}
        </button>
      </div>
    </main>
  );
}
