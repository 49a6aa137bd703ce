import { useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Keyboard shortcuts of the order screens and their dialogs, as layers: only the topmost layer
 * (the dialog that opened last, else the screen) gets its keys, so Escape in a dialog closes the
 * dialog and not the screen behind it, and a screen's function keys rest while a dialog is open.
 * The sale screen keeps its own handler (scanner, F2, F6–F9); it is not mounted while an order
 * screen is, so the two never both listen.
 */
type Keys = Record<string, () => void>;
const layers: { current: Keys }[] = [];
let installed = false;

function onKey(e: KeyboardEvent): void {
  const top = layers[layers.length - 1];
  if (!top || e.ctrlKey || e.metaKey || e.altKey) return;
  const run = top.current[e.key];
  if (run) {
    e.preventDefault();
    run();
  }
}

/** Registers `keys` (by KeyboardEvent.key: "Escape", "F8") as a layer while `active`. */
export function useShortcuts(keys: Keys, active = true): void {
  const ref = useRef(keys);
  useLayoutEffect(() => {
    ref.current = keys;
  });
  useEffect(() => {
    if (!active) return;
    if (!installed) {
      window.addEventListener('keydown', onKey);
      installed = true;
    }
    layers.push(ref);
    return () => {
      const i = layers.lastIndexOf(ref);
      if (i >= 0) layers.splice(i, 1);
    };
  }, [active]);
}
