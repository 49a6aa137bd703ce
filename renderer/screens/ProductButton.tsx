import { useState } from 'react';
import type { ProductHit } from '../../sync/client/index.ts';
import { AvailabilityDialog } from './AvailabilityDialog.tsx';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';

/** A product in a result list: name, codes, stock here, price, and whether this store carries it. */
export function ProductButton({ product: p, onAdd }: { product: ProductHit; onAdd(p: ProductHit): void }) {
  const [showStock, setShowStock] = useState(false);
  return (
    <div className="hit">
    <button type="button" onClick={() => onAdd(p)} aria-label={`${t.add} ${p.name}`}>
      <span className="name">{p.name}</span>
      <span className="meta">
        {p.itemNumber} · {p.barcode ?? '—'} · {p.onHandHere === null ? t.noStockFigure : `${p.onHandHere} ${t.onHand}`}
        {p.locationsElsewhere > 0 && <> · {t.availableElsewhere(p.availableElsewhere, p.locationsElsewhere)}</>}
        {!p.inAssortment && <span className="badge">{t.notInAssortmentHere}</span>}
      </span>
      <span className="price">{euro(p.priceCents)}</span>
    </button>
    <button type="button" className="stock-btn" onClick={() => setShowStock(true)} aria-label={`${t.showAvailability}: ${p.name}`} title={t.showAvailability}>
      ⌂
    </button>
    {showStock && <AvailabilityDialog product={p} onClose={() => setShowStock(false)} />}
    </div>
  );
}
