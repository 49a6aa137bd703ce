import type { ShiftClosed } from '../../../src/shift.ts';
import { PrintedDocument } from '../../components/PrintedDocument.tsx';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useNav } from '../../state.ts';
import { ShiftReportView } from './ShiftReportView.tsx';

/** The Z report of a shift just closed: the report, the cash counted per note and coin, and the difference. */
export function ZReport({ closed, storeName }: { closed: ShiftClosed; storeName: string }) {
  const go = useNav((s) => s.go);
  return (
    <PrintedDocument
      kind="report"
      title={t.zReport}
      storeName={storeName}
      storeId={closed.storeId}
      registerId={closed.registerId}
      number={{ label: t.shiftTitle, value: closed.shiftNo, testId: 'shift-number' }}
      createdAt={closed.createdAt}
      operator={closed.operatorId}
      done={{ label: t.done, onClick: () => go({ name: 'sale' }), autoFocus: true }}
    >
      <ShiftReportView report={closed.report} />
      <table aria-label={t.countedCash}>
        <tbody>
          {closed.counted.map((c) => (
            <tr key={c.denominationCents}>
              <th scope="row">
                {c.count} × {euro(c.denominationCents)}
              </th>
              <td className="num">{euro(c.count * c.denominationCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.countedCash}</th>
            <td className="num">{euro(closed.countedCents)}</td>
          </tr>
          <tr>
            <th scope="row">{t.expectedCash}</th>
            <td className="num">{euro(closed.expectedCents)}</td>
          </tr>
          <tr className="grand">
            <th scope="row">{t.difference}</th>
            <td className="num" data-testid="z-difference">
              {euro(closed.differenceCents)} {closed.differenceCents < 0 ? t.cashShort : closed.differenceCents > 0 ? t.cashOver : ''}
            </td>
          </tr>
        </tfoot>
      </table>
    </PrintedDocument>
  );
}
