import { useEffect, useState } from 'react';
import { clock, duration } from '../format.ts';
import { type Words, t } from '../i18n.ts';
import { useSession } from '../state.ts';
import type { SyncStatus } from '../../sync/client/api.ts';

/**
 * What the status line says of HQ's last error: HQ refusing this register's token (nothing
 * syncs until IT enrols it again) in the register's words, any other error as HQ worded it.
 */
export function hqErrorLine(status: Pick<SyncStatus, 'lastError' | 'lastErrorCode'>, words: Words): { text: string | null; tokenRefused: boolean } {
  const code = status.lastErrorCode;
  const refusal = code !== null && Object.hasOwn(words.hqRefusesRegister, code) ? words.hqRefusesRegister[code as keyof Words['hqRefusesRegister']] : null;
  return { text: refusal ?? status.lastError, tokenRefused: refusal !== null };
}

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
  const hqError = hqErrorLine(status, t);
  const parts = [
    hqError.tokenRefused ? t.notSyncing : status.online ? t.online : `${t.offlineFor} ${duration(now - Date.parse(status.offlineSince ?? new Date(now).toISOString()))}`,
    t.recordsWaiting(status.pending),
    ...(status.refused ? [t.recordsRefused(status.refused)] : []),
    `${t.lastSync} ${status.lastSyncAt ? clock(status.lastSyncAt) : t.never}`,
  ];
  return (
    <footer role="status" aria-live="polite" className={`status ${status.online && !hqError.tokenRefused ? 'ok' : 'offline'}`}>
      <span>
        {parts.join(' · ')}
        {hqError.text && <span className="error"> · {hqError.text}</span>}
      </span>
      {client && (
        <span className="who">
          {client.identity.storeId}-{client.identity.registerId}
        </span>
      )}
    </footer>
  );
}
