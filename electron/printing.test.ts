import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RECEIPT_PAPER_MM,
  freePath,
  mmToInches,
  mmToMicrons,
  pdfFileName,
  pdfFolder,
  pdfOptions,
  printJob,
  printerChoice,
  printerFile,
  readPrinterChoice,
  toPrinters,
  validPrinterName,
  writePrinterChoice,
} from './printing.ts';

describe('receipt paper', () => {
  it('is 80 mm wide: 80,000 microns for print(), 3.1496 inches for printToPDF()', () => {
    expect(mmToMicrons(RECEIPT_PAPER_MM.width)).toBe(80_000);
    expect(mmToMicrons(RECEIPT_PAPER_MM.height)).toBe(297_000);
    expect(mmToInches(80)).toBe(3.1496);
    expect(mmToInches(25.4)).toBe(1);
  });

  it('makes PDFs of 80 mm pages with the print stylesheet’s 3 mm margins, sized by us and not by the CSS', () => {
    const o = pdfOptions();
    expect(o.pageSize).toEqual({ width: 3.1496, height: 11.6929 });
    expect(o.margins).toEqual({ top: 0.1181, bottom: 0.1181, left: 0.1181, right: 0.1181 });
    expect(o.preferCSSPageSize).toBe(false);
    expect(o.printBackground).toBe(false);
  });
});

describe('a print job', () => {
  it('goes silently to the chosen receipt printer, on 80 mm paper', () => {
    expect(printJob({ silent: true }, 'EPSON_TM_T20III')).toEqual({
      silent: true,
      deviceName: 'EPSON_TM_T20III',
      printBackground: false,
      pageSize: { width: 80_000, height: 297_000 },
    });
  });

  it('prefers the printer the request names over the chosen one', () => {
    expect(printJob({ silent: true, deviceName: 'Star TSP100' }, 'EPSON_TM_T20III')).toMatchObject({ silent: true, deviceName: 'Star TSP100' });
  });

  it('opens the system’s dialog when no printer is chosen, never printing silently to whatever is the default', () => {
    expect(printJob({ silent: true }, undefined)).toEqual({ silent: false, printBackground: false });
    expect(printJob({ silent: true }, '')).toEqual({ silent: false, printBackground: false });
    expect(printJob(null, undefined)).toEqual({ silent: false, printBackground: false });
  });

  it('opens the dialog, with the chosen printer selected, when the page asks for the dialog', () => {
    expect(printJob({ silent: false }, 'EPSON_TM_T20III')).toEqual({ silent: false, deviceName: 'EPSON_TM_T20III', printBackground: false });
  });

  it('ignores a printer name that is not one (control characters, not text, too long)', () => {
    expect(printJob({ silent: true, deviceName: 'EPSON\nTM' }, undefined)).toEqual({ silent: false, printBackground: false });
    expect(printJob({ silent: true, deviceName: 42 as unknown as string }, 'Star')).toMatchObject({ silent: true, deviceName: 'Star' });
    expect(validPrinterName('x'.repeat(201))).toBeUndefined();
    expect(validPrinterName('  \\\\server\\Bon printer  ')).toBe('\\\\server\\Bon printer');
  });
});

describe('the PDF’s file name', () => {
  it('is the document’s name with .pdf', () => {
    expect(pdfFileName('receipt-1001-02-000042')).toBe('receipt-1001-02-000042.pdf');
    expect(pdfFileName('return-1002-01-000003.pdf')).toBe('return-1002-01-000003.pdf');
    expect(pdfFileName('order-1001-02-000016.PDF')).toBe('order-1001-02-000016.pdf');
  });

  it('keeps only letters, digits, dot, dash and underscore', () => {
    expect(pdfFileName('receipt 1001/02:000042')).toBe('02-000042.pdf');
    expect(pdfFileName('receipt 1001:02*000042?')).toBe('receipt-1001-02-000042.pdf');
    expect(pdfFileName('bon één — kassa')).toBe('bon-n-kassa.pdf');
    expect(pdfFileName('<script>alert(1)</script>')).toBe('script.pdf');
  });

  it('never names a folder or climbs out of one', () => {
    expect(pdfFileName('../../etc/passwd')).toBe('passwd.pdf');
    expect(pdfFileName('..\\..\\Windows\\System32\\evil')).toBe('evil.pdf');
    expect(pdfFileName('/home/kassa/.bashrc')).toBe('bashrc.pdf');
    expect(pdfFileName('..')).toBe('document.pdf');
  });

  it('falls back to document.pdf for nothing usable, and avoids the names Windows reserves', () => {
    expect(pdfFileName('')).toBe('document.pdf');
    expect(pdfFileName(undefined)).toBe('document.pdf');
    expect(pdfFileName({ name: 'x' })).toBe('document.pdf');
    expect(pdfFileName('???')).toBe('document.pdf');
    expect(pdfFileName('CON')).toBe('kassa-CON.pdf');
    expect(pdfFileName('nul.txt')).toBe('kassa-nul.txt.pdf');
    expect(pdfFileName('com1')).toBe('kassa-com1.pdf');
  });

  it('is at most 100 characters', () => {
    const name = pdfFileName(`receipt-${'9'.repeat(300)}`);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^receipt-9+\.pdf$/);
  });
});

