import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { type CartLine, cartTotals, lineAmount } from '../../src/cart.ts';
import { parseCents } from '../../src/money.ts';
import { vatLabel } from '../../src/vat.ts';
import { type ProductHit, SEARCH_SCOPES, type SearchScope } from '../../sync/client/index.ts';
import { Field } from '../components/Field.tsx';
import { euro } from '../format.ts';
import { t } from '../i18n.ts';
import { useNav, useOperator, useReturn, useSale, useSession } from '../state.ts';
import { Browse } from './Browse.tsx';
import { ManagerApproval } from './ManagerApproval.tsx';
import { Payment } from './Payment.tsx';
import { ProductButton } from './ProductButton.tsx';
import { lineToShow } from '../cart-focus.ts';

const CODE = /^\d{6,14}$/;
/** The signed code of a receipt (its QR code), scanned here: the customer brings something back. */
const RECEIPT_CODE = /^KR1\./;

/** Measures kept per name: User Timing entries are never dropped by the browser itself. */
const MAX_MEASURES = 5000;
const measureCounts = { 'kassa:barcode': 0, 'kassa:search': 0 };

/**
 * Records a User Timing measure from `start` to now around a lookup in the replica (not React's
 * rendering of it), detail `{ query, hits }`. tests/bench/catalog.ts reads `kassa:barcode` and
 * `kassa:search` in the page. Older measures are dropped before the newest, so a register that
 * runs all day does not collect them without end.
 */
function measureLookup(name: keyof typeof measureCounts, start: number, query: string, hits: number): void {
  if (++measureCounts[name] > MAX_MEASURES) {
    performance.clearMeasures(name);
    measureCounts[name] = 1;
  }
  performance.measure(name, { start, end: performance.now(), detail: { query, hits } });
}

/** A change to the cart waiting for a manager's approval: another price, or a void down to `quantity` (0: the line goes). */
type Pending = { kind: 'price'; productId: string } | { kind: 'void'; productId: string; quantity: number };

