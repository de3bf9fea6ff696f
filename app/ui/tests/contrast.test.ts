import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// WCAG 2 contrast of the colour pairs app.css uses, read from its custom properties.
const css = readFileSync(join(__dirname, '../src/app.css'), 'utf8');
const vars = Object.fromEntries([...css.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('colours', () => {
  it('meet WCAG AA (4.5:1) for every text colour on its background', () => {
    const pairs: [string, string][] = [
      ['ink', 'paper'],
      ['ink', 'panel'],
      ['muted', 'paper'],
      ['muted', 'panel'],
      ['brand', 'paper'],
      ['brand-ink', 'brand'],
      ['urgent', 'urgent-bg'],
      ['urgent', 'panel'],
      ['warn', 'warn-bg'],
      ['ok', 'ok-bg'],
      ['info', 'info-bg'],
      ['paper', 'ink'],
    ];
    const low = pairs
      .map(([fg, bg]) => [fg, bg, contrast(vars[fg], vars[bg])] as const)
      .filter(([, , ratio]) => ratio < 4.5);
    expect(Object.keys(vars).length).toBeGreaterThan(10);
    expect(low).toEqual([]);
  });
});
