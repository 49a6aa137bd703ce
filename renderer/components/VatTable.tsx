import { type VatLine, vatLabel } from '../../src/vat.ts';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';

/** VAT per rate (net, VAT, gross) as every printed document shows it: receipts and return receipts. */
export function VatTable({ vat }: { vat: readonly VatLine[] }) {
  return (
    <table className="vat">
      <thead>
        <tr>
          <th scope="col">{t.vat}</th>
          <th scope="col">{t.netCol}</th>
          <th scope="col">{t.vat}</th>
          <th scope="col">{t.grossCol}</th>
        </tr>
      </thead>
      <tbody>
        {vat.map((v) => (
          <tr key={v.vat}>
            <td>{vatLabel(v.vat)}</td>
            <td className="num">{euro(v.netCents)}</td>
            <td className="num">{euro(v.vatCents)}</td>
            <td className="num">{euro(v.grossCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
