import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSizes, measureBundle } from '../scripts/size.js';

/** Issue 20's first-paint budget: 45 KB of JavaScript, min+gzip. */
const FIRST_PAINT_BUDGET_GZIP_BYTES = 45 * 1024;

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
    expect(sizes.initialGzipBytes).toBeLessThanOrEqual(FIRST_PAINT_BUDGET_GZIP_BYTES);
    // The Thai strings (loaded before a Thai UI paints, after an English one) and the uploads stay out.
    expect(sizes.lazy.some((c) => /i18n-th/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /src\/uploads\.ts/.test(c.src))).toBe(true);
    // The app model loads while the connection opens: the login form does not need it.
    expect(sizes.lazy.some((c) => /sdk\/dist\/model/.test(c.src))).toBe(true);
    expect(sizes.initial.some((c) => /emoji|linkify/.test(c.src))).toBe(false);
    expect(sizes.lazy.some((c) => /kk-emoji-picker/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /emojibase-data\/en\/compact/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /emojibase-data\/th\/compact/.test(c.src))).toBe(true);
    expect(sizes.lazy.some((c) => /linkify-it/.test(c.src))).toBe(true);
  });
});
