import { defineConfig } from 'vite';

// The server serves dist/ at '/' with a CSP that allows only same-origin
// scripts, so the build must not inline any script.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    // dist/.vite/manifest.json: lets scripts/size.ts tell the first-paint chunks from the lazy ones.
    manifest: true,
  },
});
