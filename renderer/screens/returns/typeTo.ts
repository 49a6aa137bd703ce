import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Like the sale screen's scanner: a character typed outside any field (a keyboard-wedge or 2-D
 * scanner, or the cashier) goes to `field`, which takes the focus; its own Enter then acts. A
 * space on a focused button still presses it. Rests while `active` is false (a dialog is open).
 */
export function useTypeTo(field: RefObject<HTMLInputElement | null>, append: (ch: string) => void, active = true): void {
  const appendRef = useRef(append);
  useLayoutEffect(() => {
    appendRef.current = append;
  });
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target?.closest('input, select, textarea, [role="dialog"]')) return;
      if (e.key === ' ' && target instanceof HTMLButtonElement) return;
      e.preventDefault();
      field.current?.focus();
      appendRef.current(e.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [field, active]);
}
