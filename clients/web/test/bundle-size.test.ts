import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSizes, INITIAL_BUDGET_GZIP_BYTES, measureBundle } from '../scripts/size.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const built = existsSync(`${dist}/.vite/manifest.json`);
if (!built) {
  if (process.env.CI) throw new Error('clients/web/dist is missing: npm test builds it first');
  console.warn('\n*** SKIPPING web bundle-size test: run npm run build -w @kuykan/web ***\n');
}

describe.runIf(built)('web bundle', () => {
  it('keeps the first-paint JavaScript within budget and the emoji picker out of it', () => {
    const sizes = measureBundle(dist);
    console.info(`web bundle:\n${formatSizes(sizes)}`);
    expect(sizes.initialGzipBytes).toBeLessThanOrEqual(INITIAL_BUDGET_GZIP_BYTES);
    expect(sizes.initial.some((c) => /emoji|linkify/.test(c.src))).toBe(false);
    expect(sizes.lazy.some((c) => /kk-emoji-picker/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /emojibase-data\/en\/compact/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /emojibase-data\/th\/compact/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /linkify-it/.test(c.src))).toBe(true);
  });
});
