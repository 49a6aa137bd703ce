import { type FormEvent, useState } from 'react';
import { centsToInput, parseCents } from '../../../src/money.ts';
import { DEFAULT_FLOAT_CENTS } from '../../../src/shift.ts';
import { Field } from '../../components/Field.tsx';
import { errorText } from '../../errors.ts';
import { t } from '../../i18n.ts';
import { operatorId, useOperator, useSession, useShift } from '../../state.ts';

/** No shift is open at this register: count the starting float into the drawer and open one. */
export function OpenShift() {
  const client = useSession((s) => s.client);
  const operator = useOperator((s) => s.operator);
  const signOut = useOperator((s) => s.signOut);
  const setShift = useShift((s) => s.setShift);
  const [text, setText] = useState(centsToInput(DEFAULT_FLOAT_CENTS));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cents = parseCents(text);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!client || cents === null) return;
    setBusy(true);
    try {
      setShift(await client.openShift(cents, operatorId()));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="panel narrow">
      <h1>{t.openShiftTitle}</h1>
      <p>{t.openShiftIntro(operator?.name ?? '')}</p>
      <form onSubmit={(e) => void submit(e)} className="form">
        <Field label={t.floatAmount} hint={cents === null ? t.notAnAmount : undefined}>
          <input value={text} onChange={(e) => setText(e.target.value)} inputMode="decimal" autoComplete="off" autoFocus required />
        </Field>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={signOut}>
            {t.signOut}
          </button>
          <button type="submit" className="primary" disabled={busy || cents === null}>
            {t.openShift}
          </button>
        </div>
      </form>
    </main>
  );
}
