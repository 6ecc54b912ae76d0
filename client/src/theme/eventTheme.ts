import { APP_THEME_COLOR } from './brand';

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function rgbOf(hex: string): [number, number, number] {
  const h = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex;
  return [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance (0 black … 1 white). */
export function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Text colour readable on `hex`: whichever of white or near-black has the higher contrast. */
export function readableOn(hex: string): string {
  const l = luminance(hex);
  const contrastWhite = 1.05 / (l + 0.05);
  const contrastDark = (l + 0.05) / (luminance('#14161f') + 0.05);
  return contrastWhite >= contrastDark ? '#ffffff' : '#14161f';
}

function mix(hex: string, other: string, weight: number): string {
  const a = rgbOf(hex);
  const b = rgbOf(other);
  const out = a.map((c, i) => Math.round(c * (1 - weight) + (b[i] ?? 0) * weight));
  return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Paint the app in the event's colour (or the app's own when none): CSS variables for buttons,
 * links and the header, and the browser's theme-color for the status bar of an installed PWA.
 */
export function applyEventTheme(primaryColor: string | null | undefined): void {
  if (typeof document === 'undefined') return;
  const brand = primaryColor && HEX.test(primaryColor) ? primaryColor : APP_THEME_COLOR;
  const root = document.documentElement.style;
  root.setProperty('--brand', brand);
  root.setProperty('--brand-contrast', readableOn(brand));
  // Text and outlines in the brand colour need contrast on white: darken light brand colours.
  root.setProperty('--brand-ink', luminance(brand) > 0.18 ? mix(brand, '#000000', 0.45) : brand);
  root.setProperty('--brand-soft', mix(brand, '#ffffff', 0.9));
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', brand);
}