export function Sell() {
  const client = useSession((s) => s.client);
  const { cart, payment, message, add, setQuantity, openPayment, say } = useSale();
  const [pending, setPending] = useState<Pending | null>(null);
  const go = useNav((s) => s.go);
  const canOrder = cart.lines.length > 0;
  const [query, setQuery] = useState('');
  const [scope, setScope] = useState<SearchScope>('store');
  const replicaVersion = useSession((s) => s.replicaVersion);
  const [results, setResults] = useState<ProductHit[]>([]);
  const [active, setActive] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const totals = cartTotals(cart);
  // The lines scroll inside the cart: a line just added or raised (a product scanned again) is
  // brought into view, below the sticky header; a removal or a lowered quantity keeps the place.
  const linesRef = useRef<HTMLDivElement>(null);
  const shownLines = useRef(cart.lines);
  useEffect(() => {
    const index = lineToShow(shownLines.current, cart.lines);
    shownLines.current = cart.lines;
    const box = linesRef.current;
    const row = box?.querySelectorAll('tbody tr')[index ?? -1];
    if (!box || !row) return;
    const header = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    const bottom = top + row.getBoundingClientRect().height;
    if (top - header < box.scrollTop) box.scrollTop = top - header;
    else if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight;
  }, [cart.lines]);

  const addByCode = async (code: string): Promise<void> => {
    if (!client) return;
    const start = performance.now();
    const hit = await client.findByCode(code);
    measureLookup('kassa:barcode', start, code, hit ? 1 : 0);
    if (hit) add(hit);
    else say(t.unknownBarcode(code));
  };

  // A new search starts at its first result; a refresh after a sync keeps the cashier's place.
  useEffect(() => setActive(0), [query, scope]);

  // Type-ahead search of the store's assortment.
  useEffect(() => {
    if (!client) return;
    let live = true;
    const timer = setTimeout(() => {
      const start = performance.now();
      void client.searchProducts(query, 20, scope).then((r) => {
        measureLookup('kassa:search', start, query, r.length);
        if (live) setResults(r);
      });
    }, 60);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // Again whenever the replica changed: prices and stock pulled meanwhile show at once.
  }, [client, query, scope, replicaVersion]);

  // The scanner works anywhere on the screen: a keyboard-wedge scanner types digits and Enter,
  // and whatever is typed outside a field goes to the search field, whose Enter looks a code up
  // at once. So a scan never depends on how fast the keystrokes come. Shortcuts as well.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      // A manager's approval is being asked: its dialog has the keys (Escape cancels it).
      if (pending) return;
      if (e.key === 'F2') {
        e.preventDefault();
        searchRef.current?.focus();
        return;
      }
      // Customer orders: F6 finds one, F7 makes one of the cart (not while paying).
      if (e.key === 'F6' || e.key === 'F7') {
        e.preventDefault();
        if (payment) return;
        if (e.key === 'F6') go({ name: 'orders' });
        else if (canOrder) go({ name: 'newOrder' });
        return;
      }
      // The shift (X report, cash in and out, closing) and locking the register (not while paying).
      if (e.key === 'F3' || e.key === 'F4') {
        e.preventDefault();
        if (payment) return;
        if (e.key === 'F3') go({ name: 'shift' });
        else useOperator.getState().lock();
        return;
      }
      // A return (not while paying).
      if (e.key === 'F10') {
        e.preventDefault();
        if (!payment) go({ name: 'returns' });
        return;
      }
      if (e.key === 'F8' || e.key === 'F9') {
        e.preventDefault();
        openPayment(e.key === 'F8' ? 'cash' : 'card');
        return;
      }
      if (payment || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
      const inField = e.target instanceof HTMLElement && e.target.closest('input, select, textarea') !== null;
      // A space on a focused button presses it; every other character goes to the search field.
      if (inField || (e.key === ' ' && e.target instanceof HTMLButtonElement)) return;
      e.preventDefault();
      searchRef.current?.focus();
      setQuery((q) => q + e.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const q = query.trim();
      if (RECEIPT_CODE.test(q)) {
        useReturn.getState().lookUpNow(q);
        go({ name: 'returns' });
      } else if (CODE.test(q)) void addByCode(q);
      else if (results[active]) add(results[active]);
      setQuery('');
    }
  };

  return (
    <main className="sell">
      <section className="search" aria-label={t.results}>
        <div className="search-label">
          <label htmlFor="product-search">{t.searchLabel}</label>
          <kbd aria-hidden="true">F2</kbd>
        </div>
        <input
            id="product-search"
            ref={searchRef}
            type="search"
            value={query}
            placeholder={t.searchPlaceholder}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onSearchKey}
            autoFocus
          />
        <fieldset className="scope">
          <legend>{t.searchScope}</legend>
          {SEARCH_SCOPES.map((s) => (
            <label key={s}>
              <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
              {t.scope[s]}
            </label>
          ))}
        </fieldset>
        {query.trim() && results.length === 0 && (
          <p className="muted">
            {t.noResultsIn[scope]} “{query}”.
          </p>
        )}
        {query.trim() ? (
          <ul className="results">
            {results.map((p, i) => (
              <li key={p.id} className={i === active ? 'active' : ''}>
                <ProductButton product={p} onAdd={add} />
              </li>
            ))}
          </ul>
        ) : (
          <Browse scope={scope} onAdd={add} />
        )}
      </section>

      <section className="cart" aria-label={t.cart}>
        <h2>{t.cart}</h2>
        {message && (
          <p role="alert" className="error">
            {message}
          </p>
        )}
        {cart.lines.length === 0 ? (
          <p className="muted">{t.emptyCart}</p>
        ) : (
          <div className="cart-lines" ref={linesRef}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.product}</th>
                  <th scope="col">{t.quantity}</th>
                  <th scope="col">{t.price}</th>
                  <th scope="col">{t.amount}</th>
                  <th scope="col">
                    <span className="sr-only">{t.removeCol}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {cart.lines.map((l, i) => (
                  <tr key={l.productId}>
                    <td>
                      {l.name}
                      {l.outOfAssortment && <span className="badge">{t.outOfAssortment}</span>}
                    </td>
                    <td className="qty">
                      {/* Lowering a quantity or removing a line is a void: a manager approves it first. */}
                      <button
                        type="button"
                        aria-label={t.decreaseLine(l.name)}
                        onClick={() => setPending({ kind: 'void', productId: l.productId, quantity: l.quantity - 1 })}
                        disabled={l.quantity <= 1}
                      >
                        −
                      </button>
                      <QuantityInput
                        line={l}
                        onRaise={(q) => setQuantity(i, q)}
                        onLower={(q) => setPending({ kind: 'void', productId: l.productId, quantity: q })}
                      />
                      <button type="button" aria-label={t.increaseLine(l.name)} onClick={() => setQuantity(i, l.quantity + 1)}>
                        +
                      </button>
                    </td>
                    <td className="num">
                      {euro(l.unitPriceCents)}
                      {l.priceOverride && (
                        <small className="muted price-was" data-testid={`price-was-${l.productId}`}>
                          {' '}
                          {t.priceWas(euro(l.priceOverride.originalUnitPriceCents), l.priceOverride.managerId)}
                        </small>
                      )}{' '}
                      <button type="button" className="link price-change" aria-label={t.changePriceOf(l.name)} onClick={() => setPending({ kind: 'price', productId: l.productId })}>
                        {t.priceButton}
                      </button>
                    </td>
                    <td className="num">{euro(lineAmount(l))}</td>
                    <td>
                      <button type="button" className="link" aria-label={t.removeLine(l.name)} onClick={() => setPending({ kind: 'void', productId: l.productId, quantity: 0 })}>
                        ✕
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <dl className="totals">
          {totals.vat.map((v) => (
            <div key={v.vat}>
              <dt>
                {t.vat} {vatLabel(v.vat)} <span className="muted">over {euro(v.grossCents)}</span>
              </dt>
              <dd>{euro(v.vatCents)}</dd>
            </div>
          ))}
          <div className="grand">
            <dt>{t.total}</dt>
            <dd data-testid="cart-total">{euro(totals.totalCents)}</dd>
          </div>
        </dl>
        <div className="actions">
          <button type="button" disabled={!canOrder} onClick={() => go({ name: 'newOrder' })}>
            {t.customerOrder} <kbd>F7</kbd>
          </button>
          <button type="button" className="primary" disabled={cart.lines.length === 0} onClick={() => openPayment('cash')}>
            {t.payCash} <kbd>F8</kbd>
          </button>
          <button type="button" className="primary" disabled={cart.lines.length === 0} onClick={() => openPayment('card')}>
            {t.payCard} <kbd>F9</kbd>
          </button>
        </div>
      </section>
      {payment && <Payment kind={payment.kind} totalCents={totals.totalCents} />}
      {pending && <ApprovalDialog pending={pending} line={cart.lines.find((l) => l.productId === pending.productId)} onClose={() => setPending(null)} />}
    </main>
  );
}

/**
 * A line's quantity as typed. A higher quantity applies at once; a lower one is a void, asked
 * when the cashier is done typing (Enter, or leaving the field), so typing "12" over "2" passes
 * through "1" without asking a manager.
 */
function QuantityInput({ line, onRaise, onLower }: { line: CartLine; onRaise(quantity: number): void; onLower(quantity: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (): void => {
    if (draft === null) return;
    setDraft(null);
    const n = Number(draft);
    if (draft.trim() !== '' && Number.isSafeInteger(n) && n >= 1 && n < line.quantity) onLower(n);
    // Not a quantity at all: the cart says why (and stays as it was).
    else if (n !== line.quantity) onRaise(n);
  };
  return (
    <input
      type="number"
      min={1}
      max={9999}
      aria-label={t.quantityFor(line.name)}
      value={draft ?? line.quantity}
      onChange={(e) => {
        const v = e.target.value;
        const n = Number(v);
        if (v.trim() !== '' && Number.isSafeInteger(n) && n > line.quantity) {
          setDraft(null);
          onRaise(n);
        } else setDraft(v);
      }}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}

/** The manager's approval of a pending change: a new price (typed here), or a void. */
function ApprovalDialog({ pending, line, onClose }: { pending: Pending; line: CartLine | undefined; onClose(): void }) {
  const { voidItems, overridePrice } = useSale();
  const [priceText, setPriceText] = useState('');
  // The line went meanwhile (nothing else can take it off while the dialog is open, but be sure).
  useEffect(() => {
    if (!line) onClose();
  }, [line, onClose]);
  if (!line) return null;

  const attempt = (change: () => void): string | null => {
    try {
      change();
      onClose();
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };

  if (pending.kind === 'void') {
    const quantity = line.quantity - pending.quantity;
    return (
      <ManagerApproval
        label={t.voidTitle(line.name)}
        intro={t.voidIntro(quantity, line.name, euro(quantity * line.unitPriceCents))}
        onApproved={(a) => attempt(() => voidItems(line.productId, pending.quantity, { managerId: a.managerId, reason: a.reason }))}
        onClose={onClose}
      />
    );
  }

  const cents = parseCents(priceText);
  const problem = priceText.trim() === '' ? null : cents === null ? t.notAPrice : cents === line.unitPriceCents ? t.samePrice : null;
  return (
    <ManagerApproval
      label={t.changePriceTitle(line.name)}
      intro={t.changePriceIntro(line.name, euro(line.unitPriceCents))}
      ready={cents !== null && problem === null}
      onApproved={(a) => attempt(() => overridePrice(line.productId, cents ?? line.unitPriceCents, { managerId: a.managerId, reason: a.reason }))}
      onClose={onClose}
    >
      <Field label={t.newPrice} hint={problem ?? undefined}>
        <input value={priceText} onChange={(e) => setPriceText(e.target.value)} inputMode="decimal" autoComplete="off" autoFocus />
      </Field>
    </ManagerApproval>
  );
}
