import { type KeyboardEvent, useEffect, useState } from 'react';
import type { CartLine } from '../../../src/cart.ts';
import { centsToInput, parseCents } from '../../../src/money.ts';
import { type Address, type Customer, type Fulfilment, type NewOrderLine, type OrderSettings, orderDue } from '../../../src/order.ts';
import type { TenderInput } from '../../../src/sale.ts';
import type { Availability } from '../../../sync/client/index.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { TenderForm } from '../../components/TenderForm.tsx';
import { errorText } from '../../errors.ts';
import { distance, euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useShortcuts } from '../../keys.ts';
import { EMPTY_ADDRESS, type FulfilmentChoice as Choice, useNav, operatorId, useOrderDraft, useSale, useSession } from '../../state.ts';
import { ManagerDialog, type DepositApproval } from './ManagerDialog.tsx';
import { addressText, percent } from './places.ts';

function sameAddress(a: Address, b: Address): boolean {
  return a.street === b.street && a.postcode === b.postcode && a.town === b.town && a.country === b.country;
}

/** Ship from: a warehouse that has enough, else any location that has enough, else the one with most. */
function defaultShipFrom(rows: readonly Availability[], quantity: number): string | undefined {
  const enough = rows.filter((r) => (r.available ?? 0) >= quantity);
  const best = enough.find((r) => r.kind === 'warehouse') ?? enough[0] ?? [...rows].sort((a, b) => (b.available ?? 0) - (a.available ?? 0))[0];
  return best?.locationId;
}

function locationOption(r: Availability): string {
  const parts = [`${r.town} — ${r.name}`];
  if (r.here) parts.push(t.thisStore);
  else if (r.kind === 'warehouse') parts.push(t.warehouse);
  parts.push(t.availableAt(r.available));
  if (!r.here && r.distanceMetres !== null) parts.push(distance(r.distanceMetres));
  return parts.join(' · ');
}

