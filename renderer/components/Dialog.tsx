import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useShortcuts } from '../keys.ts';

/**
 * A modal dialog on top of everything: role="dialog" named by `label`; Escape closes it (and
 * only it: see keys.ts). Extra `keys` are the dialog's own shortcuts.
 */
export function Dialog({ label, onClose, children, wide = false, keys = {} }: { label: string; onClose(): void; children: ReactNode; wide?: boolean; keys?: Record<string, () => void> }) {
  useShortcuts({ Escape: onClose, ...keys });
  return createPortal(
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-label={label} className={`dialog${wide ? ' wide' : ''}`}>
        {children}
      </div>
    </div>,
    document.body,
  );
}
