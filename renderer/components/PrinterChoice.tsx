import { useEffect, useState } from 'react';
import { getHost } from '../bridge/index.ts';
import type { Printer, RegisterConfig } from '../bridge/types.ts';
import { t } from '../i18n.ts';

/** The configuration with `printer` set to `name`, or without it ('' = none: the print dialog). */
export function withPrinter(config: RegisterConfig, name: string): RegisterConfig {
  const { printer: _previous, ...rest } = config;
  return name ? { ...rest, printer: name } : rest;
}

/** How a printer is offered: its display name, "(default)" for the system's default. */
function printerLabel(p: Printer): string {
  const name = p.displayName ?? p.name;
  return p.isDefault ? t.printerDefault(name) : name;
}

/**
 * The receipt printer, on the Support screen. In Electron: this computer's printers (the default
 * marked), the choice kept in the register's configuration; documents then print there without a
 * dialog. In a browser: printing always goes through the browser's dialog.
 */
export function PrinterChoice({ labelledBy }: { labelledBy: string }) {
  return getHost().platform === 'electron' ? <PrinterSelect labelledBy={labelledBy} /> : <p data-testid="printer-browser">{t.printersInBrowser}</p>;
}

function PrinterSelect({ labelledBy }: { labelledBy: string }) {
  const [printers, setPrinters] = useState<Printer[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    let live = true;
    const host = getHost();
    void Promise.all([host.listPrinters(), host.readConfig()]).then(
      ([list, config]) => {
        if (!live) return;
        setPrinters(list);
        setChosen(config.printer ?? '');
      },
      (e: unknown) => {
        if (!live) return;
        setPrinters([]);
        setMessage({ text: t.printersFailed((e as Error).message), error: true });
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const choose = async (name: string): Promise<void> => {
    setSaving(true);
    setMessage(null);
    try {
      const host = getHost();
      await host.writeConfig(withPrinter(await host.readConfig(), name));
      setChosen(name);
      const p = printers?.find((x) => x.name === name);
      setMessage({ text: t.printerSaved(name ? (p?.displayName ?? name) : null), error: false });
    } catch (e) {
      setMessage({ text: t.printerSaveFailed((e as Error).message), error: true });
    } finally {
      setSaving(false);
    }
  };

  if (!printers) return <p>{t.loading}</p>;
  const missing = chosen !== '' && !printers.some((p) => p.name === chosen);
  return (
    <>
      <p className="muted">{t.receiptPrinterIntro}</p>
      <div className="printer-choice">
        <select
          id="receipt-printer"
          aria-labelledby={labelledBy}
          value={chosen}
          disabled={saving}
          onChange={(e) => void choose(e.target.value)}
          data-testid="printer-select"
        >
          <option value="">{t.printerNone}</option>
          {printers.map((p) => (
            <option key={p.name} value={p.name}>
              {printerLabel(p)}
            </option>
          ))}
          {missing && <option value={chosen}>{t.printerNotFound(chosen)}</option>}
        </select>
        <span aria-live="polite" className={message?.error ? 'error' : undefined}>
          {message?.text}
        </span>
      </div>
      {printers.length === 0 && <p>{t.printersNone}</p>}
    </>
  );
}
