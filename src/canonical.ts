/**
 * One JSON text per value, whatever the order of its keys: keys sorted, undefined properties
 * left out (undefined in an array is null, as in JSON). Hashes of records (the sale chain, HQ's
 * conflict check) are taken over this text. Written as one string builder: HQ runs it on every
 * sale it ingests.
 */
export function canonicalJson(value: unknown): string {
  let out = '';
  const write = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      out += v === undefined ? 'null' : JSON.stringify(v);
      return;
    }
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        write(v[i]);
      }
      out += ']';
      return;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    let first = true;
    out += '{';
    for (const k of keys) {
      const x = obj[k];
      if (x === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += JSON.stringify(k);
      out += ':';
      write(x);
    }
    out += '}';
  };
  write(value);
  return out;
}
