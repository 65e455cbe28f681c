// The shell: a top bar with the page menu, and the current page below it (loaded on demand).

import { Suspense } from 'react';
import { DEFAULT_ROUTE, ROUTES } from './routes.tsx';
import { href, onLinkClick, useLocation } from './router.ts';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';

export function App() {
  const loc = useLocation();
  const [first, ...rest] = loc.path.split('/');
  const route = ROUTES.find((r) => r.id === first) ?? ROUTES.find((r) => r.id === DEFAULT_ROUTE)!;
  const Page = route.component;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Lookout</span>
        <nav>
          {ROUTES.map((r) => (
            <a key={r.id} href={href(r.id)} className={r.id === route.id ? 'active' : ''} onClick={(e) => onLinkClick(e, r.id)}>
              {r.title}
            </a>
          ))}
        </nav>
      </header>
      <main className="page">
        <ErrorBoundary key={route.id}>
          <Suspense fallback={<div className="loading">Loading…</div>}>
            <Page subPath={rest.join('/')} />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
