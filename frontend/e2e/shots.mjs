// Screenshots of the e2e run. Every shot is taken at each variant (two
// window sizes, light and dark) into build/e2e-screenshots/. A normal run
// compares each with its reference in docs/screenshots/ (perceptually:
// pixelmatch's YIQ threshold, anti-aliasing ignored, a small share of
// differing pixels allowed) and never writes docs/; only `make
// screenshots` (SCREENSHOT_UPDATE=1) rewrites the references.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ensureDir, repo, sleep } from './harness.mjs';

export const variants = [
  { width: 1280, height: 820, theme: 'light' },
  { width: 1280, height: 820, theme: 'dark' },
  { width: 1920, height: 1080, theme: 'light' },
  { width: 1920, height: 1080, theme: 'dark' },
];
export const outDir = ensureDir(process.env.SCREENSHOT_OUT || join(repo, 'build/e2e-screenshots'));
export const refDir = join(repo, 'docs/screenshots');
export const update = process.env.SCREENSHOT_UPDATE === '1';
// Share of pixels that may differ from the reference (dynamic text is
// masked, so this covers font hinting and sub-pixel layout only).
export const maxDiffRatio = Number(process.env.SCREENSHOT_TOLERANCE || 0.02);

const mismatches = [];

export function fileName(name, v) {
  return `${name}-${v.width}x${v.height}-${v.theme}.png`;
}

// compare returns the share of differing pixels of two PNG files (1 when
// their sizes differ) and writes a diff image when diffPath is given.
export function compare(aPath, bPath, diffPath) {
  const a = PNG.sync.read(readFileSync(aPath));
  const b = PNG.sync.read(readFileSync(bPath));
  if (a.width !== b.width || a.height !== b.height) return 1;
  const diff = new PNG({ width: a.width, height: a.height });
  const n = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: 0.1, includeAA: false });
  if (diffPath && n > 0) writeFileSync(diffPath, PNG.sync.write(diff));
  return n / (a.width * a.height);
}

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await sleep(150);
}

// Values that change on every run (times, ports, durations: elements
// marked data-volatile) are drawn transparent, and toasts hidden, so the
// comparison sees only what a change to the UI changes.
const hideVolatile = '[data-volatile], [data-volatile] * { color: transparent !important; caret-color: transparent !important; } .toasts { visibility: hidden !important; }';

// shoot takes name at every variant, then puts the page back to the first.
export async function shoot(page, name) {
  for (const v of variants) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.emulateMedia({ colorScheme: v.theme });
    await settle(page);
    const file = fileName(name, v);
    const out = join(outDir, file);
    await page.screenshot({ path: out, animations: 'disabled', style: hideVolatile });
    const ref = join(refDir, file);
    if (update) {
      copyFileSync(out, ref);
    } else if (!existsSync(ref)) {
      mismatches.push(`${file}: no reference in docs/screenshots (run make screenshots and commit it)`);
    } else {
      const ratio = compare(out, ref, join(outDir, file.replace(/\.png$/, '.diff.png')));
      if (ratio > maxDiffRatio) mismatches.push(`${file}: ${(ratio * 100).toFixed(2)}% of pixels differ from docs/screenshots (allowed ${(maxDiffRatio * 100).toFixed(1)}%); see build/e2e-screenshots/${file.replace(/\.png$/, '.diff.png')}; if the change is intended, run make screenshots`);
    }
  }
  await page.setViewportSize({ width: variants[0].width, height: variants[0].height });
  await page.emulateMedia({ colorScheme: variants[0].theme });
  await settle(page);
}

export function screenshotMismatches() {
  return mismatches.slice();
}
