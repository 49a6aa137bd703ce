import { useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { useSession } from '../../state.ts';

/** A manager's approval of a deposit below the required one, for exactly `forCents`. */
export interface DepositApproval {
  managerId: string;
  name: string;
  reason: string;
  forCents: number;
}

/**
 * Asks a manager for their id, PIN and a reason; the PIN is checked by the register (offline too).
 * For a lower deposit by default; `intro` says what else is being approved (a return without a
 * receipt: `depositCents` is then its amount).
 */
export function ManagerDialog({
  depositCents,
  requiredCents,
  intro,
  onApproved,
  onClose,
}: {
  depositCents: number;
  requiredCents: number;
  intro?: string;
  onApproved(approval: DepositApproval): void;
  onClose(): void;
}) {
  const client = useSession((s) => s.client);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = managerId.trim() !== '' && pin !== '' && reason.trim() !== '' && !busy;

  const submit = async (): Promise<void> => {
    if (!client || !ready) return;
    setBusy(true);
    setError(null);
    try {
      const approval = await client.approveAsManager(managerId.trim(), pin);
      if (!approval) {
        setError(t.wrongPin);
        setPin('');
        setBusy(false);
        return;
      }
      onApproved({ managerId: approval.managerId, name: approval.name, reason: reason.trim(), forCents: depositCents });
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog label={t.managerTitle} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>{t.managerTitle}</h2>
        <p>{intro ?? t.managerIntro(euro(depositCents), euro(requiredCents))}</p>
        <Field label={t.managerId}>
          <input value={managerId} onChange={(e) => setManagerId(e.target.value)} inputMode="numeric" autoComplete="off" autoFocus />
        </Field>
        <Field label={t.managerPin}>
          <input type="password" value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" autoComplete="off" />
        </Field>
        <Field label={t.reason}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
        </Field>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t.cancel} <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary" disabled={!ready}>
            {busy ? t.checking : t.approve}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
