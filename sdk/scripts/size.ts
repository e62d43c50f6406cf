/**
 * Measures the browser bundles as a page would ship them, minified, then
 * gzip -9: the core (the browser entry with every dependency: protocol,
 * msgpack), and the app model (`@kuykan/sdk/model`) on top of it.
 * Run: npx tsx sdk/scripts/size.ts   (prints JSON)
 */

import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, buildSync } from 'esbuild';

/**
 * Budget for the minified + gzipped core browser bundle (codec included), in
 * bytes. The v2 frame descriptors took it from 12.8 to 13.8 KB; issue 23's
 * target is 12 KB.
 */
export const BUDGET_GZIP_BYTES = 14 * 1024;
/** Budget for what the model adds to a page that has the core, in bytes. */
export const MODEL_BUDGET_GZIP_BYTES = 4 * 1024;

const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export interface BundleSize {
  minBytes: number;
  gzipBytes: number;
}

function measure(options: BuildOptions): BundleSize {
  const result = buildSync({
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    target: 'es2022',
    ...options,
  });
  const code = result.outputFiles![0]!.contents;
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

/** The core: what `import { KuykanClient } from '@kuykan/sdk'` costs a page. */
export function measureBrowserBundle(): BundleSize {
  return measure({ entryPoints: [source('browser.ts')] });
}

/** The model alone, its dependencies left out (the page has them through the core). */
export function measureModelBundle(): BundleSize {
  return measure({ entryPoints: [source('model/index.ts')], external: ['@kuykan/protocol'] });
}

/** Core and model together, as a page using both ships them. */
export function measureCoreWithModel(): BundleSize {
  return measure({
    stdin: {
      contents: `export * from ${JSON.stringify(source('browser.ts'))}; export * from ${JSON.stringify(source('model/index.ts'))};`,
      resolveDir: source('.'),
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    JSON.stringify({
      core: measureBrowserBundle(),
      model: measureModelBundle(),
      coreWithModel: measureCoreWithModel(),
      budgetGzipBytes: BUDGET_GZIP_BYTES,
      modelBudgetGzipBytes: MODEL_BUDGET_GZIP_BYTES,
    }),
  );
}
