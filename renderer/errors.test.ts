import { afterEach, describe, expect, it } from 'vitest';
import { RegisterError, type RegisterErrorCode } from '../sync/client/index.ts';
import { ackProblemText, errorText } from './errors.ts';
import { DEFAULT_LANGUAGE, setLanguage, t } from './i18n.ts';

// What the screens say when the register cannot do what was asked (an order or receipt it does
// not hold while HQ cannot be reached, a typo at a return, a shift already open).

afterEach(() => setLanguage(DEFAULT_LANGUAGE));

const english = (code: RegisterErrorCode): RegisterError => new RegisterError(code, 'ORD-1001-01-000009', 'the English message');

describe('errorText', () => {
  it('says an order out of reach in Dutch, with its number', () => {
    setLanguage('nl');
    expect(errorText(english('order_unreachable'))).toBe(
      'Klantorder ORD-1001-01-000009 staat niet op deze kassa en het hoofdkantoor is niet bereikbaar; probeer het opnieuw als de kassa online is.',
    );
    expect(errorText(new RegisterError('not_a_return_source', 'theedoek', 'x'))).toBe('“theedoek” is geen bonnummer, ordernummer of code van een bon.');
  });

  it('has Dutch words for every code, none of them the English ones', () => {
    setLanguage('en');
    const codes = Object.keys(t.registerErrors) as RegisterErrorCode[];
    expect(codes.length).toBeGreaterThanOrEqual(14);
    const inEnglish = new Map(codes.map((c) => [c, errorText(english(c))]));
    setLanguage('nl');
    for (const code of codes) {
      const dutch = errorText(english(code));
      expect(dutch, code).not.toBe(inEnglish.get(code));
      expect(dutch, code).not.toMatch(/\b(the|is not|cannot|register|receipt|order)\b/);
    }
  });

  it('passes any other error on with its own message', () => {
    setLanguage('nl');
    expect(errorText(new Error('line 2 is already picked up'))).toBe('line 2 is already picked up');
    expect(errorText('plain')).toBe('plain');
  });
});

describe('ackProblemText', () => {
  const conflict = { id: '1001-03-000001', kind: 'sales' as const, status: 'conflict' as const, message: 'HQ already holds another sale numbered 1001-03-000001; this one is kept here for the manager' };
  const refused = { id: '1001-03-000002', kind: 'sales' as const, status: 'refused' as const, message: 'invalid: totalCents does not add up (field [0].newDocumentState.totalCents)' };

  it('says a number HQ holds another record under in the register’s words, and brings HQ’s reason as HQ’s', () => {
    setLanguage('nl');
    expect(ackProblemText(conflict)).toBe('Het hoofdkantoor heeft al een andere verkoop met nummer 1001-03-000001; deze blijft hier bewaard voor de manager');
    expect(ackProblemText(refused)).toBe(`Reden van het hoofdkantoor: ${refused.message}`);
    expect(t.ackStatuses).toEqual({ refused: 'geweigerd', conflict: 'nummer al bezet' });
    setLanguage('en');
    expect(ackProblemText(conflict)).toBe('HQ already holds another sale numbered 1001-03-000001; this one is kept here for the manager');
    expect(ackProblemText(refused)).toBe(`HQ’s reason: ${refused.message}`);
  });
});
