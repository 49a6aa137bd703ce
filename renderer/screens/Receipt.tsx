import type { CompletedSale } from '../../src/sale.ts';
import { getHost } from '../bridge/index.ts';
import { ReceiptCode } from '../components/ReceiptCode.tsx';
import { dateTime, euro } from '../format.ts';
import { t } from '../i18n.ts';
import { useSale } from '../state.ts';
import { VatTable } from '../components/VatTable.tsx';

/** The receipt on screen, printable on 80 mm paper, with the QR code a return at any store scans. */
export function Receipt({ sale, storeName }: { sale: CompletedSale; storeName: string }) {
  const newSale = useSale((s) => s.newSale);
  return (
    <main className="panel narrow receipt-screen">
      <article className="receipt" aria-label={t.receipt}>
        <header>
          <h1>{storeName}</h1>
          <p>
            Store {sale.storeId} · Register {sale.registerId}
          </p>
          <p>
            {t.receiptNumber}: <strong data-testid="receipt-number">{sale.receiptNo}</strong>
          </p>
          <p>{dateTime(sale.createdAt)}</p>
        </header>
        <table>
          <tbody>
            {sale.lines.map((l) => (
              <tr key={l.lineNo}>
                <td>
                  {l.quantity} × {l.name}
                  {l.outOfAssortment && <small> ({t.outOfAssortment})</small>}
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
            {sale.roundingCents !== 0 && (
              <tr>
                <th scope="row">{t.rounding}</th>
                <td className="num">{euro(sale.roundingCents)}</td>
              </tr>
            )}
            {sale.tenders.map((tender, i) => (
              <tr key={i}>
                <th scope="row">{tender.kind === 'cash' ? `${t.cash} (received ${euro(tender.tenderedCents)})` : t.card}</th>
                <td className="num">{euro(tender.amountCents)}</td>
              </tr>
            ))}
            {sale.changeCents > 0 && (
              <tr>
                <th scope="row">{t.change}</th>
                <td className="num">{euro(sale.changeCents)}</td>
              </tr>
            )}
          </tfoot>
        </table>
        <VatTable vat={sale.vat} />
        <ReceiptCode sale={sale} />
      </article>
      <div className="actions no-print">
        <button type="button" onClick={() => void getHost().print({ silent: true })}>
          {t.printReceipt}
        </button>
        <button type="button" className="primary" onClick={newSale} autoFocus>
          {t.newSale}
        </button>
      </div>
    </main>
  );
}
