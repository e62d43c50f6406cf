import { describe, expect, it } from 'vitest';
import { BUDGET_GZIP_BYTES, measureBrowserBundle } from '../scripts/size.js';

describe('browser bundle', () => {
  it('stays within its budget min+gzip including the codec', () => {
    const { minBytes, gzipBytes } = measureBrowserBundle();
    console.info(`sdk browser bundle: ${minBytes} B min, ${gzipBytes} B min+gzip (budget ${BUDGET_GZIP_BYTES})`);
    expect(gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('contains no Node-only import', async () => {
    const { buildSync } = await import('esbuild');
    const { fileURLToPath } = await import('node:url');
    const result = buildSync({
      entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.some((path) => /node_modules\/(ws|isomorphic-ws)\//.test(path))).toBe(false);
    expect(inputs.some((path) => path.startsWith('node:'))).toBe(false);
  });
});
