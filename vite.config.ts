// Builds the dashboards UI (dashboards-ui/) into dashboards-ui/dist, served by the server under /_dashboards/.
// Vega is only reached through dynamic imports, so it lands in its own chunks and the first load stays small.

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'dashboards-ui',
  base: '/_dashboards/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The vega chunk is large by nature (it is lazily loaded); the entry chunk has its own budget in the tests.
    chunkSizeWarningLimit: 1500,
  },
});
