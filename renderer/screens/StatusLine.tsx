import { useEffect, useState } from 'react';
import { clock, duration } from '../format.ts';
import { t } from '../i18n.ts';
import { useSession } from '../state.ts';

/** Always visible: online or offline (and for how long), records waiting, last sync, HQ's last error. */
export function StatusLine() {
  const status = useSession((s) => s.status);
  const client = useSession((s) => s.client);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!status) return null;
  const parts = [
    status.online ? t.online : `${t.offlineFor} ${duration(now - Date.parse(status.offlineSince ?? new Date(now).toISOString()))}`,
    t.recordsWaiting(status.pending),
    ...(status.refused ? [t.recordsRefused(status.refused)] : []),
    `${t.lastSync} ${status.lastSyncAt ? clock(status.lastSyncAt) : t.never}`,
  ];
  return (
    <footer role="status" aria-live="polite" className={`status ${status.online ? 'ok' : 'offline'}`}>
      <span>{parts.join(' · ')}</span>
      {client && (
        <span className="who">
          {client.identity.storeId}-{client.identity.registerId}
        </span>
      )}
      {status.lastError && <span className="error"> · {status.lastError}</span>}
    </footer>
  );
}
