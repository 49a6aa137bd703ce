import { useCallback, useEffect, useRef, useState } from 'react';
import { openRegister } from '../sync/client/index.ts';
import type { Enrolled, RegisterIdentity } from '../sync/client/index.ts';
import { getHost } from './bridge/index.ts';
import type { RegisterConfig } from './bridge/types.ts';
import { t, useLanguage } from './i18n.ts';
import { useIdleLock } from './idle.ts';
import { Enrol } from './screens/Enrol.tsx';
import { EndOfDay } from './screens/EndOfDay.tsx';
import { FirstSync } from './screens/FirstSync.tsx';
import { NewOrder } from './screens/orders/NewOrder.tsx';
import { OrderCreated } from './screens/orders/OrderCreated.tsx';
import { OrderScreen } from './screens/orders/OrderScreen.tsx';
import { Orders } from './screens/orders/Orders.tsx';
import { PickupReceipt } from './screens/orders/PickupReceipt.tsx';
import { Receipt } from './screens/Receipt.tsx';
import { ReturnReceipt } from './screens/returns/ReturnReceipt.tsx';
import { Returns } from './screens/returns/Returns.tsx';
import { Sell } from './screens/Sell.tsx';
import { OpenShift } from './screens/shift/OpenShift.tsx';
import { ShiftScreen } from './screens/shift/ShiftScreen.tsx';
import { ZReport } from './screens/shift/ZReport.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { StatusLine } from './screens/StatusLine.tsx';
import { Support } from './screens/Support.tsx';
import { useNav, useOperator, useSale, useSession, useShift } from './state.ts';

const host = getHost();

/** What the register keeps of an enrolment: the enrolment token is used once, only the register's own is kept. */
function configOf(enrolled: Enrolled): RegisterConfig {
  return {
    hqUrl: enrolled.hqUrl,
    storeId: enrolled.storeId,
    registerId: enrolled.registerId,
    registerToken: enrolled.registerToken,
    tokenExpiresAt: enrolled.expiresAt,
  };
}

function identityOf(c: RegisterConfig): RegisterIdentity | null {
  return c.hqUrl && c.storeId && c.registerId && c.registerToken
    ? {
        hqUrl: c.hqUrl,
        storeId: c.storeId,
        registerId: c.registerId,
        registerToken: c.registerToken,
        ...(c.tokenExpiresAt ? { tokenExpiresAt: c.tokenExpiresAt } : {}),
      }
    : null;
}

