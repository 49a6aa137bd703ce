import { type FormEvent, useState } from 'react';
import { SignInError } from '../../sync/client/index.ts';
import { Field } from '../components/Field.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { t } from '../i18n.ts';
import { useOperator, useSession } from '../state.ts';

/**
 * Sign-in with operator id and PIN, checked against the replica (offline too). Locked, it asks
 * the signed-in operator's PIN only; "Sign out" lets another operator sign in instead.
 */
export function SignIn() {
  const client = useSession((s) => s.client);
  const { operator, locked, signedIn, signOut } = useOperator();
  const [id, setId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unlocking = locked && operator !== null;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!client) return;
    setBusy(true);
    setError(null);
    try {
      signedIn(await client.signIn(unlocking ? operator.operatorId : id, pin));
    } catch (err) {
      setPin('');
      if (!(err instanceof SignInError)) setError(t.pinCheckUnavailable((err as Error).message));
      else setError(err.retryAfterMs !== null ? t.pinLockedOut(Math.ceil(err.retryAfterMs / 1000)) : t.signInWrong);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="panel narrow">
      <h1>{unlocking ? t.lockedTitle : t.signInTitle}</h1>
      <p>{unlocking ? t.lockedIntro(operator.name) : t.signInIntro}</p>
      <form onSubmit={(e) => void submit(e)} className="form">
        {!unlocking && (
          <Field label={t.operatorId}>
            <input value={id} onChange={(e) => setId(e.target.value)} inputMode="numeric" autoComplete="off" autoFocus required />
          </Field>
        )}
        <Field label={t.pin}>
          <input value={pin} onChange={(e) => setPin(e.target.value)} type="password" inputMode="numeric" autoComplete="off" autoFocus={unlocking} required />
        </Field>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          {unlocking && (
            <button type="button" onClick={signOut}>
              {t.signOut}
            </button>
          )}
          <button type="submit" className="primary" disabled={busy || !pin || (!unlocking && !id.trim())}>
            {unlocking ? t.unlock : t.signIn}
          </button>
        </div>
      </form>
      <LanguageSwitch />
    </main>
  );
}
