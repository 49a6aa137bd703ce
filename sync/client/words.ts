// Printable ASCII and the usual whitespace; anything else goes through decomposition.
const ASCII = /^[\t\n\r\x20-\x7e]*$/;

/** Lowercase and without accents: "Crème Brûlée" → "creme brulee". */
export function normalize(text: string): string {
  // Most names are plain ASCII: nothing to decompose (a million names at every start).
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The words of a text as search sees them: normalized, split on anything but letters and digits. */
export function tokens(text: string): string[] {
  return normalize(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const isWordChar = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);

/**
 * Whether a word of `key` (a normalized name, optionally followed by a NUL and more) starts
 * with `w` (a normalized typed word).
 */
export function hasWordPrefix(key: string, w: string): boolean {
  const nul = key.indexOf('\u0000');
  const end = nul === -1 ? key.length : nul;
  for (let at = key.indexOf(w); at !== -1 && at + w.length <= end; at = key.indexOf(w, at + 1)) {
    if (at === 0 || !isWordChar(key.charCodeAt(at - 1))) return true;
  }
  return false;
}
