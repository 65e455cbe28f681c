// A tiny history-API router: the app lives under /_dashboards/app/<page>, and each page keeps its
// state in the query string (so a URL reproduces the view). Pages read `useLocation()` and write with
// `navigate()` (push) or `replaceQuery()` (replace, for state that changes as the user types).

import { useSyncExternalStore } from 'react';

export const APP_BASE = '/_dashboards/app/';

export interface Location {
  /** The page path after APP_BASE, e.g. `discover` or `dashboards/view/abc`. */
  path: string;
  /** The query string without `?`. */
  search: string;
}

const listeners = new Set<() => void>();
let current = read();

function read(): Location {
  const p = window.location.pathname;
  const path = p.startsWith(APP_BASE) ? p.slice(APP_BASE.length).replace(/\/+$/, '') : '';
  return { path, search: window.location.search.replace(/^\?/, '') };
}

function notify(): void {
  const next = read();
  if (next.path === current.path && next.search === current.search) return;
  current = next;
  for (const l of listeners) l();
}

window.addEventListener('popstate', notify);

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The current location; re-renders on navigation. */
export function useLocation(): Location {
  return useSyncExternalStore(subscribe, () => current);
}

/** Goes to a page path (relative to APP_BASE) with an optional query string; pushes a history entry. */
export function navigate(path: string, search = '', opts: { replace?: boolean } = {}): void {
  const url = APP_BASE + path + (search ? '?' + search : '');
  if (url === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

/** Replaces the current page's query string (no new history entry). */
export function replaceQuery(search: string): void {
  navigate(current.path, search, { replace: true });
}

/** An href for links inside the app. */
export function href(path: string, search = ''): string {
  return APP_BASE + path + (search ? '?' + search : '');
}

/** Link click handler: in-app navigation without a page load (modifier clicks open normally). */
export function onLinkClick(e: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number }, path: string, search = ''): void {
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(path, search);
}
