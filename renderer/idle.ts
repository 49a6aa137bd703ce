import { useEffect } from 'react';

/** A register nobody touched for this long locks itself (the sale stays; the operator's PIN opens it). */
export const IDLE_LOCK_MS = 5 * 60_000;

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Calls `lock` after `ms` without a key, a click, a touch or the mouse moving, while `active`. */
export function useIdleLock(active: boolean, lock: () => void, ms = IDLE_LOCK_MS): void {
  useEffect(() => {
    if (!active) return;
    let timer = setTimeout(lock, ms);
    const touched = (): void => {
      clearTimeout(timer);
      timer = setTimeout(lock, ms);
    };
    for (const type of ACTIVITY) window.addEventListener(type, touched, { passive: true, capture: true });
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, touched, { capture: true });
    };
  }, [active, lock, ms]);
}
