import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type RefundTender, type ReturnInputLine, type ReturnReason, cashRefund, planRefund } from '../../../src/returns.ts';
import type { ReturnSource } from '../../../sync/client/index.ts';
import { errorText } from '../../errors.ts';
import { dateTime, euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { operatorId, useNav, useReturn, useSession } from '../../state.ts';
import { placeName, usePlaces } from '../orders/places.ts';
import { BlindReturn } from './BlindReturn.tsx';
import { ReasonSelect, RefundPlan } from './parts.tsx';
import { useTypeTo } from './typeTo.ts';

/**
 * A return: find the original by receipt number, order number or the receipt's scanned code
 * (or take it back without a receipt), choose what comes back and why, and refund it.
 */
export function Returns() {
  const mode = useReturn((s) => s.draft.mode);
  const source = useReturn((s) => s.draft.source);
  if (mode === 'source' && source) return <SourceReturn source={source} />;
  if (mode === 'blind') return <BlindReturn />;
  return <ReturnLookup />;
}

function ReturnLookup() {
  const client = useSession((s) => s.client);
  const go = useNav((s) => s.go);
  const { draft, setQuery, showSource, startBlind, clearReturn, takePending } = useReturn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // A look-up that ends after the cashier left (Esc) must not bring its result back later.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    // Back from a source, what was typed is still there, selected: the next scan replaces it.
    field.current?.select();
    return () => {
      mounted.current = false;
    };
  }, []);

  const lookUp = async (input: string): Promise<void> => {
    const q = input.trim();
    if (!client || !q || busy) return;
    setBusy(true);
    setError(null);
    try {
      const source = await client.findReturnSource(q);
      if (mounted.current) showSource(source);
    } catch (e) {
      if (!mounted.current) return;
      setError(errorText(e));
      setBusy(false);
      // The next scan replaces what is there instead of adding to it.
      requestAnimationFrame(() => {
        field.current?.focus();
        field.current?.select();
      });
    }
  };

  // A receipt code scanned on the sale screen: look it up at once.
  const pending = draft.pending;
  const lookUpRef = useRef(lookUp);
  useLayoutEffect(() => {
    lookUpRef.current = lookUp;
  });
  useEffect(() => {
    if (!pending) return;
    takePending();
    void lookUpRef.current(useReturn.getState().draft.query);
  }, [pending, takePending]);

  const back = (): void => {
    clearReturn();
    go({ name: 'sale' });
  };
  useShortcuts({ Escape: back });
  useTypeTo(field, (ch) => {
    setError(null);
    setQuery(useReturn.getState().draft.query + ch);
  });

  return (
    <main className="panel wide-panel returns" aria-label={t.returnTitle}>
      <div className="row heading">
        <h1 className="grow">{t.returnTitle}</h1>
        <button type="button" onClick={back}>
          {t.backToSale} <kbd>Esc</kbd>
        </button>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void lookUp(draft.query);
        }}
      >
        <div className="search-label">
          <label htmlFor="return-lookup">{t.returnLookup}</label>
        </div>
        <div className="row">
          <input
            id="return-lookup"
            ref={field}
            type="search"
            value={draft.query}
            placeholder={t.returnLookupPlaceholder}
            onChange={(e) => {
              setError(null);
              setQuery(e.target.value);
            }}
            autoFocus
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" disabled={busy || !draft.query.trim()}>
            {t.lookUp}
          </button>
        </div>
      </form>
      <p className="muted">{t.returnLookupHint}</p>
      {busy && (
        <p className="muted" aria-live="polite">
          {t.lookingUp}
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="return-lookup-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={startBlind}>
          {t.returnWithoutReceipt}
        </button>
      </div>
    </main>
  );
}

/** "", "2" → 0, 2; anything else → NaN. */
function quantityOf(text: string): number {
  const s = text.trim();
  if (s === '') return 0;
  return /^\d{1,4}$/.test(s) ? Number(s) : Number.NaN;
}

