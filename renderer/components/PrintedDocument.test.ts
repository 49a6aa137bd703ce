import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { t } from '../i18n.ts';
import { PrintedDocument, type PrintedDocumentProps, documentFileName } from './PrintedDocument.tsx';
import { withPrinter } from './PrinterChoice.tsx';

// The one template every printed document uses, rendered to HTML in Node (no DOM needed).

const render = (extra: Partial<PrintedDocumentProps> = {}) =>
  renderToStaticMarkup(
    createElement(PrintedDocument, {
      kind: 'receipt',
      title: 'Receipt',
      storeName: 'Kassa Utrecht, Utrecht',
      storeId: '1001',
      registerId: '02',
      number: { label: 'Receipt number', value: '1001-02-000042', testId: 'receipt-number' },
      createdAt: '2026-11-25T14:02:00.000Z',
      operator: 'cashier',
      done: { label: 'New sale', onClick: () => undefined, autoFocus: true },
      children: createElement('table', { className: 'lines' }),
      ...extra,
    }),
  );

describe('the printed document', () => {
  it('names its article, and shows store, register, number, time and operator in its head', () => {
    const html = render();
    expect(html).toMatch(/<article class="receipt" aria-label="Receipt">/);
    expect(html).toContain('<h1>Kassa Utrecht, Utrecht</h1>');
    expect(html).toContain(t.storeRegister('1001', '02'));
    expect(html).toContain('<strong data-testid="receipt-number">1001-02-000042</strong>');
    expect(html).toMatch(new RegExp(`<p>${t.operator}: (<!-- -->)?cashier</p>`));
    expect(html).toContain('<table class="lines"></table>');
  });

  it('has the actions outside the article and not printed: Print, Save as PDF, extra ones, then the primary one', () => {
    const html = render({ extraActions: createElement('button', { type: 'button' }, 'Back to order') });
    const actions = html.slice(html.indexOf('<div class="actions no-print">'));
    expect(html.indexOf('</article>')).toBeLessThan(html.indexOf('<div class="actions no-print">'));
    const buttons = [...actions.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => m[1]);
    expect(buttons).toEqual([t.print, t.saveAsPdf, 'Back to order', 'New sale']);
    expect(actions).toMatch(/<button type="button" class="primary"[^>]*>New sale/);
  });

  it('shows a prominent number large, and a footer only when there is one', () => {
    const html = render({ number: { label: 'Return number', value: 'RET-1002-01-000003', testId: 'return-number', prominent: true } });
    expect(html).toContain('<p class="doc-number prominent">');
    expect(html).toContain('<strong class="order-no" data-testid="return-number">RET-1002-01-000003</strong>');
    expect(html).not.toContain('<footer');
    expect(render({ footer: createElement('p', null, 'note') })).toContain('<footer class="doc-footer"><p>note</p></footer>');
  });

  it('names its PDF after its kind and number', () => {
    expect(documentFileName('receipt', '1001-02-000042')).toBe('receipt-1001-02-000042');
    expect(documentFileName('order', 'ORD-1001-02-000016')).toBe('order-1001-02-000016');
    expect(documentFileName('return', 'RET-1002-01-000003')).toBe('return-1002-01-000003');
  });
});

describe('the printer choice', () => {
  it('sets or removes the printer, keeping the rest of the configuration', () => {
    const config = { storeId: '1001', registerId: '02', registerToken: 'x'.repeat(20) };
    expect(withPrinter(config, 'EPSON_TM_T20III')).toEqual({ ...config, printer: 'EPSON_TM_T20III' });
    expect(withPrinter({ ...config, printer: 'EPSON_TM_T20III' }, '')).toEqual(config);
    expect(withPrinter({ ...config, printer: 'EPSON_TM_T20III' }, '')).not.toHaveProperty('printer');
  });
});
