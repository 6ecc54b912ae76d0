#!/usr/bin/env node
// Renders the PWA icons (PNG) from public/icons/icon.svg with headless Chromium.
// Run once after changing the SVG: `node client/scripts/render-icons.mjs`; the PNGs are committed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const iconsDir = path.resolve(here, '../public/icons');
const svg = readFileSync(path.join(iconsDir, 'icon.svg'), 'utf8');
// Maskable: a square full-bleed tile, the mark shrunk into the central safe zone (radius 40 %).
const maskableSvg = svg
  .replace('rx="112"', 'rx="0"')
  .replace('<g id="mark">', '<g id="mark" transform="translate(256 256) scale(0.72) translate(-256 -256)">');
const dataUrl = (s) => `data:image/svg+xml;base64,${Buffer.from(s).toString('base64')}`;

/**
 * `any` icons show the rounded tile on a transparent background.
 * `maskable` icons fill the whole square and keep the mark inside the safe zone, since the
 * launcher crops them to its own shape.
 */
const outputs = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-192.png', size: 192, maskable: true },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  for (const { file, size, maskable } of outputs) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">
      <img src="${dataUrl(maskable ? maskableSvg : svg)}" width="${size}" height="${size}" alt=""
      style="display:block"></body></html>`);
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: path.join(iconsDir, file), omitBackground: !maskable });
    console.log(`wrote ${file} (${size}×${size}${maskable ? ', maskable' : ''})`);
  }
} finally {
  await browser.close();
}
