import type { CompletedReturn } from '../../../src/returns.ts';
import { PrintedDocument } from '../../components/PrintedDocument.tsx';
import { euro } from '../../format.ts';
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
    <PrintedDocument
      kind="return"
      title={t.returnReceipt}
      storeName={storeName}
      storeId={ret.storeId}
      registerId={ret.registerId}
      number={{ label: t.returnNumber, value: ret.returnNo, testId: 'return-number', prominent: true }}
      createdAt={ret.createdAt}
      operator={ret.operatorId}
      details={
        <p data-testid="return-original">
          {t.original}: {originText(ret)}
        </p>
      }
      footer={
        (ret.approval || ret.review) && (
          <>
            {ret.approval && (
              <p className="note" data-testid="return-approval">
                {t.approvedByManager(ret.approval.managerId, ret.approval.reason)}
              </p>
            )}
            {ret.review && <p className="note">{t.forReview}</p>}
          </>
        )
      }
      done={{ label: t.done, onClick: done, autoFocus: true }}
    >
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
    </PrintedDocument>
  );
}
