import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { type CatalogImageStatus, type Diagnostics, type Enrolled, enrolmentApi } from '../../sync/client/index.ts';
import { Field } from '../components/Field.tsx';
import { getHost } from '../bridge/index.ts';
import { PrinterChoice } from '../components/PrinterChoice.tsx';
import { diagnosticsBundle, diagnosticsFileName, megabytes } from '../diagnostics.ts';
import { count, dateTime } from '../format.ts';
import { locale, t } from '../i18n.ts';
import { ackProblemText } from '../errors.ts';
import { useShortcuts } from '../keys.ts';
import { useNav, useSession } from '../state.ts';
import { tokenRefusal } from './StatusLine.tsx';

const host = getHost();

/** Offers `text` as a file download (a Blob and an <a download>): the browser saves it, Electron asks where. */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start reading the Blob before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={testId}>{children}</td>
    </tr>
  );
}

/** The catalog image a start loads instead of reading the whole replica (sync/client/catalog-image.ts). */
function CatalogImage({ image }: { image: CatalogImageStatus }): ReactNode {
  const parts: string[] = [];
  if (!image.available) parts.push(t.catalogImageUnavailable);
  else if (image.builtAt) parts.push(t.catalogImageLine(dateTime(image.builtAt), count(image.products), count(image.stock), count(image.changesSince)), image.usedAtStart ? t.catalogImageLoaded : t.catalogImageNotLoaded);
  else parts.push(t.catalogImageNone);
  if (image.inUse && !image.usedAtStart) parts.push(t.catalogImageMovedOnto);
  if (image.building) parts.push(t.catalogImageBuilding);
  const build = image.lastBuild;
  if (build) {
    const seconds = (Math.round((build.readMs + build.buildMs + build.writeMs) / 100) / 10).toLocaleString(locale);
    parts.push(t.catalogImageLastBuild(seconds, count(build.readMs), count(build.buildMs), count(build.writeMs)));
  }
  if (image.error) parts.push(t.catalogImageError(image.error));
  return <>{parts.join(' · ')}</>;
}

/**
 * Enrolling this register again with IT's enrolment token, as the same store and register at the
 * same HQ (its replica and waiting records are this register's): for a token HQ withdrew or let
 * expire. `onReenrolled` keeps the new token and opens the register again with it.
 */
function Reenrol({ diag, refusedNow, onReenrolled }: { diag: Diagnostics; refusedNow: boolean; onReenrolled(enrolled: Enrolled): Promise<void> }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const enrolled = await enrolmentApi.enrol(diag.register.hqUrl, diag.register.storeId, diag.register.registerId, token.trim());
      await onReenrolled(enrolled);
    } catch (err) {
      setError(t.reenrolFailed((err as Error).message));
      setBusy(false);
    }
  };
  return (
    <>
      <h2 id="support-enrolment">{t.supportEnrolment}</h2>
      {refusedNow && (
        <p role="alert" className="error">
          {t.reenrolNeeded}
        </p>
      )}
      <p>{t.reenrolIntro(diag.register.storeId, diag.register.registerId)}</p>
      <form className="row" aria-labelledby="support-enrolment" onSubmit={(e) => void submit(e)}>
        <Field label={t.enrolmentToken} className="grow">
          <input value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" required />
        </Field>
        <button type="submit" className="align-end" disabled={busy || !token.trim()}>
          {busy ? t.enrolling : t.reenrol}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}

