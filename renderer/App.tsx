import { useCallback, useEffect, useState } from 'react';
import { openRegister } from '../sync/client/index.ts';
import type { Enrolled, RegisterIdentity } from '../sync/client/index.ts';
import { getHost } from './bridge/index.ts';
import type { RegisterConfig } from './bridge/types.ts';
import { t } from './i18n.ts';
import { Enrol } from './screens/Enrol.tsx';
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
import { StatusLine } from './screens/StatusLine.tsx';
import { Support } from './screens/Support.tsx';
import { useNav, useSale, useSession } from './state.ts';

const host = getHost();

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
        setError(`The register's database could not be opened: ${(e as Error).message}`);
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
      if (live) setStoreName(store ? `${store.name}, ${store.town}` : `Store ${client.identity.storeId}`);
    });
    return () => {
      live = false;
    };
  }, [client, lastSyncAt]);

  useEffect(() => {
    const identity = config ? identityOf(config) : null;
    if (identity && !client) void open(identity);
  }, [config, client, open]);

  const onEnrolled = useCallback(
    async (enrolled: Enrolled) => {
      // The enrolment token is used once; the register keeps only its own token.
      const next: RegisterConfig = {
        hqUrl: enrolled.hqUrl,
        storeId: enrolled.storeId,
        registerId: enrolled.registerId,
        registerToken: enrolled.registerToken,
        tokenExpiresAt: enrolled.expiresAt,
      };
      await host.writeConfig(next);
      await open(enrolled);
      setConfig(next);
    },
    [open],
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
    screen = <main className="panel narrow">Loading…</main>;
  } else if (!identityOf(config)) {
    screen = <Enrol preset={config} onEnrolled={(i) => void onEnrolled(i)} />;
  } else if (!client || !status) {
    screen = <main className="panel narrow">Opening the register…</main>;
  } else if (!status.firstSync.done) {
    screen = <FirstSync />;
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
    screen = <Support />;
  } else {
    screen = <Sell />;
  }
  const onSaleScreen = Boolean(client && status?.firstSync.done && !error && !receipt && nav.name === 'sale');

  return (
    <div className="app">
      <header className="topbar no-print">
        <strong>{t.appTitle}</strong>
        {client && <span>{storeName || client.identity.storeId}</span>}
        {client && <span>Register {client.identity.registerId}</span>}
        {onSaleScreen && (
          <button type="button" className="topbar-btn" onClick={() => go({ name: 'orders' })}>
            {t.orders} <kbd>F6</kbd>
          </button>
        )}
        {onSaleScreen && (
          <button type="button" className="topbar-btn next" onClick={() => go({ name: 'returns' })}>
            {t.returnBtn} <kbd>F10</kbd>
          </button>
        )}
        {onSaleScreen && (
          <button type="button" className="topbar-btn next" onClick={() => go({ name: 'support' })}>
            {t.support}
          </button>
        )}
      </header>
      {screen}
      <div className="no-print">
        <StatusLine />
      </div>
    </div>
  );
}
