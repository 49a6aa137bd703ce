import { type ReactNode, useState } from 'react';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { t } from '../i18n.ts';
import { useSession } from '../state.ts';

/** A manager's approval as the register checked it (id and PIN, offline too), with the reason given. */
export interface GivenApproval {
  managerId: string;
  name: string;
  reason: string;
}

/**
 * Asks a manager at this register for their id, PIN and a reason before a change that needs
 * their approval (a void, another price). `children` are the change's own fields, shown first;
 * `ready` says whether they are filled in. The PIN is checked by the register (rate-limited like a
 * sign-in); a wrong one is refused here and nothing changes. `onApproved` makes the change and
 * returns what was refused, if anything (shown here, the dialog stays open); cancelling changes
 * nothing.
 */
export function ManagerApproval({
  label,
  intro,
  children,
  ready = true,
  onApproved,
  onClose,
}: {
  label: string;
  intro: ReactNode;
  children?: ReactNode;
  ready?: boolean;
  onApproved(approval: GivenApproval): string | null;
  onClose(): void;
}) {
  const client = useSession((s) => s.client);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canSubmit = ready && managerId.trim() !== '' && pin !== '' && reason.trim() !== '' && !busy;

  const submit = async (): Promise<void> => {
    if (!client || !canSubmit) return;
    setBusy(true);
    setError(null);
    try {
      const approval = await client.approveAsManager(managerId.trim(), pin);
      setPin('');
      if (!approval) {
        setError(t.wrongPin);
        setBusy(false);
        return;
      }
      const refused = onApproved({ managerId: approval.managerId, name: approval.name, reason: reason.trim() });
      if (refused !== null) {
        setError(refused);
        setBusy(false);
      }
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog label={label} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>{label}</h2>
        <p>{intro}</p>
        {children}
        <Field label={t.managerId}>
          <input value={managerId} onChange={(e) => setManagerId(e.target.value)} inputMode="numeric" autoComplete="off" autoFocus={children === undefined} />
        </Field>
        <Field label={t.managerPin}>
          <input type="password" value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" autoComplete="off" />
        </Field>
        <Field label={t.reason}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoComplete="off" />
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
          <button type="submit" className="primary" disabled={!canSubmit}>
            {busy ? t.checking : t.approve}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
