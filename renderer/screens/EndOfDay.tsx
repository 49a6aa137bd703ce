import { useCallback, useEffect, useState } from 'react';
import { DayNotDoneError, type DayDone, type EndOfDayCheck, type EndOfDayProgress } from '../../sync/client/index.ts';
import { dateTime, euro } from '../format.ts';
import { t } from '../i18n.ts';
import { ackProblemText } from '../errors.ts';
import { alertKindText, alertText, orderExceptionText } from '../exception-text.ts';
import { useShortcuts } from '../keys.ts';
import { operatorId, useNav, useOperator, useSession } from '../state.ts';

const ok = (b: boolean) => (b ? '✓' : '✗');

/**
 * The manager's end of day: one button that pushes and pulls everything with a progress bar,
 * then the checklist — records sent and confirmed by HQ (counts HQ gives), what HQ refused and
 * why, the shift, open alerts and order exceptions with what to do — and "Mark day done", which
 * stays disabled, saying why, while anything is unsent, HQ cannot be reached, or a shift is open.
 */
export function EndOfDay() {
  const client = useSession((s) => s.client);
  const operator = useOperator((s) => s.operator);
  const go = useNav((s) => s.go);
  const [progress, setProgress] = useState<EndOfDayProgress | null>(null);
  const [check, setCheck] = useState<EndOfDayCheck | null>(null);
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<DayDone | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async () => {
    if (!client) return;
    setRunning(true);
    setError(null);
    try {
      setCheck(await client.endOfDay(setProgress));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  }, [client]);

  useEffect(() => {
    if (!client) return;
    void client.lastDayDone().then(setDone);
    void run();
  }, [client, run]);

  useShortcuts({ Escape: () => go({ name: 'sale' }) });

  if (operator?.role !== 'manager') {
    return (
      <main className="panel narrow">
        <h1>{t.endOfDay}</h1>
        <p role="alert" className="error">
          {t.managersOnly}
        </p>
        <button type="button" onClick={() => go({ name: 'sale' })}>
          {t.backToSale}
        </button>
      </main>
    );
  }

  const markDone = async (): Promise<void> => {
    if (!client) return;
    try {
      setDone(await client.markDayDone(operatorId()));
    } catch (e) {
      if (e instanceof DayNotDoneError) setCheck(e.check);
      else setError((e as Error).message);
    }
  };

  return (
    <main className="panel end-of-day">
      <h1>{t.endOfDay}</h1>
      <p>{t.endOfDayIntro}</p>
      <div className="actions">
        <button type="button" onClick={() => go({ name: 'sale' })}>
          {t.backToSale} <kbd>Esc</kbd>
        </button>
        <button type="button" onClick={() => void run()} disabled={running}>
          {running ? t.syncing : t.syncAgain}
        </button>
      </div>
      {progress && (
        <div>
          <label>
            {t.endOfDayPhase[progress.phase]} — {t.recordsConfirmed(progress.done, progress.total)}
            <progress max={Math.max(1, progress.total)} value={progress.phase === 'done' ? Math.max(1, progress.total) : progress.done} />
          </label>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {check && (
        <section aria-label={t.checklist}>
          <h2>{t.checklist}</h2>
          <h3>
            {ok(check.hqAt !== null && check.unsent === 0)} {t.recordsSent}
          </h3>
          {check.hqError && <p className="error">{t.hqNotReached(check.hqError)}</p>}
          <table aria-label={t.recordsSent}>
            <thead>
              <tr>
                <th scope="col">{t.recordKind}</th>
                <th scope="col" className="num">{t.madeHere}</th>
                <th scope="col" className="num">{t.atHq}</th>
                <th scope="col" className="num">{t.refusedCol}</th>
                <th scope="col" className="num">{t.notYetAtHqCol}</th>
              </tr>
            </thead>
            <tbody>
              {check.collections.map((c) => (
                <tr key={c.kind} data-testid={`eod-${c.kind}`}>
                  <th scope="row">
                    {ok(c.confirmed)} {t.recordKinds[c.kind]}
                  </th>
                  <td className="num">{c.local.count}</td>
                  <td className="num">{c.hq ? c.hq.count : '—'}</td>
                  <td className="num">{c.refused}</td>
                  <td className="num">{c.unsent ?? '?'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>
            {ok(check.refused.length === 0)} {t.refusedByHq(check.refused.length)}
          </h3>
          {check.refused.length > 0 && (
            <>
              <ul>
                {check.refused.map((r) => (
                  <li key={r.id}>
                    <strong>{r.id}</strong> ({t.recordKinds[r.kind]}, {t.ackStatuses[r.status]}): {ackProblemText(r)}
                  </li>
                ))}
              </ul>
              <p className="muted">{t.refusedAdvice}</p>
            </>
          )}
          <h3>
            {ok(!check.shiftOpen)} {check.shiftOpen ? t.shiftStillOpen : t.shiftClosed}
          </h3>
          {check.shiftOpen && (
            <button type="button" onClick={() => go({ name: 'shift' })}>
              {t.goToShift}
            </button>
          )}
          <h3>
            {ok(check.orderExceptions.length === 0 && check.openAlerts === 0)} {t.openExceptions(check.orderExceptions.length + check.openAlerts)}
          </h3>
          {(check.orderExceptions.length > 0 || check.alerts.length > 0) && (
            <ul className="exceptions">
              {check.orderExceptions.map((x) => (
                <li key={`${x.eventId}-${x.lineNo}-${x.kind}`} className="error">
                  <strong>{x.orderNo}</strong> — {orderExceptionText(x)} ({euro(x.amountCents)}). {t.exceptionAdvice(x.kind)}
                </li>
              ))}
              {check.alerts.map((a) => (
                <li key={`${a.kind}-${a.recordId}-${a.createdAt}`} className="error">
                  <strong>{alertKindText(a.kind)}</strong> — {alertText(a)}
                  {a.amountCents !== null && ` (${euro(a.amountCents)})`}. {t.exceptionAdvice(a.kind)}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">{t.exceptionsDoNotBlock}</p>
        </section>
      )}
      <div className="actions">
        {check && check.blockers.length > 0 && (
          <p aria-live="polite" className="error" data-testid="day-blockers">
            {t.cannotMarkDone} {check.blockers.map((b) => t.blocker[b]).join(' ')}
          </p>
        )}
        <button type="button" className="primary" disabled={running || !check || check.blockers.length > 0} onClick={() => void markDone()}>
          {t.markDayDone}
        </button>
      </div>
      {done && (
        <p aria-live="polite" data-testid="day-done">
          {t.dayDoneAt(dateTime(done.at), done.operatorId)}
        </p>
      )}
    </main>
  );
}
