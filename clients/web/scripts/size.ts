/**
 * Measures the built web client (clients/web/dist) as a browser downloads it:
 * the JavaScript needed for the first paint versus the chunks loaded only on
 * demand (linkify-it, the emoji picker and its data, the room directory). Sizes are of Vite's minified output,
 * gzipped at level 9.
 *
 * Run after `npm run build -w @kuykan/web`: `npx tsx clients/web/scripts/size.ts`
 * (prints a table; `--json` prints JSON).
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Budget for the first-paint JavaScript, min+gzip, in bytes: issue 20's 45 KB,
 * kept through protocol version 2 (edits, deletions, reactions, replies,
 * attachments and direct rooms) and the app model, by loading the message
 * toolbar, the uploads, the emoji picker, the directory and the Thai strings
 * after the first paint.
 */
export const INITIAL_BUDGET_GZIP_BYTES = 45 * 1024;

/**
 * main.ts imports the app shell dynamically (after applying the saved theme),
 * but at once: it belongs to the first paint even though Vite calls it a
 * dynamic entry.
 */
const APP_SHELL = 'src/kk-app.ts';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface ChunkSize {
  file: string;
  /** What the chunk holds: its source module, relative to clients/web. */
  src: string;
  minBytes: number;
  gzipBytes: number;
}

export interface BundleSizes {
  /** Chunks the browser loads before the first paint (entry, its imports, the app shell). */
  initial: ChunkSize[];
  /** Chunks loaded only on demand (linkify-it, the emoji picker and its data, the room directory). */
  lazy: ChunkSize[];
  /** CSS loaded with the page. */
  css: ChunkSize[];
  initialMinBytes: number;
  initialGzipBytes: number;
  lazyMinBytes: number;
  lazyGzipBytes: number;
}

function sizeOf(dist: string, file: string, src: string): ChunkSize {
  const bytes = readFileSync(`${dist}/${file}`);
  return { file, src, minBytes: bytes.byteLength, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength };
}

/** Reads dist/.vite/manifest.json and sizes every chunk, split into first-paint and lazy. */
export function measureBundle(dist = fileURLToPath(new URL('../dist', import.meta.url))): BundleSizes {
  const manifest = JSON.parse(readFileSync(`${dist}/.vite/manifest.json`, 'utf8')) as Record<string, ManifestChunk>;
  const initialKeys = new Set<string>();
  const visit = (key: string) => {
    if (initialKeys.has(key) || !manifest[key]) return;
    initialKeys.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  visit(APP_SHELL);

  const initial: ChunkSize[] = [];
  const lazy: ChunkSize[] = [];
  const css = new Map<string, ChunkSize>();
  for (const [key, chunk] of Object.entries(manifest)) {
    const size = sizeOf(dist, chunk.file, chunk.src ?? key);
    (initialKeys.has(key) ? initial : lazy).push(size);
    for (const file of chunk.css ?? []) css.set(file, sizeOf(dist, file, `${chunk.src ?? key} (css)`));
  }
  const sum = (list: ChunkSize[], field: 'minBytes' | 'gzipBytes') => list.reduce((n, c) => n + c[field], 0);
  return {
    initial,
    lazy,
    css: [...css.values()],
    initialMinBytes: sum(initial, 'minBytes'),
    initialGzipBytes: sum(initial, 'gzipBytes'),
    lazyMinBytes: sum(lazy, 'minBytes'),
    lazyGzipBytes: sum(lazy, 'gzipBytes'),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The human-readable report printed by the CLI. */
export function formatSizes(sizes: BundleSizes): string {
  const row = (c: ChunkSize) =>
    `  ${c.file.padEnd(34)} ${kb(c.minBytes).padStart(9)} ${kb(c.gzipBytes).padStart(9)}  ${c.src.replace(/^(\.\.\/)+node_modules\//, '')}`;
  return [
    `  ${'chunk'.padEnd(34)} ${'min'.padStart(9)} ${'gzip'.padStart(9)}`,
    'first paint:',
    ...sizes.initial.map(row),
    ...sizes.css.map(row),
    'lazy (linkify-it, message toolbar, uploads list after the first paint; the app model at sign-in; emoji picker and data, room directory on first use):',
    ...sizes.lazy.map(row),
    `initial JS: ${kb(sizes.initialMinBytes)} min, ${kb(sizes.initialGzipBytes)} min+gzip (budget ${kb(INITIAL_BUDGET_GZIP_BYTES)})`,
    `lazy chunks: ${kb(sizes.lazyMinBytes)} min, ${kb(sizes.lazyGzipBytes)} min+gzip`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = measureBundle();
  console.log(process.argv.includes('--json') ? JSON.stringify(sizes) : formatSizes(sizes));
}
