import { euro } from '../../format.ts';
import { t } from '../../i18n.ts';
import { ManagerApproval } from '../ManagerApproval.tsx';

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
  return (
    <ManagerApproval
      label={t.managerTitle}
      intro={intro ?? t.managerIntro(euro(depositCents), euro(requiredCents))}
      onApproved={(approval) => {
        onApproved({ ...approval, forCents: depositCents });
        return null;
      }}
      onClose={onClose}
    />
  );
}
