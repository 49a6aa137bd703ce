import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Printer, PrintOptions } from '../renderer/bridge/types.ts';

/**
 * Printing and PDFs for the Electron shell, as plain functions: which printer and options a print
 * job gets, the receipt paper's size in the units Electron wants, the PDF's file name and where
 * it goes, and where the chosen receipt printer is kept. main.ts only wires these to Electron.
 */

/** Receipt paper: 80 mm wide. A roll has no page height; 297 mm is what receipt-printer drivers offer as their roll's page (and what styles.css's @page says). */
export const RECEIPT_PAPER_MM = { width: 80, height: 297 } as const;
/** The margin around a printed receipt, as in styles.css's @page (3 mm), so the 74 mm document fits. */
export const RECEIPT_MARGIN_MM = 3;

const MM_PER_INCH = 25.4;

/** Millimetres in microns: webContents.print()'s custom page size is in microns. */
export function mmToMicrons(mm: number): number {
  return Math.round(mm * 1000);
}

/** Millimetres in inches: webContents.printToPDF()'s page size and margins are in inches (since Electron 21). */
export function mmToInches(mm: number): number {
  return Math.round((mm / MM_PER_INCH) * 10_000) / 10_000;
}

/** A printer's name as the system knows it: 1–200 characters, no control characters. Anything else is not a printer name. */
export function validPrinterName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) return undefined;
  return name;
}

/** What webContents.print() gets (a subset of Electron's WebContentsPrintOptions). */
export interface PrintJob {
  silent: boolean;
  deviceName?: string;
  printBackground: false;
  /** In microns; only for a silent print on the receipt printer (the dialog lets the cashier choose). */
  pageSize?: { width: number; height: number };
}

/**
 * The print job for a request from the page. `requested.silent` asks for the receipt printer
 * without a dialog; that happens only when a printer is known (named in the request, else the one
 * chosen on the Support screen). Without one, the system's print dialog opens, so a register
 * without a receipt printer never prints silently to whatever happens to be the default printer.
 */
export function printJob(requested: Partial<PrintOptions> | null | undefined, chosenPrinter: string | undefined): PrintJob {
  const deviceName = validPrinterName(requested?.deviceName) ?? validPrinterName(chosenPrinter);
  if (deviceName && requested?.silent === true) {
    return {
      silent: true,
      deviceName,
      printBackground: false,
      pageSize: { width: mmToMicrons(RECEIPT_PAPER_MM.width), height: mmToMicrons(RECEIPT_PAPER_MM.height) },
    };
  }
  return { silent: false, ...(deviceName ? { deviceName } : {}), printBackground: false };
}

/** What webContents.printToPDF() gets: 80 mm receipt pages with the print stylesheet's 3 mm margins. */
export function pdfOptions(): {
  pageSize: { width: number; height: number };
  margins: { top: number; bottom: number; left: number; right: number };
  printBackground: false;
  preferCSSPageSize: false;
  landscape: false;
} {
  const m = mmToInches(RECEIPT_MARGIN_MM);
  return {
    pageSize: { width: mmToInches(RECEIPT_PAPER_MM.width), height: mmToInches(RECEIPT_PAPER_MM.height) },
    margins: { top: m, bottom: m, left: m, right: m },
    printBackground: false,
    preferCSSPageSize: false,
    landscape: false,
  };
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_NAME = 100;

/**
 * The PDF's file name from what the page asked for ("receipt-1001-02-000042" →
 * "receipt-1001-02-000042.pdf"): no folders, only letters, digits, '.', '-' and '_' (anything else
 * becomes '-'), at most 100 characters, never a name Windows reserves, always ending in ".pdf".
 */
export function pdfFileName(requested: unknown): string {
  const raw = typeof requested === 'string' ? requested : '';
  // Whatever path the page sent, only its last part; "..", "." and empty become the fallback.
  let stem = basename(raw.replace(/\\/g, '/'))
    .replace(/\.pdf$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (stem.length > MAX_NAME - 4) stem = stem.slice(0, MAX_NAME - 4).replace(/[-.]+$/, '');
  if (stem === '') stem = 'document';
  if (WINDOWS_RESERVED.test(stem.split('.')[0] ?? '')) stem = `kassa-${stem}`;
  return `${stem}.pdf`;
}

/** The folder PDFs are saved in: "Kassa" in the user's Documents folder. */
export function pdfFolder(documentsDir: string): string {
  return join(documentsDir, 'Kassa');
}

/** A path in `dir` for `fileName` that does not exist yet: "x.pdf", else "x-2.pdf", "x-3.pdf", … (a second pick-up of one order, a receipt saved twice). */
export function freePath(dir: string, fileName: string, exists: (path: string) => boolean): string {
  const stem = fileName.replace(/\.pdf$/i, '');
  let path = join(dir, fileName);
  for (let n = 2; exists(path); n++) {
    if (n > 9999) throw new Error(`no free file name for ${fileName} in ${dir}`);
    path = join(dir, `${stem}-${n}.pdf`);
  }
  return path;
}

/** A printer as the bridge hands it to the page. Electron 45's PrinterInfo has no isDefault; the OS says it in `options` (CUPS and Windows differ in the key). */
export function toPrinters(list: readonly { name: string; displayName?: string; isDefault?: boolean; options?: unknown }[]): Printer[] {
  const truthy = (v: unknown) => v === true || v === 'true' || v === '1';
  const printers: Printer[] = [];
  for (const p of list) {
    const name = validPrinterName(p.name);
    if (!name) continue;
    const options = (typeof p.options === 'object' && p.options !== null ? p.options : {}) as Record<string, unknown>;
    const isDefault = truthy(p.isDefault) || truthy(options['is-default']) || truthy(options['printer-is-default']);
    const displayName = validPrinterName(p.displayName);
    printers.push({ name, ...(displayName && displayName !== name ? { displayName } : {}), isDefault });
  }
  return printers.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name));
}

// --- the chosen receipt printer --------------------------------------------------------------

/**
 * The receipt printer chosen on the Support screen is this machine's, not the register's
 * identity: it is kept in `printer.json` beside `config.json` in the app's data folder
 * (config.ts validates and keeps only the identity's fields). The bridge hands it to the page as
 * `RegisterConfig.printer`, and writeConfig stores it back: the configuration written is the
 * whole truth, so a configuration without `printer` means the print dialog.
 */
export const PRINTER_FILE = 'printer.json';

export function printerFile(userDataDir: string): string {
  return join(userDataDir, PRINTER_FILE);
}

/** The chosen printer, or undefined (none chosen, or a file that does not hold a valid one). */
export function readPrinterChoice(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { printer?: unknown } | null;
    return validPrinterName(parsed?.printer);
  } catch {
    return undefined;
  }
}

/** The choice a configuration asks for: undefined, null or '' mean none (the print dialog); anything else must be a printer name. */
export function printerChoice(printer: unknown): string | undefined {
  const name = validPrinterName(printer);
  if (!name && printer !== undefined && printer !== null && printer !== '') throw new Error('printer is not a valid printer name');
  return name;
}

/** Stores the choice (see printerChoice) atomically: temp file + rename. */
export function writePrinterChoice(file: string, printer: unknown): string | undefined {
  const name = printerChoice(printer);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(name ? { printer: name } : {}, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return name;
}
