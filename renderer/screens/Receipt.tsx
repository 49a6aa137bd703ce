import type { CompletedSale } from '../../src/sale.ts';
import { PaymentRows } from '../components/PaymentRows.tsx';
import { PrintedDocument } from '../components/PrintedDocument.tsx';
import { ReceiptCode } from '../components/ReceiptCode.tsx';
import { VatTable } from '../components/VatTable.tsx';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';
import { useSale } from '../state.ts';

/** The receipt on screen, printable on 80 mm paper, with the QR code a return at any store scans. */
export function Receipt({ sale, storeName }: { sale: CompletedSale; storeName: string }) {
  const newSale = useSale((s) => s.newSale);
  return (
    <PrintedDocument
      kind="receipt"
      title={t.receipt}
      storeName={storeName}
      storeId={sale.storeId}
      registerId={sale.registerId}
      number={{ label: t.receiptNumber, value: sale.receiptNo, testId: 'receipt-number' }}
      createdAt={sale.createdAt}
      operator={sale.operatorId}
      footer={<ReceiptCode sale={sale} />}
      done={{ label: t.newSale, onClick: newSale, autoFocus: true }}
    >
      <table>
        <tbody>
          {sale.lines.map((l) => (
            <tr key={l.lineNo}>
              <td>
                {l.quantity} × {l.name}
                {l.outOfAssortment && <small> ({t.outOfAssortment})</small>}
                {l.priceOverride && <small className="price-changed"> ({t.receiptPriceChanged(euro(l.priceOverride.originalUnitPriceCents))})</small>}
              </td>
              <td className="num">{euro(l.amountCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="grand">
            <th scope="row">{t.total}</th>
            <td className="num">{euro(sale.totalCents)}</td>
          </tr>
          <PaymentRows payment={sale} />
        </tfoot>
      </table>
      <VatTable vat={sale.vat} />
    </PrintedDocument>
  );
}
