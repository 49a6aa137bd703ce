/** RxDB's bookkeeping fields of a stored document. */
type Bookkeeping = { _meta?: unknown; _rev?: unknown; _attachments?: unknown; _deleted?: unknown };

/**
 * A stored document as the register's code sees it: without RxDB's bookkeeping fields (`_meta`,
 * `_rev`, `_attachments`) and without `_deleted` (callers look at that before).
 */
export function withoutBookkeeping<T>(d: T & Bookkeeping): Omit<T, keyof Bookkeeping> {
  const { _meta: _m, _rev: _r, _attachments: _a, _deleted: _d, ...doc } = d;
  return doc as Omit<T, keyof Bookkeeping>;
}
