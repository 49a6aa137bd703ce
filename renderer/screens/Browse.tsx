import { useEffect, useState } from 'react';
import type { CategoryNode, ProductHit, SearchScope } from '../../sync/client/index.ts';
import { locale, t } from '../i18n.ts';
import { useSession } from '../state.ts';
import { ProductButton } from './ProductButton.tsx';

const PAGE = 20;

function find(nodes: CategoryNode[], path: string): CategoryNode | null {
  for (const n of nodes) {
    if (n.path === path) return n;
    if (path.startsWith(`${n.path}/`)) return find(n.children, path);
  }
  return null;
}

/** Browse by category (a tree) in the chosen scope, with pages of 20 that stay quick on big categories. */
export function Browse({ scope, onAdd }: { scope: SearchScope; onAdd(p: ProductHit): void }) {
  const client = useSession((s) => s.client);
  const replicaVersion = useSession((s) => s.replicaVersion);
  const [tree, setTree] = useState<CategoryNode[]>([]);
  const [path, setPath] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; hits: ProductHit[] }>({ total: 0, hits: [] });

  useEffect(() => {
    if (!client) return;
    void client.categories(scope).then(setTree);
  }, [client, scope, replicaVersion]);

  useEffect(() => {
    if (!client || !path) return;
    void client.browse(path, offset, PAGE, scope).then(setPage);
  }, [client, path, offset, scope, replicaVersion]);

  const open = (p: string): void => {
    setPath(p);
    setOffset(0);
  };
  const node = path ? find(tree, path) : null;
  const children = path ? (node?.children ?? []) : tree;
  const crumbs = path ? path.split('/') : [];

  return (
    <nav className="browse" aria-label={t.browse}>
      <p className="crumbs">
        <button type="button" className="crumb" onClick={() => open('')}>
          {t.allCategories}
        </button>
        {crumbs.map((c, i) => (
          <span key={c}>
            {' › '}
            <button type="button" className="crumb" onClick={() => open(crumbs.slice(0, i + 1).join('/'))}>
              {c}
            </button>
          </span>
        ))}
      </p>
      {children.length > 0 && (
        <ul className="categories">
          {children.map((c) => (
            <li key={c.path}>
              <button type="button" onClick={() => open(c.path)} aria-label={`${c.name} (${c.count})`}>
                {c.name} <span className="muted">{c.count.toLocaleString(locale)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {path && (
        <>
          <ul className="results">
            {page.hits.map((p) => (
              <li key={p.id}>
                <ProductButton product={p} onAdd={onAdd} />
              </li>
            ))}
          </ul>
          <div className="row pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t.previousPage}
            </button>
            <span className="muted">
              {page.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, page.total)} {t.of} {page.total.toLocaleString(locale)}
            </span>
            <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              {t.nextPage}
            </button>
          </div>
        </>
      )}
    </nav>
  );
}
