import type { ShiftReport } from '../../../src/shift.ts';
import { vatLabel } from '../../../src/vat.ts';
import { dateTime, euro } from '../../format.ts';
import { t } from '../../i18n.ts';

/** The body of an X or Z report: per tender, per VAT rate, what happened, the cash expected. */
export function ShiftReportView({ report }: { report: ShiftReport }) {
  const { tenders, sales, returns, orders, outOfAssortment, cashMoves, records } = report;
  // A report made before overrides and voids were counted has neither: shown as none.
  const { overrides = { lines: 0, differenceCents: 0 }, voids = { count: 0, amountCents: 0 } }: Partial<Pick<ShiftReport, 'overrides' | 'voids'>> = report;
  return (
    <div className="shift-report">
      <p>
        {t.shiftOpenedAt}: {dateTime(report.openedAt)} · {t.operators}: {report.operators.join(', ')}
      </p>
      <table aria-label={t.perTender}>
        <thead>
          <tr>
            <th scope="col">{t.perTender}</th>
            <th scope="col" className="num">{t.takenIn}</th>
            <th scope="col" className="num">{t.givenBack}</th>
            <th scope="col" className="num">{t.net}</th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ['cash', t.cash],
              ['card', t.card],
              ['storeCredit', t.storeCreditTender],
            ] as const
          ).map(([k, label]) => (
            <tr key={k}>
              <th scope="row">{label}</th>
              <td className="num">{euro(tenders[k].inCents)}</td>
              <td className="num">{euro(tenders[k].outCents)}</td>
              <td className="num">{euro(tenders[k].netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label={t.perVatRate}>
        <thead>
          <tr>
            <th scope="col">{t.perVatRate}</th>
            <th scope="col" className="num">{t.salesCol}</th>
            <th scope="col" className="num">{t.returnsCol}</th>
            <th scope="col" className="num">{t.vat}</th>
          </tr>
        </thead>
        <tbody>
          {report.vat.map((v) => (
            <tr key={v.vat}>
              <th scope="row">{vatLabel(v.vat)}</th>
              <td className="num">{euro(v.salesGrossCents)}</td>
              <td className="num">{euro(v.returnsGrossCents)}</td>
              <td className="num">{euro(v.vatCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label={t.shiftTotals}>
        <tbody>
          <tr>
            <th scope="row">{t.salesCount(sales.count)}</th>
            <td className="num">{euro(sales.totalCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.cashRoundingTotal}</th>
            <td className="num">{euro(sales.roundingCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.returnsCount(returns.count, returns.withoutReceipt)}</th>
            <td className="num">{euro(returns.totalCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.orderDeposits(orders.depositsCount)}</th>
            <td className="num">{euro(orders.depositsCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.orderPickUps(orders.pickUpsCount)}</th>
            <td className="num">{euro(orders.pickUpsCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.orderCancellations(orders.cancellationsCount)}</th>
            <td className="num">{euro(orders.cancellationRefundsCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.outOfAssortmentLines(outOfAssortment.lines)}</th>
            <td className="num">{euro(outOfAssortment.amountCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.overridesCount(overrides.lines)}</th>
            <td className="num" data-testid="shift-overrides">
              {euro(overrides.differenceCents)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t.voidsCount(voids.count)}</th>
            <td className="num" data-testid="shift-voids">
              {euro(voids.amountCents)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t.cashInTotal}</th>
            <td className="num">{euro(cashMoves.inCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.cashOutTotal}</th>
            <td className="num">{euro(cashMoves.outCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.recordsInShift}</th>
            <td className="num" data-testid="shift-records">
              {records.sales + records.orderEvents + records.returns + records.cashMoves}
            </td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.floatAmount}</th>
            <td className="num">{euro(report.floatCents)}</td>
          </tr>
          <tr className="grand">
            <th scope="row">{t.expectedCash}</th>
            <td className="num" data-testid="expected-cash">
              {euro(report.expectedCashCents)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
