/**
 * Maps the frames of a CPU profile to source files: bundled code through the
 * bundle's source map (`<file>.map` beside it, as tsup writes it), shown
 * relative to the checkout it came from (`server/src/session.ts`), and
 * dependencies as `node_modules/<package>/…`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resolve, Source } from './profile.js';

/** A path as the reader should see it: relative to one of `roots`, or from its `node_modules`. */
function display(path: string, roots: string[]): string {
  const modules = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (modules >= 0) return path.slice(modules + 1);
  for (const root of roots) {
    const inside = relative(root, path);
    if (!inside.startsWith('..')) return inside;
  }
  return path;
}

function loadMap(path: string): { map: SourceMap; dir: string; sourceRoot: string } | undefined {
  const file = `${path}.map`;
  if (!existsSync(file)) return undefined;
  try {
    const payload = JSON.parse(readFileSync(file, 'utf8')) as { sourceRoot?: string };
    return {
      map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]),
      dir: dirname(file),
      sourceRoot: payload.sourceRoot ?? '',
    };
  } catch {
    return undefined;
  }
}

/** A resolver for {@link summarise}, showing files relative to the first of `roots` that holds them. */
export function sourceResolver(roots: string[]): Resolve {
  const maps = new Map<string, ReturnType<typeof loadMap>>();
  return (url: string, line: number, column: number): Source => {
    if (!url.startsWith('file://')) return { file: url, line: line + 1 };
    const path = fileURLToPath(url);
    if (!maps.has(path)) maps.set(path, loadMap(path));
    const loaded = maps.get(path);
    const entry = loaded?.map.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    if (loaded && entry?.originalSource) {
      const original = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : resolve(loaded.dir, loaded.sourceRoot, entry.originalSource);
      return { file: display(original, roots), line: (entry.originalLine ?? 0) + 1 };
    }
    return { file: display(path, roots), line: line + 1 };
  };
}
