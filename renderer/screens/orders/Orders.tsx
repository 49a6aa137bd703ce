import { type KeyboardEvent, useEffect, useState } from 'react';
import { normalizeOrderNumber } from '../../../src/order.ts';
import type { OrderSummary } from '../../../sync/client/index.ts';
import { errorText } from '../../errors.ts';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { useNav, useSession } from '../../state.ts';
import { type Places, placeTown, usePlaces, when } from './places.ts';

function OrderButton({ o, onOpen, active, places }: { o: OrderSummary; onOpen(): void; active: boolean; places: Places }) {
  return (
    <li className={active ? 'active' : ''}>
      <button type="button" onClick={onOpen} aria-label={t.openOrder(o.orderNo, o.customerName)} data-testid={`order-${o.orderNo}`}>
        <span className="name">
          {o.orderNo} · {o.customerName}
          {o.exceptions > 0 && <span className="badge bad">{t.exceptionsCount(o.exceptions)}</span>}
        </span>
        <span className="meta">
          {[
            o.customerPhone,
            t.orderStatus[o.status],
            o.pickupHere > 0 ? t.linesHere(o.pickupHere) : o.pickupStores.length > 0 ? t.pickUpAtPlace(o.pickupStores.map((id) => placeTown(places, id)).join(', ')) : null,
            `${t.created} ${when(o.createdAt)}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
        <span className="price">
          {o.balanceCents > 0 ? (
            <>
              <span className="muted">{t.balance} </span>
              {euro(o.balanceCents)}
            </>
          ) : (
            ''
          )}
        </span>
      </button>
    </li>
  );
}

/** Find an order by number, customer name or phone; the orders waiting for pick-up at this store. */
export function Orders() {
  const client = useSession((s) => s.client);
  const replicaVersion = useSession((s) => s.replicaVersion);
  const { go, ordersQuery: query, setOrdersQuery: setQuery } = useNav();
  const [results, setResults] = useState<OrderSummary[]>([]);
  const [searched, setSearched] = useState('');
  const [ready, setReady] = useState<OrderSummary[] | null>(null);
  const [active, setActive] = useState(0);
  const [hq, setHq] = useState<{ asking: boolean; message: string | null }>({ asking: false, message: null });
  const places = usePlaces();
  const q = query.trim();
  const orderNo = normalizeOrderNumber(q);

  useEffect(() => {
    setActive(0);
    setHq({ asking: false, message: null });
  }, [q]);

  useEffect(() => {
    if (!client || !q) return;
    let live = true;
    const timer = setTimeout(() => {
      void client.findOrders(q, 20).then(
        (r) => {
          if (!live) return;
          setResults(r);
          setSearched(q);
        },
        (e: unknown) => live && setHq({ asking: false, message: errorText(e) }),
      );
    }, 100);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, q, replicaVersion]);

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.ordersForPickup(100).then(
      (r) => live && setReady(r),
      () => live && setReady([]),
    );
    return () => {
      live = false;
    };
  }, [client, replicaVersion]);

  const shown = q ? (searched === q ? results : []) : (ready ?? []);
  const open = (o: string): void => go({ name: 'order', orderNo: o });

  const askHq = async (n: string): Promise<void> => {
    if (!client) return;
    setHq({ asking: true, message: null });
    try {
      const view = await client.order(n);
      if (view) go({ name: 'order', orderNo: n, initial: view });
      else setHq({ asking: false, message: t.notAtHq(n) });
    } catch (e) {
      setHq({ asking: false, message: errorText(e) });
    }
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = shown[active];
      // An exact number opens that order; otherwise the highlighted result.
      const exact = orderNo ? shown.find((o) => o.orderNo === orderNo) : undefined;
      if (exact) open(exact.orderNo);
      else if (hit && searched === q) open(hit.orderNo);
      else if (orderNo && !hq.asking) void askHq(orderNo);
    }
  };

  useShortcuts({ Escape: () => go({ name: 'sale' }) });

  const nothingHere = q !== '' && searched === q && results.length === 0;
  return (
    <main className="panel wide-panel orders" aria-label={t.orders}>
      <div className="row heading">
        <h1 className="grow">{t.orders}</h1>
        <button type="button" onClick={() => go({ name: 'sale' })}>
          {t.backToSale} <kbd>Esc</kbd>
        </button>
      </div>
      <div className="search-label">
        <label htmlFor="order-search">{t.findOrder}</label>
      </div>
      <input
        id="order-search"
        type="search"
        value={query}
        placeholder={t.findOrderPlaceholder}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKey}
        autoFocus
        autoComplete="off"
      />
      {q ? (
        <section aria-label={t.searchResults}>
          {nothingHere && (
            <p className="muted" data-testid="orders-not-found">
              {t.noOrdersFound} {orderNo ? t.askHqHint(orderNo) : t.askHqHintGeneric}
            </p>
          )}
          {!nothingHere && orderNo && !results.some((o) => o.orderNo === orderNo) && searched === q && (
            <p className="muted">{t.askHqHint(orderNo)}</p>
          )}
          {hq.asking && <p className="muted">{t.askingHq}</p>}
          {hq.message && (
            <p role="alert" className="error">
              {hq.message}
            </p>
          )}
          <ul className="results order-list">
            {results.map((o, i) => (
              <OrderButton key={o.orderNo} o={o} active={i === active} places={places} onOpen={() => open(o.orderNo)} />
            ))}
          </ul>
        </section>
      ) : (
        <section aria-labelledby="ready-here-h" className="orders-ready">
          <h2 id="ready-here-h">{t.readyHere}</h2>
          {ready === null ? (
            <p className="muted">{t.loading}</p>
          ) : ready.length === 0 ? (
            <p className="muted">{t.noneReady}</p>
          ) : (
            <ul className="results order-list" data-testid="ready-for-pickup">
              {ready.map((o, i) => (
                <OrderButton key={o.orderNo} o={o} active={i === active} places={places} onOpen={() => open(o.orderNo)} />
              ))}
            </ul>
          )}
        </section>
      )}
    </main>
  );
}
