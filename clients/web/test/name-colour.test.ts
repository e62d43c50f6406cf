/**
 * Every sender's name reads at WCAG AA (4.5:1) on every background a message
 * can have, in both themes, whatever hue the name hashes to.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NAME_LIGHTNESS, NAME_SATURATION } from '../src/format.js';

/** The message backgrounds of each theme, read from theme.css: page, hover, mention. */
function backgrounds(theme: 0 | 1): string[] {
  const css = readFileSync(new URL('../src/theme.css', import.meta.url), 'utf8');
  return ['--kk-bg', '--kk-surface-2', '--kk-mention'].map((name) => {
    const found = new RegExp(`${name}: light-dark\\((#[0-9a-f]{6}), (#[0-9a-f]{6})\\)`).exec(css);
    if (!found) throw new Error(`${name} not found in theme.css`);
    return found[1 + theme]!;
  });
}

const hex = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));

/** CSS hsl() to sRGB 0–255 (CSS Color 4's algorithm). */
function hsl(h: number, s: number, l: number): number[] {
  const sat = s / 100;
  const light = l / 100;
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return light - sat * Math.min(light, 1 - light) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)].map((v) => v * 255);
}

function luminance([r, g, b]: number[]): number {
  const c = (v: number) => {
    const x = v / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * c(r!) + 0.7152 * c(g!) + 0.0722 * c(b!);
}

function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('sender name colours', () => {
  for (const [theme, index] of [
    ['light', 0],
    ['dark', 1],
  ] as const) {
    it(`read at 4.5:1 or more for every hue on the ${theme} theme's message backgrounds`, () => {
      let worst = Number.POSITIVE_INFINITY;
      for (const background of backgrounds(index)) {
        for (let hue = 0; hue < 360; hue++) {
          const name = hsl(hue, NAME_SATURATION[theme], NAME_LIGHTNESS[theme]);
          worst = Math.min(worst, contrast(name, hex(background)));
        }
      }
      expect(worst).toBeGreaterThanOrEqual(4.5);
    });
  }
});
