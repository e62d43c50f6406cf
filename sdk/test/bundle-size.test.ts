import { describe, expect, it } from 'vitest';
import {
  BUDGET_GZIP_BYTES,
  FILES_BUDGET_GZIP_BYTES,
  MODEL_BUDGET_GZIP_BYTES,
  measureBrowserChunks,
  measureCoreWithModel,
  measureModelBundle,
} from '../scripts/size.js';

describe('browser bundle', () => {
  it('stays within its budget min+gzip including the codec, the upload code in a chunk of its own', () => {
    const { core, lazy } = measureBrowserChunks();
    console.info(
      `sdk browser bundle: ${core.minBytes} B min, ${core.gzipBytes} B min+gzip (budget ${BUDGET_GZIP_BYTES})`,
    );
    console.info(
      `sdk upload chunk: ${lazy.minBytes} B min, ${lazy.gzipBytes} B min+gzip (budget ${FILES_BUDGET_GZIP_BYTES})`,
    );
    expect(core.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(lazy.gzipBytes).toBeGreaterThan(0);
    expect(lazy.gzipBytes).toBeLessThanOrEqual(FILES_BUDGET_GZIP_BYTES);
  });

  it('keeps the app model out of the core and within its budget of its own', () => {
    const model = measureModelBundle();
    const both = measureCoreWithModel();
    console.info(
      `sdk model: ${model.gzipBytes} B min+gzip alone (budget ${MODEL_BUDGET_GZIP_BYTES}), ${both.gzipBytes} B with the core`,
    );
    expect(model.gzipBytes).toBeLessThanOrEqual(MODEL_BUDGET_GZIP_BYTES);
  });

  it('contains no Node-only import and none of the app model', async () => {
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
    // The model is its own entry (`@kuykan/sdk/model`): a page without it pays nothing for it.
    expect(inputs.some((path) => path.includes('src/model/'))).toBe(false);
    // The browser's PUT is loaded on the first sendFile, not with the core.
    const core = measureBrowserChunks().inputs;
    expect(Object.keys(core).some((path) => path.includes('src/files/browser'))).toBe(false);
  });
});