export function App() {
  const [config, setConfig] = useState<RegisterConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [storeName, setStoreName] = useState('');
  const { client, status, setClient, setStatus } = useSession();
  const receipt = useSale((s) => s.receipt);
  const nav = useNav((s) => s.screen);
  const go = useNav((s) => s.go);
  // Every screen reads `t` while it renders: a new language re-renders the whole register.
  useLanguage((s) => s.language);
  const { operator, locked, lock, signOut } = useOperator();
  const { shift, refresh: refreshShift } = useShift();
  useIdleLock(operator !== null && !locked, lock);

  // The shift open at this register, read once the register is open (and after a sign-in).
  useEffect(() => {
    if (client && operator) void refreshShift(client);
  }, [client, operator, refreshShift]);

  useEffect(() => {
    void host.readConfig().then(setConfig, (e: unknown) => setError(String(e)));
  }, []);

  const open = useCallback(
    async (identity: RegisterIdentity & { lastSequence?: number; lastHash?: string | null }) => {
      try {
        const c = await openRegister(identity, {
          // Keep a renewed token where the register's configuration lives, before using it.
          onTokenRenewed: async (renewed) => {
            const current = await host.readConfig();
            await host.writeConfig({ ...current, registerToken: renewed.registerToken, tokenExpiresAt: renewed.expiresAt });
          },
        });
        c.subscribeStatus(setStatus);
        c.subscribeReplica(useSession.getState().replicaChanged);
        setClient(c);
      } catch (e) {
        setError(t.databaseNotOpened((e as Error).message));
      }
    },
    [setClient, setStatus],
  );

  // The store's name arrives with the first sync; look again whenever a sync completes.
  const lastSyncAt = status?.lastSyncAt;
  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.store().then((store) => {
      if (live) setStoreName(store ? `${store.name}, ${store.town}` : t.storeNo(client.identity.storeId));
    });
    return () => {
      live = false;
    };
  }, [client, lastSyncAt]);

  // While the register is enrolled again (Support), it is closed and opened by that, not here.
  const reopening = useRef(false);
  useEffect(() => {
    const identity = config ? identityOf(config) : null;
    if (identity && !client && !reopening.current) void open(identity);
  }, [config, client, open]);

  const onEnrolled = useCallback(
    async (enrolled: Enrolled) => {
      const next = configOf(enrolled);
      await host.writeConfig(next);
      await open(enrolled);
      setConfig(next);
    },
    [open],
  );

  /**
   * Enrolled again from the Support screen (HQ withdrew the token, or it expired): the new token
   * is kept first, then the register is closed and opened again with it, on the same replica,
   * so records still waiting go out with the new token.
   */
  const onReenrolled = useCallback(
    async (enrolled: Enrolled) => {
      const next = configOf(enrolled);
      const old = useSession.getState().client;
      reopening.current = true;
      try {
        await host.writeConfig(next);
        setClient(null);
        await old?.close().catch(() => undefined);
        await open(enrolled);
        setConfig(next);
      } finally {
        reopening.current = false;
      }
    },
    [open, setClient],
  );

  let screen;
  if (error) {
    screen = (
      <main className="panel narrow">
        <h1>{t.appTitle}</h1>
        <p role="alert" className="error">
          {error}
        </p>
      </main>
    );
  } else if (!config) {
    screen = <main className="panel narrow">{t.loading}</main>;
  } else if (!identityOf(config)) {
    screen = <Enrol preset={config} onEnrolled={(i) => void onEnrolled(i)} />;
  } else if (!client || !status) {
    screen = <main className="panel narrow">{t.openingRegister}</main>;
  } else if (!status.firstSync.done) {
    screen = <FirstSync />;
  } else if (!operator || locked) {
    screen = <SignIn />;
  } else if (shift === undefined) {
    screen = <main className="panel narrow">{t.loading}</main>;
  } else if (nav.name === 'zReport') {
    screen = <ZReport closed={nav.closed} storeName={storeName} />;
  } else if (nav.name === 'endOfDay') {
    // Also without a shift open: the last Z report is made before the day closes.
    screen = <EndOfDay />;
  } else if (shift === null) {
    screen = <OpenShift />;
  } else if (receipt) {
    screen = <Receipt sale={receipt} storeName={storeName} />;
  } else if (nav.name === 'newOrder') {
    screen = <NewOrder />;
  } else if (nav.name === 'orderCreated') {
    screen = <OrderCreated view={nav.view} storeName={storeName} />;
  } else if (nav.name === 'orders') {
    screen = <Orders />;
  } else if (nav.name === 'order') {
    // A new screen per order: nothing of one order carries over to the next.
    screen = <OrderScreen key={nav.orderNo} orderNo={nav.orderNo} {...(nav.initial ? { initial: nav.initial } : {})} />;
  } else if (nav.name === 'pickupReceipt') {
    screen = <PickupReceipt view={nav.view} eventId={nav.eventId} storeName={storeName} />;
  } else if (nav.name === 'returns') {
    screen = <Returns />;
  } else if (nav.name === 'returnReceipt') {
    screen = <ReturnReceipt ret={nav.ret} storeName={storeName} />;
  } else if (nav.name === 'support') {
    screen = <Support onReenrolled={onReenrolled} />;
  } else if (nav.name === 'shift') {
    screen = <ShiftScreen storeName={storeName} />;
  } else {
    screen = <Sell />;
  }
  // Open, synced and signed in: the screens below the sign-in.
  const signedIn = Boolean(client && status?.firstSync.done && !error && operator && !locked);
  const working = signedIn && Boolean(shift);
  const onSaleScreen = working && !receipt && nav.name === 'sale';
  // A manager closes the day from the sale screen, or from the open-shift screen once the last
  // shift is closed (its Z report shown and left).
  const onOpenShiftScreen = signedIn && shift === null && nav.name !== 'zReport' && nav.name !== 'endOfDay';
  const canCloseDay = (onSaleScreen || onOpenShiftScreen) && operator?.role === 'manager';

  return (
    <div className="app">
      <header className="topbar no-print">
        <strong>{t.appTitle}</strong>
        {client && <span>{storeName || client.identity.storeId}</span>}
        {client && <span>{t.registerNo(client.identity.registerId)}</span>}
        {operator && !locked && (
          <span data-testid="operator">
            {operator.name} ({operator.operatorId})
          </span>
        )}
        {(onSaleScreen || canCloseDay) && (
          <nav className="topbar-nav">
            {onSaleScreen && (
              <>
                <button type="button" className="topbar-btn" onClick={() => go({ name: 'shift' })}>
                  {t.shiftBtn} <kbd>F3</kbd>
                </button>
                <button type="button" className="topbar-btn" onClick={() => go({ name: 'orders' })}>
                  {t.orders} <kbd>F6</kbd>
                </button>
                <button type="button" className="topbar-btn" onClick={() => go({ name: 'returns' })}>
                  {t.returnBtn} <kbd>F10</kbd>
                </button>
                <button type="button" className="topbar-btn" onClick={() => go({ name: 'support' })}>
                  {t.support}
                </button>
              </>
            )}
            {canCloseDay && (
              <button type="button" className="topbar-btn" onClick={() => go({ name: 'endOfDay' })}>
                {t.endOfDay}
              </button>
            )}
            {onSaleScreen && (
              <>
                <button type="button" className="topbar-btn" onClick={lock}>
                  {t.lock} <kbd>F4</kbd>
                </button>
                <button type="button" className="topbar-btn" onClick={signOut}>
                  {t.signOut}
                </button>
              </>
            )}
          </nav>
        )}
      </header>
      {screen}
      <div className="no-print status-dock">
        <StatusLine />
      </div>
    </div>
  );
}
