import { useSession } from '../state.ts';
import { locale, t } from '../i18n.ts';

export function FirstSync() {
  const status = useSession((s) => s.status);
  const received = status?.firstSync.received ?? 0;
  const total = status?.firstSync.total ?? null;
  return (
    <main className="panel narrow">
      <h1>{t.firstSyncTitle}</h1>
      <p>{t.firstSyncIntro}</p>
      <progress
        aria-label={t.productsReceived}
        aria-valuemin={0}
        aria-valuenow={received}
        aria-valuemax={total ?? undefined}
        value={received}
        max={total ?? undefined}
      />
      <p>
        {t.productsReceived}: {received.toLocaleString(locale)} / {total === null ? '…' : total.toLocaleString(locale)}
      </p>
      {status && !status.online && <p className="warn">{t.hqNotYetReachable}</p>}
    </main>
  );
}
