import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LANGUAGE,
  LANGUAGES,
  LANGUAGE_STORAGE_KEY,
  type LanguageStorage,
  createLanguageStore,
  isLanguage,
  language,
  locale,
  setLanguage,
  storedLanguage,
  t,
  useLanguage,
} from './i18n.ts';

// What the module applied when it loaded (no localStorage in Node: the default, Dutch).
const atLoad = { t, locale, language, storeLanguage: useLanguage.getState().language };

type Fn = (...args: unknown[]) => string;
type Leaf = { path: string; en: unknown; nl: unknown };

/** Every entry of both tables, nested groups (scope, reasons, …) flattened to "scope.store". */
function leaves(en: object, nl: object, prefix = ''): Leaf[] {
  return Object.entries(en).flatMap(([key, value]): Leaf[] => {
    const other = (nl as Record<string, unknown>)[key];
    return typeof value === 'object' && value !== null
      ? leaves(value, (other ?? {}) as object, `${prefix}${key}.`)
      : [{ path: `${prefix}${key}`, en: value, nl: other }];
  });
}

const all = leaves(LANGUAGES.en.words, LANGUAGES.nl.words);
const strings = all.filter((l) => typeof l.en === 'string');
const functions = all.filter((l) => typeof l.en === 'function');

/**
 * Arguments to call a function entry with. Distinct markers by default (numbers and strings
 * alike are only interpolated or compared with 1); entries whose arguments are not plain
 * text say here what they take. A new entry that throws with markers needs a line here.
 */
const ARGS: Record<string, unknown[]> = {
  linesWord: [[7, 8]],
  receiptKeyAtHq: ['‹key›', false],
  exceptionAdvice: ['overpaid'],
};
/** Entries whose (string) arguments choose the text instead of appearing in it. */
const SELECTORS = new Set(['exceptionAdvice']);
const argsFor = (path: string, fn: Fn): unknown[] => ARGS[path] ?? Array.from({ length: fn.length }, (_, i) => `‹arg${i}›`);
const call = (path: string, fn: unknown): string => (fn as Fn)(...argsFor(path, fn as Fn));

/** The few entries that are the same word in both languages. */
const SAME_IN_BOTH = new Set([
  'appTitle', // Kassa: the product's name
  'product',
  'offline',
  'online',
  'onlineNow',
  'email', // E-mail
  'postcode',
  'status',
  'statusRow',
  'orderStatus.open',
  'details',
  'support',
  'supportTitle',
  'platform',
  'databaseName',
  'modeLabel', // "Standaard: Stroopwafels": only the arguments
  'takenIn', // shift report column: "In"
  'recordsInShift', // "Records", as in "2 records wachten"
  'cashOver', // "(over)": Dutch for a cash surplus too
  'recordKind', // "Records"
]);

afterEach(() => setLanguage(DEFAULT_LANGUAGE));

describe('the Dutch table', () => {
  it('has every entry of the English one, of the same kind and arity, and nothing else', () => {
    expect(all.length).toBeGreaterThan(300);
    for (const l of all) {
      expect(typeof l.nl, l.path).toBe(typeof l.en);
      if (typeof l.en === 'function') expect((l.nl as Fn).length, l.path).toBe((l.en as Fn).length);
    }
    expect(leaves(LANGUAGES.nl.words, LANGUAGES.en.words).map((l) => l.path)).toEqual(all.map((l) => l.path));
  });

  it('has no empty or blank entry, and no function entry that returns one', () => {
    for (const l of strings) expect((l.nl as string).trim(), l.path).not.toBe('');
    for (const l of functions) expect(call(l.path, l.nl).trim(), l.path).not.toBe('');
  });

  it('differs from English except for the few words both languages share', () => {
    const same = all
      .filter((l) => (typeof l.en === 'function' ? call(l.path, l.en) === call(l.path, l.nl) : l.en === l.nl))
      .map((l) => l.path);
    expect(same.filter((p) => !SAME_IN_BOTH.has(p))).toEqual([]);
    // The allowed list stays honest: every entry on it is still the same in both.
    expect([...SAME_IN_BOTH].filter((p) => !same.includes(p))).toEqual([]);
    expect(same.length / all.length).toBeLessThan(0.1);
  });

  it.each(['en', 'nl'] as const)('%s: function entries return text containing their arguments', (lang) => {
    for (const l of functions) {
      const fn = l[lang] as Fn;
      const out = call(l.path, fn);
      if (SELECTORS.has(l.path)) continue;
      for (const arg of argsFor(l.path, fn)) {
        const shown = Array.isArray(arg) ? arg.map(String) : typeof arg === 'string' || typeof arg === 'number' ? [String(arg)] : [];
        for (const s of shown) expect(out, `${l.path} must show ${s}`).toContain(s);
      }
    }
  });

  it('gets plurals right', () => {
    const nl = LANGUAGES.nl.words;
    expect(nl.recordsWaiting(1)).toBe('1 record wacht');
    expect(nl.recordsWaiting(3)).toBe('3 records wachten');
    expect(nl.recordsWaiting(0)).toBe('0 records wachten');
    expect(nl.availableElsewhere(46, 1)).toBe('46 beschikbaar op 1 andere locatie');
    expect(nl.availableElsewhere(46, 2)).toBe('46 beschikbaar op 2 andere locaties');
    expect(nl.stillOpen(1, '€ 5,00')).toBe('1 regel staat nog open; nog te betalen € 5,00');
    expect(nl.stillOpen(2, '€ 5,00')).toBe('2 regels staan nog open; nog te betalen € 5,00');
    expect(nl.linesHere(1)).toBe('1 regel hier af te halen');
    expect(nl.linesHere(4)).toBe('4 regels hier af te halen');
    expect(nl.exceptionsCount(1)).toBe('1 afwijking');
    expect(nl.exceptionsCount(2)).toBe('2 afwijkingen');
    expect(nl.linesWord([2])).toBe('regel 2');
    expect(nl.linesWord([2, 3])).toBe('regels 2, 3');
  });

  it('keeps the amounts it is given as they are', () => {
    const nl = LANGUAGES.nl.words;
    expect(nl.depositBelowRequired('€ 12,34')).toContain('€ 12,34');
    expect(nl.refundCash('€ 10,00', '€ 10,00')).toBe('Contant € 10,00');
    expect(nl.refundCash('€ 10,02', '€ 10,00')).toBe('Contant € 10,02 (uit te betalen € 10,00)');
    expect(nl.receiptKeyAtHq('k1', true)).toBe('k1');
    expect(nl.receiptKeyAtHq('k1', false)).toBe('k1 (nog niet bij het hoofdkantoor)');
  });
});

