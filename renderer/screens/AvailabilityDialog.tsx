import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Availability, ProductHit } from '../../sync/client/index.ts';
import { clock, distance, duration } from '../format.ts';
import { t } from '../i18n.ts';
import { useSession } from '../state.ts';

/** How old a stock figure is, as a cashier needs to read it: "as of 14:02" or "3 h old, offline". */
export function figureAge(asOf: string | null, nowMs: number, online: boolean): string {
  if (!asOf) return t.noFigure;
  const ageMs = Math.max(0, nowMs - Date.parse(asOf));
  const text = ageMs < 3_600_000 ? `${t.asOf} ${clock(asOf)}` : `${duration(ageMs)} ${t.old}`;
  return online ? text : `${text}, ${t.offline}`;
}

/** A product's stock at every store and warehouse, from the replica, with the age of each figure. */
export function AvailabilityDialog({ product, onClose }: { product: ProductHit; onClose(): void }) {
  const client = useSession((s) => s.client);
  const online = useSession((s) => s.status?.online ?? false);
  // Follows the replica while open: a figure HQ sends (or a booking of this register's sale) shows at once.
  const replicaVersion = useSession((s) => s.replicaVersion);
  const [rows, setRows] = useState<Availability[]>([]);
  useEffect(() => {
    if (client) void client.availability(product.id).then(setRows);
  }, [client, product.id, replicaVersion]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const now = Date.now();
  // On top of everything, outside the result list it was opened from.
  return createPortal(
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-label={`${t.availability}: ${product.name}`} className="dialog wide">
        <h2>
          {t.availability}: {product.name}
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.location}</th>
              <th scope="col" className="num">
                {t.distance}
              </th>
              <th scope="col" className="num">
                {t.onHandCol}
              </th>
              <th scope="col" className="num">
                {t.reserved}
              </th>
              <th scope="col" className="num">
                {t.available}
              </th>
              <th scope="col">{t.figure}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.locationId}>
                <th scope="row">
                  {r.town} — {r.name}
                  {r.here && <span className="badge">{t.thisStore}</span>}
                  {r.kind === 'warehouse' && <span className="muted"> ({t.warehouse})</span>}
                </th>
                <td className="num">{r.here || r.distanceMetres === null ? '' : distance(r.distanceMetres)}</td>
                <td className="num">{r.onHand ?? '—'}</td>
                <td className="num">{r.reserved ?? '—'}</td>
                <td className="num">{r.available ?? '—'}</td>
                <td>
                  {figureAge(r.asOf, now, online)}
                  {r.soldHereNotBooked > 0 && <div className="muted">{t.soldHereNotBooked(r.soldHereNotBooked)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t.close} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