function SourceReturn({ source }: { source: ReturnSource }) {
  const client = useSession((s) => s.client);
  const go = useNav((s) => s.go);
  const places = usePlaces();
  const { draft, choose, setMethod, backToLookup, clearReturn } = useReturn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const o = source.origin;

  const rows = source.lines.map((l) => {
    const choice = draft.choices[l.lineNo] ?? { quantity: '', reason: '' as const };
    const qty = quantityOf(choice.quantity);
    const ok = Number.isSafeInteger(qty) && qty >= 0 && qty <= l.returnable;
    return { line: l, choice, qty: ok ? qty : 0, ok };
  });
  const problems: string[] = [];
  for (const r of rows) {
    if (!r.ok) problems.push(t.badReturnQuantity(r.line.name, r.line.returnable));
    else if (r.qty > 0 && !r.choice.reason) problems.push(t.needReturnReason(r.line.name));
  }
  const chosen = rows.filter((r) => r.ok && r.qty > 0);
  if (chosen.length === 0) problems.push(t.needReturnLines);
  const total = chosen.reduce((s, r) => s + r.line.unitPriceCents * r.qty, 0);
  const needsMethod = source.tenders.length === 0;
  const refunds: RefundTender[] =
    total === 0
      ? []
      : needsMethod
        ? draft.method === 'card'
          ? [{ kind: 'card', amountCents: total, reference: null }]
          : [cashRefund(total)]
        : planRefund(total, source.tenders, source.priorRefunds);
  const ready = problems.length === 0 && !busy;
  const nothingLeft = source.lines.every((l) => l.returnable === 0);

  const complete = async (): Promise<void> => {
    if (!client || !ready) return;
    setBusy(true);
    setError(null);
    const lines: ReturnInputLine[] = chosen.map((r) => ({
      originalLineNo: r.line.lineNo,
      productId: r.line.productId,
      itemNumber: r.line.itemNumber,
      barcode: r.line.barcode,
      name: r.line.name,
      quantity: r.qty,
      unitPriceCents: r.line.unitPriceCents,
      vat: r.line.vat,
      reason: r.choice.reason as ReturnReason,
    }));
    try {
      const ret = await client.completeReturn({ source, lines, refunds, approval: null }, operatorId());
      clearReturn();
      go({ name: 'returnReceipt', ret });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  useShortcuts({ Escape: () => !busy && backToLookup(), F8: () => void complete() });
  const firstOpen = source.lines.find((l) => l.returnable > 0)?.lineNo;

  const title = o.kind === 'sale' ? t.originSale(o.receiptNo) : t.originOrder(o.orderNo);
  return (
    <main className="order-new returns" aria-label={t.returnTitle}>
      <div className="order-main">
        <div className="row heading">
          <h1 className="grow">
            {t.returnTitle}: <span data-testid="return-original">{title}</span>
          </h1>
          <button type="button" onClick={backToLookup} disabled={busy}>
            {t.backToLookup} <kbd>Esc</kbd>
          </button>
        </div>
        <section className="card-box" aria-labelledby="return-lines-h">
          <p className={`source${o.verifiedBy === 'replica' ? '' : ' from-hq'}`} data-testid="return-source">
            {t.verifiedBy[o.verifiedBy]}
          </p>
          {source.caveat && (
            <p className="warn" data-testid="return-caveat">
              {source.caveat}
            </p>
          )}
          <p className="muted">
            {t.soldAt(placeName(places, o.storeId), o.kind === 'sale' ? o.registerId : null, dateTime(source.createdAt))}
          </p>
          <h2 id="return-lines-h">{t.lines}</h2>
          {nothingLeft && <p className="warn">{t.nothingReturnable}</p>}
          <table className="return-lines">
            <thead>
              <tr>
                <th scope="col">{t.product}</th>
                <th scope="col" className="num">
                  {t.sold}
                </th>
                <th scope="col" className="num">
                  {t.alreadyReturned}
                </th>
                <th scope="col" className="num">
                  {t.returnable}
                </th>
                <th scope="col">{t.returnQuantity}</th>
                <th scope="col">{t.reason}</th>
                <th scope="col" className="num">
                  {t.amount}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ line: l, choice, qty, ok }) => (
                <tr key={l.lineNo} data-testid={`return-line-${l.lineNo}`} className={l.returnable === 0 ? 'done' : ''}>
                  <td>
                    {l.name}
                    <div className="muted small">
                      {l.itemNumber} · {t.each(euro(l.unitPriceCents))}
                    </div>
                  </td>
                  <td className="num">{l.quantity}</td>
                  <td className="num">{l.returned}</td>
                  <td className="num" data-testid={`returnable-${l.lineNo}`}>
                    {l.returnable}
                  </td>
                  <td>
                    <input
                      className="qty-input"
                      type="number"
                      min={0}
                      max={l.returnable}
                      step={1}
                      inputMode="numeric"
                      placeholder="0"
                      aria-label={t.returnQuantityFor(l.name)}
                      aria-invalid={!ok}
                      value={choice.quantity}
                      disabled={l.returnable === 0 || busy}
                      autoFocus={l.lineNo === firstOpen}
                      onChange={(e) => choose(l.lineNo, { quantity: e.target.value })}
                    />
                  </td>
                  <td>
                    <ReasonSelect name={l.name} value={choice.reason} required={qty > 0} disabled={l.returnable === 0 || busy} onChange={(reason) => choose(l.lineNo, { reason })} />
                  </td>
                  <td className="num">{qty > 0 ? euro(l.unitPriceCents * qty) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <aside className="card-box order-summary" aria-label={t.refundPlan}>
        <h2>{t.refundPlan}</h2>
        {needsMethod && (
          <fieldset className="scope">
            <legend>{t.refundBy}</legend>
            {(['cash', 'card'] as const).map((m) => (
              <label key={m}>
                <input type="radio" name="refund-method" value={m} checked={draft.method === m} onChange={() => setMethod(m)} />
                {m === 'cash' ? t.cash : t.card}
              </label>
            ))}
          </fieldset>
        )}
        <RefundPlan totalCents={total} refunds={refunds} />
        {problems.length > 0 && (
          <ul className="problems" aria-live="polite">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions stack">
          <button type="button" className="primary" disabled={!ready} onClick={() => void complete()}>
            {busy ? t.completing : t.completeReturn} <kbd>F8</kbd>
          </button>
        </div>
      </aside>
    </main>
  );
}
