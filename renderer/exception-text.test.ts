import { afterEach, describe, expect, it } from 'vitest';
import type { OrderExceptionKind } from '../src/order.ts';
import { alertKindText, alertText, orderExceptionText } from './exception-text.ts';
import { DEFAULT_LANGUAGE, setLanguage, t } from './i18n.ts';

// The end of day and the order screen say what an alert or an order exception is about in the
// register's language; HQ's English text (for IT) is only the fallback for kinds it has no words for.

afterEach(() => setLanguage(DEFAULT_LANGUAGE));

const alert = (kind: string, recordId: string, registerId: string | null = '02') => ({ kind, recordId, registerId, message: `HQ's English for ${kind}` });

describe('alertText', () => {
  it('says each kind of alert a store meets in Dutch, with the record it names', () => {
    setLanguage('nl');
    expect(alertText(alert('cash_difference', '1001-02-000007'))).toBe('een dienst op kassa 02 is gesloten terwijl de la niet klopte met de telling');
    expect(alertText(alert('double_return', '1001-01-000042:2'))).toBe('van regel 2 van 1001-01-000042 is meer teruggenomen dan verkocht');
    expect(alertText(alert('double_return', 'ORD-1001-01-000003:1'))).toBe('van regel 1 van ORD-1001-01-000003 is meer teruggenomen dan verkocht');
    expect(alertText(alert('return_review', 'R-1001-01-000004'))).toBe('retour R-1001-01-000004, aangenomen zonder bon');
    expect(alertText(alert('conflicting_record', '1001-03-000001'))).toBe('1001-03-000001 is nog een keer verstuurd met een andere inhoud; het hoofdkantoor houdt de eerste');
    expect(alertText(alert('chain_gap', '1001-03-000009'))).toBe('verkoop 1001-03-000009 past niet in de reeks verkopen van de kassa');
    expect(alertKindText('chain_fork')).toBe('Ketencontrole');
    expect(alertKindText('double_return')).toBe('Dubbel retour');
  });

  it('falls back to HQ’s own text for a kind it has no words for, or a record id it cannot read', () => {
    setLanguage('nl');
    expect(alertText(alert('stock_negative', 'x'))).toBe("HQ's English for stock_negative");
    expect(alertKindText('stock_negative')).toBe('stock_negative');
    expect(alertText(alert('double_return', 'no-line-number'))).toBe("HQ's English for double_return");
  });
});

describe('orderExceptionText', () => {
  const kinds = Object.keys(t.orderExceptionAbout) as OrderExceptionKind[];

  it('has words for every kind of order exception in both languages, naming the line and the store', () => {
    expect(kinds).toHaveLength(9);
    for (const kind of kinds) {
      const x = { kind, lineNo: 3, storeId: '1003', message: 'the domain’s English' };
      setLanguage('en');
      const english = orderExceptionText(x);
      setLanguage('nl');
      const dutch = orderExceptionText(x);
      for (const text of [english, dutch]) {
        expect(text, kind).toContain('3');
        expect(text, kind).toContain('1003');
      }
      expect(dutch, kind).not.toBe(english);
      expect(dutch, kind).not.toMatch(/\b(line|store|the|handed|cancelled)\b/);
    }
  });

  it('says a hand-out and a cancellation of the same line in Dutch', () => {
    setLanguage('nl');
    expect(orderExceptionText({ kind: 'cancelled_after_handout', lineNo: 1, storeId: '1003', message: 'line 1 was cancelled at 1003 after it was handed out by e1' })).toBe(
      'regel 1 is zowel meegegeven als geannuleerd (filiaal 1003)',
    );
  });
});