/** The new customer order made of the cart: customer, a fulfilment per line, deposit, payment. */
export function NewOrder() {
  const client = useSession((s) => s.client);
  const replicaVersion = useSession((s) => s.replicaVersion);
  const cart = useSale((s) => s.cart);
  const newSale = useSale((s) => s.newSale);
  const go = useNav((s) => s.go);
  const here = client?.identity.storeId ?? '';

  const [settings, setSettings] = useState<OrderSettings | null>(null);
  const [avail, setAvail] = useState<Record<string, Availability[]>>({});

  // The customer, the choices and the deposit are a draft that outlives this screen (state.ts).
  const { draft, setDraft } = useOrderDraft();
  const { known, name, phone, email, address, choices, depositText } = draft;
  const setName = (v: string): void => setDraft({ name: v });
  const setPhone = (v: string): void => setDraft({ phone: v });
  const setEmail = (v: string): void => setDraft({ email: v });
  const setAddress = (v: Address): void => setDraft({ address: v });
  const setDepositText = (v: string | null): void => setDraft({ depositText: v });

  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Customer[]>([]);
  const [activeHit, setActiveHit] = useState(0);

  const [approval, setApproval] = useState<DepositApproval | null>(null);

  const [dialog, setDialog] = useState<null | 'manager' | 'cash' | 'card'>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.orderSettings().then(
      (s) => live && setSettings(s),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  const productIds = cart.lines.map((l) => l.productId).join(',');
  useEffect(() => {
    if (!client || !productIds) return;
    let live = true;
    const ids = productIds.split(',');
    void Promise.all(ids.map((id) => client.availability(id))).then(
      (rows) => {
        if (live) setAvail(Object.fromEntries(ids.map((id, i) => [id, rows[i]!])));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, productIds, replicaVersion]);

  useEffect(() => {
    if (!client) return;
    const q = query.trim();
    let live = true;
    const timer = setTimeout(() => {
      if (!q) {
        setFound([]);
        return;
      }
      void client.findCustomers(q, 8).then(
        (r) => {
          if (live) {
            setFound(r);
            setActiveHit(0);
          }
        },
        () => live && setFound([]),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, query]);

  const pickCustomer = (c: Customer): void => {
    setDraft({ known: c, name: c.name, phone: c.phone ?? '', email: c.email ?? '', address: c.addresses[0] ?? EMPTY_ADDRESS });
    setQuery('');
    setFound([]);
    document.querySelector<HTMLInputElement>('[data-testid="customer-name"]')?.focus();
  };

  const onCustomerKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActiveHit((a) => Math.min(a + 1, found.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActiveHit((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const c = found[activeHit];
      if (c) pickCustomer(c);
    }
  };

  const modes = settings?.deliveryModes ?? [];
  const addressComplete = Boolean(address.street.trim() && address.postcode.trim() && address.town.trim());
  const cleanAddress: Address = {
    street: address.street.trim(),
    postcode: address.postcode.trim().toUpperCase(),
    town: address.town.trim(),
    country: address.country.trim().toUpperCase() || 'NL',
  };

  /** The choice for a line with its defaults filled in. */
  const choiceOf = (l: CartLine): Required<Choice> => {
    const c = choices[l.productId] ?? {};
    const rows = avail[l.productId] ?? [];
    return {
      mode: c.mode ?? 'pickup',
      pickupStoreId: c.pickupStoreId ?? here,
      shipFromId: c.shipFromId ?? defaultShipFrom(rows, l.quantity) ?? '',
      deliveryModeId: c.deliveryModeId ?? modes[0]?.id ?? '',
    };
  };
  const choose = (productId: string, patch: Choice): void => setDraft((d) => ({ choices: { ...d.choices, [productId]: { ...d.choices[productId], ...patch } } }));

  const problems: string[] = [];
  if (!name.trim()) problems.push(t.needName);
  const lines: NewOrderLine[] = cart.lines.map((l) => {
    const c = choiceOf(l);
    // A manager's price override is recorded on a sale only: an order takes shelf prices.
    if (l.priceOverride) problems.push(t.orderPriceChanged(l.name));
    let fulfilment: Fulfilment;
    if (c.mode === 'carry') fulfilment = { mode: 'carry' };
    else if (c.mode === 'pickup') {
      if (!c.pickupStoreId) problems.push(t.needPickupStore(l.name));
      fulfilment = { mode: 'pickup', storeId: c.pickupStoreId };
    } else {
      const dm = modes.find((m) => m.id === c.deliveryModeId);
      if (!c.shipFromId) problems.push(t.needShipFrom(l.name));
      if (!dm) problems.push(t.needDeliveryMode(l.name));
      fulfilment = { mode: 'ship', fromLocationId: c.shipFromId, address: cleanAddress, deliveryMode: c.deliveryModeId, chargeCents: dm?.chargeCents ?? 0 };
    }
    return {
      productId: l.productId,
      itemNumber: l.itemNumber,
      barcode: l.barcode,
      name: l.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      vat: l.vat,
      outOfAssortment: l.outOfAssortment,
      fulfilment,
    };
  });
  const anyShip = lines.some((l) => l.fulfilment.mode === 'ship');
  if (anyShip && !addressComplete) problems.push(t.needAddress);

  const due = orderDue(lines, { depositBp: settings?.depositBp ?? 0 });
  const required = due.depositRequiredCents;
  const depositCents = due.pickupCents === 0 ? 0 : depositText === null ? required : parseCents(depositText);
  const belowRequired = depositCents !== null && depositCents < required;
  const approved = belowRequired && approval !== null && approval.forCents === depositCents;
  if (depositCents === null) problems.push(t.depositNotAmount);
  else if (depositCents > due.pickupCents) problems.push(t.depositTooHigh(euro(due.pickupCents)));
  else if (belowRequired && !approved) problems.push(t.depositBelowRequired(euro(required)));
  if (!settings) problems.push(t.loading);
  const payNow = due.fullCents + (depositCents ?? 0);
  const ready = problems.length === 0 && cart.lines.length > 0 && !busy;

  const create = async (tenders: TenderInput[]): Promise<void> => {
    if (!client || !ready || depositCents === null) return;
    setBusy(true);
    setError(null);
    const addresses = addressComplete ? [cleanAddress] : [];
    for (const a of known?.addresses ?? []) if (!addresses.some((b) => sameAddress(a, b))) addresses.push(a);
    const customer: Customer = { name: name.trim(), phone: phone.trim() || null, email: email.trim() || null, addresses };
    try {
      const view = await client.createOrder(
        {
          customer,
          lines,
          depositCents,
          override: approved && approval ? { managerId: approval.managerId, reason: approval.reason } : null,
          tenders,
        },
        operatorId(),
      );
      // The cart became the order: it must not be sold or ordered a second time.
      newSale();
      go({ name: 'orderCreated', view });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  const pay = (kind: 'cash' | 'card'): void => {
    if (!ready) return;
    if (payNow === 0) void create([]);
    else setDialog(kind);
  };

  useShortcuts({
    Escape: () => go({ name: 'sale' }),
    F8: () => pay('cash'),
    F9: () => pay('card'),
  });

  if (cart.lines.length === 0) {
    return (
      <main className="panel narrow">
        <h1>{t.newOrderTitle}</h1>
        <p className="muted">{t.emptyCart}</p>
        <div className="actions">
          <button type="button" onClick={() => go({ name: 'sale' })} autoFocus>
            {t.backToSale} <kbd>Esc</kbd>
          </button>
        </div>
      </main>
    );
  }

  return (
    <main className="order-new" aria-label={t.newOrderTitle}>
      <div className="order-main">
        <div className="row heading">
          <h1 className="grow">{t.newOrderTitle}</h1>
          <button type="button" onClick={() => go({ name: 'sale' })}>
            {t.backToSale} <kbd>Esc</kbd>
          </button>
        </div>

        <section className="card-box" aria-labelledby="order-customer-h">
          <h2 id="order-customer-h">{t.customer}</h2>
          <Field label={t.findCustomer}>
            <input
              type="search"
              value={query}
              placeholder={t.findCustomerPlaceholder}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={onCustomerKey}
              autoFocus
            />
          </Field>
          {query.trim() && found.length === 0 && <p className="muted">{t.noKnownCustomer}</p>}
          {found.length > 0 && (
            <ul className="results customers" aria-label={t.knownCustomers}>
              {found.map((c, i) => (
                <li key={`${c.name}|${c.phone ?? ''}|${c.email ?? ''}|${i}`} className={i === activeHit ? 'active' : ''}>
                  <button type="button" onClick={() => pickCustomer(c)} aria-label={t.chooseCustomer(c.name)}>
                    <span className="name">{c.name}</span>
                    <span className="meta">
                      {[c.phone, c.email, c.addresses[0] ? addressText(c.addresses[0]) : null].filter(Boolean).join(' · ')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {known && (
            <p className="row known">
              <span className="grow">{t.customerChosen(known.name)}</span>
              <button
                type="button"
                onClick={() => setDraft({ known: null, name: '', phone: '', email: '', address: EMPTY_ADDRESS })}
              >
                {t.newCustomer}
              </button>
            </p>
          )}
          <div className="form-grid">
            <Field label={t.customerName} className="wide" required>
              <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" aria-required="true" data-testid="customer-name" />
            </Field>
            <Field label={t.phone}>
              <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" />
            </Field>
            <Field label={t.email}>
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
            </Field>
            {known && known.addresses.length > 1 && (
              <Field label={t.knownAddress} className="wide">
                <select
                  value={known.addresses.findIndex((a) => sameAddress(a, address))}
                  onChange={(e) => {
                    const i = Number(e.target.value);
                    setAddress(known.addresses[i] ?? EMPTY_ADDRESS);
                  }}
                >
                  {known.addresses.map((a, i) => (
                    <option key={i} value={i}>
                      {addressText(a)}
                    </option>
                  ))}
                  <option value={-1}>{t.anotherAddress}</option>
                </select>
              </Field>
            )}
            <Field label={t.street} required={anyShip} className="wide">
              <input value={address.street} onChange={(e) => setAddress({ ...address, street: e.target.value })} autoComplete="off" />
            </Field>
            <Field label={t.postcode} required={anyShip}>
              <input value={address.postcode} onChange={(e) => setAddress({ ...address, postcode: e.target.value })} autoComplete="off" />
            </Field>
            <Field label={t.town} required={anyShip}>
              <input value={address.town} onChange={(e) => setAddress({ ...address, town: e.target.value })} autoComplete="off" />
            </Field>
            <Field label={t.country}>
              <input value={address.country} onChange={(e) => setAddress({ ...address, country: e.target.value })} maxLength={2} size={3} autoComplete="off" />
            </Field>
          </div>
        </section>

        <section className="card-box" aria-labelledby="order-lines-h">
          <h2 id="order-lines-h">{t.lines}</h2>
          {cart.lines.map((l, i) => {
            const c = choiceOf(l);
            const rows = avail[l.productId] ?? [];
            const stores = rows.filter((r) => r.kind === 'store');
            const pickRow = rows.find((r) => r.locationId === c.pickupStoreId);
            const shipRow = rows.find((r) => r.locationId === c.shipFromId);
            const line = lines[i]!;
            const modeLabel = { carry: t.takeNow, pickup: t.pickUpAt, ship: t.ship } as const;
            const short = (r: Availability | undefined): boolean => r !== undefined && (r.available ?? 0) < l.quantity;
            return (
              <fieldset key={l.productId} className="fulfil">
                <legend>
                  {l.quantity} × {l.name} <span className="muted">{euro(l.unitPriceCents * l.quantity)}</span>
                </legend>
                <div className="modes" role="radiogroup" aria-label={`${t.fulfilment}: ${l.name}`}>
                  {(['carry', 'pickup', 'ship'] as const).map((m) => (
                    <label key={m}>
                      <input
                        type="radio"
                        name={`fulfil-${i}`}
                        value={m}
                        checked={c.mode === m}
                        disabled={m === 'ship' && modes.length === 0}
                        onChange={() => choose(l.productId, { mode: m })}
                        aria-label={t.modeLabel(modeLabel[m], l.name)}
                      />
                      {modeLabel[m]}
                    </label>
                  ))}
                </div>
                {c.mode === 'pickup' && (
                  <div className="row wrap">
                    <select
                      aria-label={t.modeLabel(t.pickupStore, l.name)}
                      value={c.pickupStoreId}
                      onChange={(e) => choose(l.productId, { pickupStoreId: e.target.value })}
                    >
                      {stores.length === 0 && <option value={here}>{t.thisStore}</option>}
                      {stores.map((r) => (
                        <option key={r.locationId} value={r.locationId}>
                          {locationOption(r)}
                        </option>
                      ))}
                    </select>
                    {short(pickRow) && pickRow && <span className="warn">{t.onlyAvailable(pickRow.available, pickRow.name)}</span>}
                  </div>
                )}
                {c.mode === 'ship' && (
                  <div className="ship">
                    <select aria-label={t.modeLabel(t.shipFrom, l.name)} value={c.shipFromId} onChange={(e) => choose(l.productId, { shipFromId: e.target.value })}>
                      {rows.map((r) => (
                        <option key={r.locationId} value={r.locationId}>
                          {locationOption(r)}
                        </option>
                      ))}
                    </select>
                    <select
                      aria-label={t.modeLabel(t.deliveryMode, l.name)}
                      value={c.deliveryModeId}
                      onChange={(e) => choose(l.productId, { deliveryModeId: e.target.value })}
                    >
                      {modes.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name} — {euro(m.chargeCents)}
                        </option>
                      ))}
                    </select>
                    {short(shipRow) && shipRow && <span className="warn">{t.onlyAvailable(shipRow.available, shipRow.name)}</span>}
                    <p className="muted">
                      {addressComplete ? `${t.shipTo(addressText(cleanAddress), modes.find((m) => m.id === c.deliveryModeId)?.name ?? '—', shipRow ? `${shipRow.name}, ${shipRow.town}` : '—')}` : t.needAddress}
                      {line.fulfilment.mode === 'ship' && line.fulfilment.chargeCents > 0 && (
                        <>
                          {' · '}
                          {t.deliveryCharge} {euro(line.fulfilment.chargeCents)}
                        </>
                      )}
                    </p>
                  </div>
                )}
                {modes.length === 0 && settings && <p className="muted">{t.noDeliveryModes}</p>}
              </fieldset>
            );
          })}
        </section>
      </div>

      <aside className="card-box order-summary" aria-label={t.summary}>
        <h2>{t.summary}</h2>
        <dl className="totals">
          {lines.some((l) => l.fulfilment.mode === 'carry') && (
            <div>
              <dt>{t.takenNowTotal}</dt>
              <dd>{euro(lines.filter((l) => l.fulfilment.mode === 'carry').reduce((s, l) => s + l.unitPriceCents * l.quantity, 0))}</dd>
            </div>
          )}
          {anyShip && (
            <div>
              <dt>{t.shippedTotal}</dt>
              <dd>
                {euro(
                  lines.reduce((s, l) => s + (l.fulfilment.mode === 'ship' ? l.unitPriceCents * l.quantity + l.fulfilment.chargeCents : 0), 0),
                )}
              </dd>
            </div>
          )}
          {due.pickupCents > 0 && (
            <>
              <div>
                <dt>{t.pickupTotal}</dt>
                <dd>{euro(due.pickupCents)}</dd>
              </div>
              <div>
                <dt>{t.depositRequired(percent(settings?.depositBp ?? 0))}</dt>
                <dd data-testid="deposit-required">{euro(required)}</dd>
              </div>
            </>
          )}
        </dl>
        {due.pickupCents > 0 && (
          <Field label={t.deposit}>
            <input
              inputMode="decimal"
              value={depositText ?? centsToInput(required)}
              onChange={(e) => setDepositText(e.target.value)}
              data-testid="deposit"
            />
          </Field>
        )}
        {belowRequired && !approved && depositCents !== null && depositCents <= due.pickupCents && (
          <button type="button" className="wide-btn" onClick={() => setDialog('manager')}>
            {t.askManager}
          </button>
        )}
        {approved && approval && (
          <p className="approved row" data-testid="deposit-approval">
            <span className="grow">
              {t.overrideApproved(approval.name, approval.managerId)}: {approval.reason}
            </span>
            <button type="button" className="link" onClick={() => setApproval(null)}>
              {t.removeApproval}
            </button>
          </p>
        )}
        <dl className="totals">
          <div className="grand">
            <dt>{t.payNow}</dt>
            <dd data-testid="pay-now">{euro(payNow)}</dd>
          </div>
          {due.pickupCents > 0 && depositCents !== null && depositCents <= due.pickupCents && (
            <div>
              <dt>{t.balanceAtPickup}</dt>
              <dd data-testid="balance-at-pickup">{euro(due.pickupCents - depositCents)}</dd>
            </div>
          )}
        </dl>
        {problems.length > 0 && (
          <ul className="problems" aria-live="polite">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {error && !dialog && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions stack">
          {payNow === 0 ? (
            <button type="button" className="primary" disabled={!ready} onClick={() => pay('cash')}>
              {t.createOrderNothingDue} <kbd>F8</kbd>
            </button>
          ) : (
            <>
              <button type="button" className="primary" disabled={!ready} onClick={() => pay('cash')}>
                {t.payCash} <kbd>F8</kbd>
              </button>
              <button type="button" className="primary" disabled={!ready} onClick={() => pay('card')}>
                {t.payCard} <kbd>F9</kbd>
              </button>
            </>
          )}
        </div>
      </aside>

      {dialog === 'manager' && depositCents !== null && (
        <ManagerDialog
          depositCents={depositCents}
          requiredCents={required}
          onApproved={(a) => {
            setApproval(a);
            setDialog(null);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {(dialog === 'cash' || dialog === 'card') && (
        <Dialog label={dialog === 'cash' ? t.payCashCreate : t.payCardCreate} onClose={() => !busy && setDialog(null)}>
          <TenderForm
            kind={dialog}
            amountCents={payNow}
            title={dialog === 'cash' ? t.payCashCreate : t.payCardCreate}
            submitLabel={t.createOrder}
            busy={busy}
            error={error}
            focusConfirm
            onPay={(tenders) => void create(tenders)}
            onCancel={() => setDialog(null)}
          />
        </Dialog>
      )}
    </main>
  );
}
