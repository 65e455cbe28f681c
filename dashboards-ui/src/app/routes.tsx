// The app's pages, in menu order. Each page is its own folder and its own lazily loaded chunk, so the
// first load carries only the shell and the page being opened.
//
// Visualize, Dashboards and Alarms belong to their own folders: to plug a page in, replace its
// placeholder `load` with `() => import('../visualize/VisualizePage.tsx')` (default export).

import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PageRoute {
  /** First path segment under /_dashboards/app/. */
  id: string;
  title: string;
  component: LazyExoticComponent<ComponentType<{ subPath: string }>>;
}

const placeholder = (title: string) => async () => ({
  default: function Placeholder() {
    return <div className="empty-state">{title} is not available in this build.</div>;
  },
});

export const ROUTES: PageRoute[] = [
  {
    id: 'discover',
    title: 'Discover',
    // Vega (the histogram's renderer, the largest chunk) starts loading alongside the page, not after it.
    component: lazy(() => {
      void import('vega-embed');
      return import('../discover/DiscoverPage.tsx');
    }),
  },
  { id: 'visualize', title: 'Visualize', component: lazy(() => import('../visualize/VisualizePage.tsx')) },
  { id: 'dashboards', title: 'Dashboards', component: lazy(() => import('../dashboards/DashboardsPage.tsx')) },
  { id: 'alarms', title: 'Alarms', component: lazy(() => import('../alarms/AlarmsPage.tsx')) },
];

export const DEFAULT_ROUTE = 'discover';
