/**
 * The twelve colours people wear in a room (carets, pointers, avatars), and
 * the text colour their labels need. The hues go round the colour wheel so no
 * two people look alike; each colour's label text (near-black or white,
 * whichever reads better) keeps WCAG's 4.5:1 on it, in either theme, since a
 * label draws its own background.
 */
export const PALETTE = [
  "#c92a2a", // red
  "#f76707", // orange
  "#fcc419", // yellow
  "#82c91e", // lime
  "#237a35", // green
  "#12b886", // teal
  "#22b8cf", // cyan
  "#1971c2", // blue
  "#7048e8", // violet
  "#ae3ec9", // purple
  "#c2188b", // magenta
  "#f06595", // pink
] as const;

export const LABEL_TEXT_DARK = "#111111";
export const LABEL_TEXT_LIGHT = "#ffffff";

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

function channels(color: string): [number, number, number] {
  if (!HEX_COLOR.test(color)) throw new Error(`not a #rrggbb colour: ${color}`);
  return [1, 3, 5].map((at) => Number.parseInt(color.slice(at, at + 2), 16) / 255) as [
    number,
    number,
    number,
  ];
}

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(color: string): number {
  const [r, g, b] = channels(color).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio between two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/** The label text colour (near-black or white) that reads best on `color`; every name label uses it. */
export function labelTextColor(color: string): string {
  if (!HEX_COLOR.test(color)) return LABEL_TEXT_DARK;
  return contrastRatio(color, LABEL_TEXT_DARK) >= contrastRatio(color, LABEL_TEXT_LIGHT)
    ? LABEL_TEXT_DARK
    : LABEL_TEXT_LIGHT;
}

/** Hue in degrees (0–360) of a `#rrggbb` colour. */
export function hueOf(color: string): number {
  const [r, g, b] = channels(color);
  const max = Math.max(r, g, b);
  const span = max - Math.min(r, g, b);
  if (span === 0) return 0;
  const sector = max === r ? ((g - b) / span) % 6 : max === g ? (b - r) / span + 2 : (r - g) / span + 4;
  return (sector * 60 + 360) % 360;
}

/** CIE L*a*b* (D65) of a `#rrggbb` colour, for a perceptual distance. */
export function labOf(color: string): [number, number, number] {
  const [r, g, b] = channels(color).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 ΔE: about 2.3 is just noticeable; above 25 two colours read as different colours. */
export function colorDistance(a: string, b: string): number {
  const [l1, a1, b1] = labOf(a);
  const [l2, a2, b2] = labOf(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/** The palette colour closest to `color` (an identity saved with an older palette keeps its look). */
export function nearestPaletteColor(color: string): string {
  if (!HEX_COLOR.test(color)) return PALETTE[0];
  let best: string = PALETTE[0];
  for (const candidate of PALETTE) {
    if (colorDistance(color, candidate) < colorDistance(color, best)) best = candidate;
  }
  return best;
}

export function isPaletteColor(color: string): boolean {
  return (PALETTE as readonly string[]).includes(color);
}
