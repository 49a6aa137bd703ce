import type { ProductHit } from '../../sync/client/index.ts';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';

/** A product in a result list: name, codes, stock here, price, and whether this store carries it. */
export function ProductButton({ product: p, onAdd }: { product: ProductHit; onAdd(p: ProductHit): void }) {
  return (
    <button type="button" onClick={() => onAdd(p)} aria-label={`${t.add} ${p.name}`}>
      <span className="name">{p.name}</span>
      <span className="meta">
        {p.itemNumber} · {p.barcode ?? '—'} · {p.onHandHere === null ? t.noStockFigure : `${p.onHandHere} ${t.onHand}`}
        {!p.inAssortment && <span className="badge">{t.notInAssortmentHere}</span>}
      </span>
      <span className="price">{euro(p.priceCents)}</span>
    </button>
  );
}
