import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { BLIND_RETURN_POLICY, type ReturnInputLine, type ReturnReason, planBlindRefund } from '../../../src/returns.ts';
import type { ProductHit } from '../../../sync/client/index.ts';
import { errorText } from '../../errors.ts';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { operatorId, useNav, useReturn, useSession } from '../../state.ts';
import { ManagerDialog } from '../orders/ManagerDialog.tsx';
import { ReasonSelect, RefundPlan } from './parts.tsx';
import { useTypeTo } from './typeTo.ts';

const CODE = /^\d{6,14}$/;

/** "2" → 2; anything that is not 1…9999 → NaN. */
function quantityOf(text: string): number {
  const s = text.trim();
  return /^\d{1,4}$/.test(s) && Number(s) >= 1 ? Number(s) : Number.NaN;
}

/**
 * A return without a receipt: the products found by search or scan, at today's price, a reason
 * each, paid as store credit or cash (up to the chain's limit, the rest store credit), approved
 * by a manager, and flagged for review at HQ.
 */
export function BlindReturn() {
  const client = useSession((s) => s.client);
  const replicaVersion = useSession((s) => s.replicaVersion);
  const go = useNav((s) => s.go);
  const { draft, addBlind, setBlind, removeBlind, setPayAs, setApproval, backToLookup, clearReturn } = useReturn();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ProductHit[]>([]);
  const [searched, setSearched] = useState('');
  const [active, setActive] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [dialog, setDialog] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const q = query.trim();

  useEffect(() => {
    if (!client) return;
    const text = query.trim();
    let live = true;
    const timer = setTimeout(() => {
      if (!text) {
        setResults([]);
        setSearched('');
        return;
      }
      // The whole released catalog: what comes back need not be in this store's assortment.
      void client.searchProducts(text, 10, 'catalog').then(
        (r) => {
          if (!live) return;
          setResults(r);
          setSearched(text);
          setActive(0);
        },
        () => live && setResults([]),
      );
    }, 60);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, query, replicaVersion]);

  const add = (p: ProductHit): void => {
    addBlind({ productId: p.id, itemNumber: p.itemNumber, barcode: p.barcode, name: p.name, unitPriceCents: p.priceCents, vat: p.vat });
    setQuery('');
    setResults([]);
    setSearched('');
    setMessage(null);
    field.current?.focus();
  };

  const addByCode = async (code: string): Promise<void> => {
    if (!client) return;
    const hit = await client.findByCode(code);
    if (hit) add(hit);
    else {
      setMessage(t.unknownBarcode(code));
      setQuery('');
    }
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (CODE.test(q)) void addByCode(q);
      else if (searched === q && results[active]) add(results[active]);
    }
  };

  const rows = draft.blindLines.map((line) => {
    const qty = quantityOf(line.quantity);
    return { line, qty: Number.isNaN(qty) ? 0 : qty, ok: !Number.isNaN(qty) };
  });
  const problems: string[] = [];
  for (const r of rows) {
    if (!r.ok) problems.push(t.badBlindQuantity(r.line.name));
    else if (!r.line.reason) problems.push(t.needReturnReason(r.line.name));
  }
  if (rows.length === 0) problems.push(t.noBlindLines);
  const total = rows.reduce((s, r) => s + r.line.unitPriceCents * r.qty, 0);
  const refunds = planBlindRefund(total, draft.payAs === 'cash');
  // What the manager approves: these lines, at these prices, paid this way.
  const key = JSON.stringify({ lines: rows.map((r) => [r.line.productId, r.qty, r.line.unitPriceCents, r.line.reason]), payAs: draft.payAs });
  const approval = draft.approval && draft.approval.forKey === key ? draft.approval : null;
  const ready = problems.length === 0 && !busy;

  const complete = async (): Promise<void> => {
    if (!client || !ready || !approval) return;
    setBusy(true);
    setError(null);
    const lines: ReturnInputLine[] = rows.map((r) => ({
      originalLineNo: null,
      productId: r.line.productId,
      itemNumber: r.line.itemNumber,
      barcode: r.line.barcode,
      name: r.line.name,
      quantity: r.qty,
      unitPriceCents: r.line.unitPriceCents,
      vat: r.line.vat,
      reason: r.line.reason as ReturnReason,
    }));
    try {
      const ret = await client.completeReturn({ source: null, lines, refunds, approval: { managerId: approval.managerId, reason: approval.reason } }, operatorId());
      clearReturn();
      go({ name: 'returnReceipt', ret });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  // F8 asks the manager first when nobody approved this return yet.
  const proceed = (): void => {
    if (!ready) return;
    if (approval) void complete();
    else setDialog(true);
  };
  useShortcuts({ Escape: () => !busy && backToLookup(), F8: proceed });
  useTypeTo(field, (ch) => setQuery((v) => v + ch), !dialog);

  return (
    <main className="order-new returns" aria-label={t.blindTitle}>
      <div className="order-main">
        <div className="row heading">
          <h1 className="grow">{t.blindTitle}</h1>
          <button type="button" onClick={backToLookup} disabled={busy}>
            {t.backToLookup} <kbd>Esc</kbd>
          </button>
        </div>
        <p className="warn review-note" data-testid="review-note">
          {t.blindNote}
        </p>
        <section className="card-box">
          <div className="search-label">
            <label htmlFor="blind-search">
              {t.findReturnProduct}
            </label>
          </div>
          <input
            id="blind-search"
            ref={field}
            type="search"
            value={query}
            placeholder={t.findReturnProductPlaceholder}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onSearchKey}
            autoFocus
            autoComplete="off"
          />
          {message && (
            <p role="alert" className="error">
              {message}
            </p>
          )}
          {q && searched === q && results.length === 0 && (
            <p className="muted">
              {t.noProductsMatch} “{q}”.
            </p>
          )}
          {q && results.length > 0 && (
            <ul className="results blind-results" aria-label={t.results}>
              {results.map((p, i) => (
                <li key={p.id} className={i === active ? 'active' : ''}>
                  <button type="button" onClick={() => add(p)} aria-label={t.addToReturn(p.name)}>
                    <span className="name">{p.name}</span>
                    <span className="meta">
                      {p.itemNumber} · {p.barcode ?? '—'}
                    </span>
                    <span className="price">{euro(p.priceCents)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card-box" aria-labelledby="blind-lines-h">
          <h2 id="blind-lines-h">{t.lines}</h2>
          {rows.length === 0 ? (
            <p className="muted">{t.noBlindLines}</p>
          ) : (
            <table className="return-lines">
              <thead>
                <tr>
                  <th scope="col">{t.product}</th>
                  <th scope="col" className="num">
                    {t.todaysPrice}
                  </th>
                  <th scope="col">{t.returnQuantity}</th>
                  <th scope="col">{t.reason}</th>
                  <th scope="col" className="num">
                    {t.amount}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t.removeCol}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ line: l, qty, ok }) => (
                  <tr key={l.productId} data-testid={`blind-line-${l.productId}`}>
                    <td>
                      {l.name}
                      <div className="muted small">{l.itemNumber}</div>
                    </td>
                    <td className="num">{euro(l.unitPriceCents)}</td>
                    <td>
                      <input
                        className="qty-input"
                        type="number"
                        min={1}
                        max={9999}
                        step={1}
                        inputMode="numeric"
                        aria-label={t.returnQuantityFor(l.name)}
                        aria-invalid={!ok}
                        value={l.quantity}
                        disabled={busy}
                        onChange={(e) => setBlind(l.productId, { quantity: e.target.value })}
                      />
                    </td>
                    <td>
                      <ReasonSelect name={l.name} value={l.reason} required disabled={busy} onChange={(reason) => setBlind(l.productId, { reason })} />
                    </td>
                    <td className="num">{euro(l.unitPriceCents * qty)}</td>
                    <td>
                      <button type="button" className="link" aria-label={t.removeFromReturn(l.name)} onClick={() => removeBlind(l.productId)} disabled={busy}>
                        ✕
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <aside className="card-box order-summary" aria-label={t.refundPlan}>
        <h2>{t.refundPlan}</h2>
        <fieldset className="pay-as">
          <legend>{t.payAs}</legend>
          <label>
            <input type="radio" name="pay-as" value="storeCredit" checked={draft.payAs === 'storeCredit'} onChange={() => setPayAs('storeCredit')} />
            {t.payAsStoreCredit}
          </label>
          <label>
            <input type="radio" name="pay-as" value="cash" checked={draft.payAs === 'cash'} onChange={() => setPayAs('cash')} />
            {t.payAsCash(euro(BLIND_RETURN_POLICY.cashLimitCents))}
          </label>
        </fieldset>
        <RefundPlan totalCents={total} refunds={total > 0 ? refunds : []} />
        {approval ? (
          <p className="approved row" data-testid="return-approval">
            <span className="grow">{t.returnApproved(approval.name, approval.managerId, approval.reason)}</span>
            <button type="button" className="link" onClick={() => setApproval(null)}>
              {t.removeApproval}
            </button>
          </p>
        ) : (
          <button type="button" className="wide-btn" disabled={!ready} onClick={() => setDialog(true)}>
            {t.managerApproval}
          </button>
        )}
        {problems.length > 0 && (
          <ul className="problems" aria-live="polite">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {ready && !approval && <p className="muted">{t.needManager}</p>}
        {error && !dialog && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions stack">
          <button type="button" className="primary" disabled={!ready || !approval} onClick={() => void complete()}>
            {busy ? t.completing : t.completeReturn} <kbd>F8</kbd>
          </button>
        </div>
      </aside>

      {dialog && (
        <ManagerDialog
          depositCents={total}
          requiredCents={0}
          intro={t.managerIntroReturn(euro(total))}
          onApproved={(a) => {
            setApproval({ managerId: a.managerId, name: a.name, reason: a.reason, forKey: key });
            setDialog(false);
          }}
          onClose={() => setDialog(false)}
        />
      )}
    </main>
  );
}