describe('where a PDF goes', () => {
  it('is Documents/Kassa, under a name not taken yet', () => {
    const dir = pdfFolder('/home/kassa/Documents');
    expect(dir).toBe(join('/home/kassa/Documents', 'Kassa'));
    const taken = new Set([join(dir, 'pickup-1001-02-000016.pdf'), join(dir, 'pickup-1001-02-000016-2.pdf')]);
    expect(freePath(dir, 'receipt-1001-02-000042.pdf', (p) => taken.has(p))).toBe(join(dir, 'receipt-1001-02-000042.pdf'));
    expect(freePath(dir, 'pickup-1001-02-000016.pdf', (p) => taken.has(p))).toBe(join(dir, 'pickup-1001-02-000016-3.pdf'));
  });

  it('gives up rather than loop for ever', () => {
    expect(() => freePath('/x', 'a.pdf', () => true)).toThrow(/no free file name/);
  });
});

describe('the printers offered', () => {
  it('marks the default (isDefault, or the OS’s option), puts it first, and drops what is not a printer', () => {
    const printers = toPrinters([
      { name: 'Zebra_LP2844', displayName: 'Zebra LP2844', options: { 'printer-is-default': 'false' } },
      { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III', options: { 'is-default': 'true' } },
      { name: 'Brother', displayName: 'Brother', options: null },
      { name: '', displayName: 'nothing' },
      { name: 'Old', isDefault: false },
    ]);
    expect(printers).toEqual([
      { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III', isDefault: true },
      { name: 'Brother', isDefault: false },
      { name: 'Old', isDefault: false },
      { name: 'Zebra_LP2844', displayName: 'Zebra LP2844', isDefault: false },
    ]);
    expect(toPrinters([{ name: 'HP', options: { 'printer-is-default': 'true' } }, { name: 'Star', isDefault: true }]).map((p) => p.isDefault)).toEqual([true, true]);
    expect(toPrinters([])).toEqual([]);
  });
});

describe('the chosen receipt printer', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'kassa-printer-'));

  it('is kept in printer.json in the app’s data folder, and read back', () => {
    const file = printerFile(folder());
    expect(file.endsWith('printer.json')).toBe(true);
    expect(readPrinterChoice(file)).toBeUndefined();
    expect(writePrinterChoice(file, 'EPSON_TM_T20III')).toBe('EPSON_TM_T20III');
    expect(readPrinterChoice(file)).toBe('EPSON_TM_T20III');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ printer: 'EPSON_TM_T20III' });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is cleared by a configuration without one', () => {
    const file = printerFile(folder());
    writePrinterChoice(file, 'Star');
    expect(writePrinterChoice(file, undefined)).toBeUndefined();
    expect(readPrinterChoice(file)).toBeUndefined();
    writePrinterChoice(file, 'Star');
    writePrinterChoice(file, '');
    expect(readPrinterChoice(file)).toBeUndefined();
  });

  it('refuses a value that is not a printer name, keeping the one before', () => {
    const file = printerFile(folder());
    writePrinterChoice(file, 'Star');
    expect(() => writePrinterChoice(file, 'bad\u0007name')).toThrow(/printer/);
    expect(() => writePrinterChoice(file, 7)).toThrow(/printer/);
    expect(readPrinterChoice(file)).toBe('Star');
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });

  it('is checked before anything is written: none, a printer name, or refused', () => {
    expect(printerChoice(undefined)).toBeUndefined();
    expect(printerChoice(null)).toBeUndefined();
    expect(printerChoice('')).toBeUndefined();
    expect(printerChoice(' Star ')).toBe('Star');
    expect(() => printerChoice('   ')).toThrow(/printer/);
    expect(() => printerChoice(['Star'])).toThrow(/printer/);
  });

  it('reads a damaged file as no choice', () => {
    const dir = folder();
    const file = printerFile(dir);
    writeFileSync(file, '{not json');
    expect(readPrinterChoice(file)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ printer: 12 }));
    expect(readPrinterChoice(file)).toBeUndefined();
    writeFileSync(file, 'null');
    expect(readPrinterChoice(file)).toBeUndefined();
  });
});