/** For IT: the register's identity, its replica, how it syncs, enrolling it again, and the diagnostics export. Esc goes back. */
export function Support({ onReenrolled }: { onReenrolled(enrolled: Enrolled): Promise<void> }) {
  const client = useSession((s) => s.client);
  const status = useSession((s) => s.status);
  const replicaVersion = useSession((s) => s.replicaVersion);
  const go = useNav((s) => s.go);
  const [version, setVersion] = useState<string | null>(null);
  const [diag, setDiag] = useState<Diagnostics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const back = (): void => go({ name: 'sale' });
  useShortcuts({ Escape: back });

  useEffect(() => {
    let live = true;
    void host.appVersion().then(
      (v) => live && setVersion(v),
      () => live && setVersion('?'),
    );
    return () => {
      live = false;
    };
  }, []);

  // Read again when the sync status or the replica changed (counts, waiting, last sync).
  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.diagnostics().then(
      (d) => {
        if (!live) return;
        setDiag(d);
        setError(null);
      },
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [client, status, replicaVersion]);

  const exportNow = async (): Promise<void> => {
    if (!client) return;
    setExporting(true);
    setMessage(null);
    try {
      const fresh = await client.diagnostics();
      const bundle = diagnosticsBundle(fresh, {
        version: version ?? (await host.appVersion()),
        platform: host.platform,
        userAgent: typeof navigator !== 'undefined' ? navigator.userAgent : null,
      });
      const file = diagnosticsFileName(fresh.register.storeId, fresh.register.registerId, new Date());
      download(file, `${JSON.stringify(bundle, null, 2)}\n`);
      setMessage(t.exported(file));
    } catch (e) {
      setMessage(t.exportFailed((e as Error).message));
    } finally {
      setExporting(false);
    }
  };

  const s = status;
  const storage = diag?.storage;
  return (
    <main className="panel wide-panel support" aria-label={t.supportTitle}>
      <div className="row">
        <h1 className="grow">{t.supportTitle}</h1>
        <button type="button" onClick={back}>
          {t.backToSale} <kbd>Esc</kbd>
        </button>
      </div>
      <p className="muted">{t.supportIntro}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!diag ? (
        <p>{t.loading}</p>
      ) : (
        <>
          <h2 id="support-register">{t.supportRegister}</h2>
          <table aria-labelledby="support-register" className="facts">
            <tbody>
              <Row label={t.appVersion} testId="support-version">
                {version ?? t.loading}
              </Row>
              <Row label={t.platform} testId="support-platform">
                {t.platformName[host.platform]}
              </Row>
              <Row label={t.storeCol} testId="support-store">
                {diag.register.storeId}
              </Row>
              <Row label={t.registerCol} testId="support-register">
                {diag.register.registerId}
              </Row>
              <Row label={t.hqUrl} testId="support-hq">
                {diag.register.hqUrl}
              </Row>
              <Row label={t.registerTokenRow}>
                {diag.register.tokenPresent ? t.tokenPresentUntil(diag.register.tokenExpiresAt ? dateTime(diag.register.tokenExpiresAt) : null) : t.tokenMissing}
              </Row>
              <Row label={t.receiptKey}>{diag.receiptKey ? t.receiptKeyAtHq(diag.receiptKey.keyId, diag.receiptKey.publicKeyAtHq) : t.receiptKeyNone}</Row>
              <Row label={t.sequences}>
                {t.sequenceLine(
                  Math.max(diag.sequences.sales.last, diag.sequences.sales.hqAtEnrolment),
                  Math.max(diag.sequences.orderEvents.last, diag.sequences.orderEvents.hqAtEnrolment),
                  Math.max(diag.sequences.returns.last, diag.sequences.returns.hqAtEnrolment),
                )}
              </Row>
            </tbody>
          </table>

          <Reenrol diag={diag} refusedNow={tokenRefusal(s?.lastErrorCode ?? null, t) !== null} onReenrolled={onReenrolled} />

          <h2 id="support-printer">{t.receiptPrinter}</h2>
          <PrinterChoice labelledBy="support-printer" />

          <h2 id="support-sync">{t.supportSync}</h2>
          <table aria-labelledby="support-sync" className="facts">
            <tbody>
              <Row label={t.statusRow} testId="support-status">
                {s?.online ? t.onlineNow : s?.offlineSince ? t.offlineSinceAt(dateTime(s.offlineSince)) : t.offline}
              </Row>
              <Row label={t.lastSyncRow} testId="support-last-sync">
                {s?.lastSyncAt ? dateTime(s.lastSyncAt) : t.never}
              </Row>
              <Row label={t.waitingRow} testId="support-waiting">
                {t.recordsWaiting(s?.pending ?? diag.sync.waiting)}
              </Row>
              <Row label={t.refusedRow} testId="support-refused">
                {s?.refused ?? diag.sync.refused}
              </Row>
              <Row label={t.lastErrorRow} testId="support-last-error">
                {s?.lastError ?? t.noError}
              </Row>
              <Row label={t.firstSyncRow}>{diag.sync.firstSyncDone ? t.firstSyncDone : t.firstSyncNotDone}</Row>
            </tbody>
          </table>

          <h2 id="support-replica">{t.supportReplica}</h2>
          <table aria-labelledby="support-replica" className="facts">
            <tbody>
              <Row label={t.databaseName}>{diag.replica.databaseName}</Row>
              <Row label={t.catalogImageRow} testId="support-catalog-image">
                <CatalogImage image={diag.catalogImage} />
              </Row>
              <Row label={t.storageUsage} testId="support-storage">
                {storage && storage.usageBytes !== null
                  ? t.storageOf(megabytes(storage.usageBytes), storage.quotaBytes !== null ? megabytes(storage.quotaBytes) : null)
                  : t.storageUnknown}
              </Row>
            </tbody>
          </table>
          <table aria-label={t.documents} className="facts">
            <thead>
              <tr>
                <th scope="col">{t.collection}</th>
                <th scope="col" className="num">
                  {t.documents}
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(diag.replica.documents).map(([name, n]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className="num" data-testid={`support-count-${name}`}>
                    {n}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2 id="support-problems">{t.problemsTitle}</h2>
          {diag.problems.length === 0 ? (
            <p>{t.problemsNone}</p>
          ) : (
            <table aria-labelledby="support-problems" className="facts">
              <thead>
                <tr>
                  <th scope="col">{t.time}</th>
                  <th scope="col">{t.collection}</th>
                  <th scope="col">Id</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{t.details}</th>
                </tr>
              </thead>
              <tbody>
                {diag.problems.map((p) => (
                  <tr key={p.id}>
                    <td>{dateTime(p.at)}</td>
                    <td>{t.recordKinds[p.kind]}</td>
                    <td>{p.id}</td>
                    <td>{t.ackStatuses[p.status]}</td>
                    <td>{ackProblemText(p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <div className="row">
        <button type="button" className="primary" onClick={() => void exportNow()} disabled={!client || exporting}>
          {exporting ? t.exporting : t.exportDiagnostics}
        </button>
        <span aria-live="polite">{message}</span>
      </div>
    </main>
  );
}
