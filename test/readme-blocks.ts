/** Fenced code blocks of a Markdown file, and the shell commands in its `sh` blocks. */

import { readFileSync } from 'node:fs';

export interface Block {
  lang: string;
  body: string;
}

export function blocks(path: string): Block[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/**
 * The commands of the `sh` blocks: in a block with `$ ` prompts only the prompted
 * lines (the rest is output); elsewhere every line, each without its `# comment`.
 */
export function commands(path: string): string[] {
  return blocks(path)
    .filter((b) => b.lang === 'sh')
    .flatMap(({ body }) => {
      const lines = body.split('\n').filter((l) => l.trim() !== '');
      const prompted = lines.some((l) => l.startsWith('$ '));
      return (prompted ? lines.filter((l) => l.startsWith('$ ')).map((l) => l.slice(2)) : lines)
        .map((l) => l.replace(/\s+#.*$/, '').trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    });
}
