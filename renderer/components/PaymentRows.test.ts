import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, setLanguage } from '../i18n.ts';
import { PaymentRows } from './PaymentRows.tsx';

// A receipt's foot (sales, order confirmations, pick-up receipts) in the register's language.

const paid = {
  roundingCents: 1,
  tenders: [
    { kind: 'card' as const, amountCents: 1000, reference: null },
    { kind: 'cash' as const, amountCents: 1075, tenderedCents: 5000, changeCents: 2925 },
  ],
  changeCents: 2925,
};
const text = (): string => renderToStaticMarkup(createElement('table', null, createElement('tbody', null, createElement(PaymentRows, { payment: paid })))).replace(/<[^>]+>/g, '|').replace(/\u00a0/g, ' ');

afterEach(() => setLanguage(DEFAULT_LANGUAGE));

describe('the payment rows of a receipt', () => {
  it('says in Dutch how much cash was received, with the rounding, the card and the change', () => {
    setLanguage('nl');
    const rows = text();
    expect(rows).toContain('Contant (ontvangen € 50,00)|');
    expect(rows).not.toMatch(/received|Cash|Change/);
    expect(rows).toContain('|€ 10,75|');
    expect(rows).toContain('|€ 29,25|');
  });

  it('says the same in English', () => {
    setLanguage('en');
    const rows = text();
    expect(rows).toContain('Cash (received €50.00)|');
    expect(rows).toContain('|€29.25|');
  });
});