describe('switching language', () => {
  it('starts in Dutch, applied when the module loads, before anything renders', () => {
    expect(DEFAULT_LANGUAGE).toBe('nl');
    expect(atLoad.language).toBe('nl');
    expect(atLoad.storeLanguage).toBe('nl');
    expect(atLoad.t).toBe(LANGUAGES.nl.words);
    expect(atLoad.locale).toBe('nl-NL');
  });

  it('setLanguage swaps t, locale and language (live bindings)', () => {
    setLanguage('en');
    expect(t).toBe(LANGUAGES.en.words);
    expect(t.newSale).toBe('New sale');
    expect(locale).toBe('en-GB');
    expect(language).toBe('en');
    setLanguage('nl');
    expect(t).toBe(LANGUAGES.nl.words);
    expect(t.newSale).toBe('Nieuwe verkoop');
    expect(locale).toBe('nl-NL');
    expect(language).toBe('nl');
  });

  it('knows its languages and nothing else', () => {
    expect(isLanguage('nl')).toBe(true);
    expect(isLanguage('en')).toBe(true);
    for (const v of ['fr', 'NL', '', 'toString', null, undefined, 1]) expect(isLanguage(v)).toBe(false);
  });
});

/** A localStorage stand-in: Node has none. */
function fakeStorage(initial: Record<string, string> = {}): LanguageStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => (key in data ? data[key]! : null),
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

describe('the language store (useLanguage)', () => {
  it('honours the stored choice and applies it at once', () => {
    setLanguage('nl');
    const store = createLanguageStore(fakeStorage({ [LANGUAGE_STORAGE_KEY]: 'en' }));
    expect(store.getState().language).toBe('en');
    expect(t).toBe(LANGUAGES.en.words);
    expect(locale).toBe('en-GB');
  });

  it('falls back to Dutch without a stored choice, with a foreign one, without storage or when it throws', () => {
    const broken: LanguageStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    for (const storage of [fakeStorage(), fakeStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' }), null, broken]) {
      setLanguage('en');
      expect(createLanguageStore(storage).getState().language).toBe('nl');
      expect(t).toBe(LANGUAGES.nl.words);
      expect(locale).toBe('nl-NL');
    }
  });

  it('switches t and locale, keeps the choice under kassa.language, and tells its subscribers', () => {
    const storage = fakeStorage();
    const store = createLanguageStore(storage);
    const seen: string[] = [];
    const unsubscribe = store.subscribe((s) => seen.push(s.language));
    store.getState().setLanguage('en');
    expect(store.getState().language).toBe('en');
    expect(t.cart).toBe('Cart');
    expect(locale).toBe('en-GB');
    expect(storage.data).toEqual({ 'kassa.language': 'en' });
    expect(seen).toEqual(['en']);
    // A reload reads the choice back.
    expect(storedLanguage(storage)).toBe('en');
    expect(createLanguageStore(storage).getState().language).toBe('en');

    store.getState().setLanguage('nl');
    expect(t.cart).toBe('Winkelmand');
    expect(storage.data['kassa.language']).toBe('nl');
    expect(seen).toEqual(['en', 'nl']);
    unsubscribe();
  });

  it('still switches when storage refuses to keep the choice', () => {
    const store = createLanguageStore({
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    store.getState().setLanguage('en');
    expect(store.getState().language).toBe('en');
    expect(locale).toBe('en-GB');
  });
});
