import { useSession } from '../state.ts';
import { t } from '../i18n.ts';

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
        {t.productsReceived}: {received.toLocaleString('nl-NL')} / {total === null ? '…' : total.toLocaleString('nl-NL')}
      </p>
      {status && !status.online && <p className="warn">HQ cannot be reached yet; the register keeps trying.</p>}
    </main>
  );
}
