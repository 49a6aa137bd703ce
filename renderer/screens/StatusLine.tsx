import { useEffect, useState } from 'react';
import { clock, duration } from '../format.ts';
import { type Words, t } from '../i18n.ts';
import { useSession } from '../state.ts';
import type { SyncStatus } from '../../sync/client/api.ts';

/** HQ's codes for "HQ does not know this request": register and HQ run different versions. */
const UNKNOWN_REQUEST = new Set(['not_found', 'unknown_collection', 'unknown_kind']);

/** What the register says when HQ refuses its token itself (`code` one of hqRefusesRegister's); null for any other error. */
export function tokenRefusal(code: string | null, words: Words): string | null {
  return code !== null && Object.hasOwn(words.hqRefusesRegister, code) ? words.hqRefusesRegister[code as keyof Words['hqRefusesRegister']] : null;
}

/**
 * What the status line says of HQ's last error, in the register's words: HQ refusing this
 * register's token or failing (nothing syncs: `stalled`), a request HQ does not know, a record
 * HQ refused or holds another body of. Any other error is HQ's own (technical) text, said to come
 * from HQ; the Support screen shows HQ's text for all of them.
 */
export function hqErrorLine(status: Pick<SyncStatus, 'lastError' | 'lastErrorCode' | 'lastErrorRecord'>, words: Words): { text: string | null; stalled: boolean } {
  const code = status.lastErrorCode;
  if (status.lastError === null) return { text: null, stalled: false };
  const refusal = tokenRefusal(code, words);
  if (refusal !== null) return { text: refusal, stalled: true };
  if (code === 'internal' || (code !== null && /^http_5\d\d$/.test(code))) return { text: words.hqFailing, stalled: true };
  if (code !== null && UNKNOWN_REQUEST.has(code)) return { text: words.hqUnknownRequest, stalled: false };
  const record = status.lastErrorRecord;
  if (record && code === 'record_refused') return { text: words.hqRecordRefused(words.recordNoun[record.collection], record.id), stalled: false };
  if (record && code === 'record_conflict') return { text: words.hqRecordConflict(words.recordNoun[record.collection], record.id, record.others), stalled: false };
  return { text: words.hqSays(status.lastError), stalled: false };
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
    hqError.stalled ? t.notSyncing : status.online ? t.online : `${t.offlineFor} ${duration(now - Date.parse(status.offlineSince ?? new Date(now).toISOString()))}`,
    t.recordsWaiting(status.pending),
    ...(status.refused ? [t.recordsRefused(status.refused)] : []),
    `${t.lastSync} ${status.lastSyncAt ? clock(status.lastSyncAt) : t.never}`,
  ];
  return (
    <footer role="status" aria-live="polite" className={`status ${status.online && !hqError.stalled ? 'ok' : 'offline'}`}>
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
