import { useId } from 'react';
import { LANGUAGES, type Language, isLanguage, useLanguage } from '../i18n.ts';

/** Named in both languages, so whoever cannot read the current one still finds it. */
export const LANGUAGE_SWITCH_LABEL = 'Language / Taal';

/**
 * The register's language: a labelled select, each language named in its own language.
 * Choosing one switches `t` and the locale, keeps the choice on this machine, and re-renders
 * every subscriber of `useLanguage`.
 */
export function LanguageSwitch({ className }: { className?: string }) {
  const id = useId();
  const language = useLanguage((s) => s.language);
  const setLanguage = useLanguage((s) => s.setLanguage);
  return (
    <span className={`language-switch ${className ?? ''}`.trim()}>
      <label htmlFor={id}>{LANGUAGE_SWITCH_LABEL}</label>{' '}
      <select
        id={id}
        value={language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) setLanguage(e.target.value);
        }}
      >
        {(Object.keys(LANGUAGES) as Language[]).map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGES[l].name}
          </option>
        ))}
      </select>
    </span>
  );
}
