/**
 * Orientation checked by reading, and resolution from the text, on the bundled sample page read by
 * the real OCR engine: a page cleaned the wrong way up is read again and turned back; a page
 * without its resolution tag, or with a wrong one, is measured by its text and enlarged for OCR.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPage } from '../pipeline/cleanup/index.js';
import { estimateDpi, ocrScale, pageResolution, paperDpi } from '../pipeline/cleanup/resolution.js';
import { readPage } from '../pipeline/index.js';
import { extractPage, type SourcePage } from '../pipeline/input/index.js';
import { characterErrorRate, createTesseractEngine, type OcrEngine } from '../pipeline/ocr/index.js';
import { firstRunOnly, SAMPLE_DIR, SAMPLE_GT_DIR } from './support/env.js';

/** Pipeline stages only: the PostgreSQL/S3 run has nothing more to find here. */
const RUN = firstRunOnly('read-page', 'it tests pipeline stages, which neither the catalog nor the object store driver touches');

const NAME = 'to-trinh-dat-dai-p1';
const sample = fs.readFileSync(path.join(SAMPLE_DIR, `${NAME}.jpg`));
const truth = fs.readFileSync(path.join(SAMPLE_GT_DIR, `${NAME}.gt.txt`), 'utf8');

/** The sample (300 dpi) shrunk to `dpi`, its resolution tag written as `tag` or left out. */
async function resampled(dpi: number, tag?: number): Promise<SourcePage> {
  const { width } = await sharp(sample).metadata();
  // Through raw pixels, so that no density of the sample's survives.
  const { data, info } = await sharp(sample)
    .resize({ width: Math.round(((width ?? 0) * dpi) / 300) })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  if (tag) image = image.withMetadata({ density: tag });
  return extractPage('scan.png', await image.png().toBuffer(), 0);
}

describe.runIf(RUN)('resolution from the text', () => {
  it('measures a tagged 300 dpi page near its tag, and keeps the tag', async () => {
    const cleaned = await cleanupPage('sample', await extractPage('sample.jpg', sample, 0));
    expect(cleaned.analysis.resolution.source).toBe('metadata');
    expect(cleaned.dpi).toBe(300);
    expect(cleaned.analysis.resolution.estimate).toBeGreaterThan(240);
    expect(cleaned.analysis.resolution.estimate).toBeLessThan(380);
    expect(cleaned.analysis.ocrScale).toBe(1);
  });

  it('takes the resolution of an untagged 100 dpi page from its text and enlarges its OCR copy', async () => {
    const page = await resampled(100);
    expect(page.dpiSource).toBe('assumed');
    const cleaned = await cleanupPage('untagged', page);
    expect(cleaned.analysis.resolution.source).toBe('text');
    expect(cleaned.dpi).toBeGreaterThan(80);
    expect(cleaned.dpi).toBeLessThan(125);
    expect(cleaned.analysis.ocrScale).toBeGreaterThanOrEqual(2);
    expect(cleaned.ocr.width / cleaned.archival.width).toBeCloseTo(cleaned.analysis.ocrScale, 1);
  });

  it('does not believe a 300 dpi tag on a 100 dpi page', async () => {
    const cleaned = await cleanupPage('mistagged', await resampled(100, 300));
    expect(cleaned.analysis.resolution.source).toBe('text');
    expect(cleaned.dpi).toBeLessThan(125);
  });

  it('needs three lines of text to estimate, and never shrinks or overgrows the OCR copy', () => {
    expect(estimateDpi({ xHeight: 9, lines: 2 })).toBeUndefined();
    expect(estimateDpi({ xHeight: 9, lines: 3 })).toBe(100);
    expect(pageResolution({ dpi: 200, dpiSource: 'pdf' }, { xHeight: 18, lines: 20 })).toEqual({ dpi: 200, source: 'pdf', estimate: 200 });
    expect(pageResolution({ dpi: 300, dpiSource: 'assumed' }, { xHeight: 0, lines: 0 })).toEqual({ dpi: 300, source: 'assumed' });
    const a4 = { width: 2480, height: 3508 };
    expect(ocrScale({ xHeight: 40, lines: 30 }, 300, 300, a4)).toBe(1);
    expect(ocrScale({ xHeight: 4, lines: 30 }, 50, 300, a4)).toBeLessThanOrEqual(4);
    // An A0 sheet at 300 dpi is not enlarged past the pixel cap, small as its text may be.
    expect(ocrScale({ xHeight: 12, lines: 30 }, 300, 300, { width: 9933, height: 14043 })).toBe(1);
    // No text to measure: up to the minimum OCR resolution, by the tag.
    expect(ocrScale({ xHeight: 0, lines: 0 }, 150, 300, a4)).toBe(2);
  });
});

describe.runIf(RUN)('paper size from a measured resolution', () => {
  /** The page's size in inches at `dpi`, as a share of [width, height] of `paper`. */
  const share = (page: { width: number; height: number }, dpi: number, paper: [number, number]) => [
    page.width / dpi / paper[0],
    page.height / dpi / paper[1],
  ];
  const expectNear = (shares: number[]) => {
    for (const s of shares) expect(Math.abs(s - 1)).toBeLessThan(0.01);
  };

  it('lays a page measured by its text out as the paper it is near, the nearest when two are', () => {
    // A 750-pixel-wide A4 photo whose text measured 89 dpi (8.4 × 11.9 in).
    const photo = { width: 750, height: 1061 };
    expectNear(share(photo, paperDpi({ dpi: 89, source: 'text', estimate: 89 }, photo), [8.27, 11.69]));
    // Small type measures large: 9.74 × 13.66 in is an A4 page, not an A3 one.
    const small = { width: 974, height: 1366 };
    expectNear(share(small, paperDpi({ dpi: 100, source: 'text', estimate: 100 }, small), [8.27, 11.69]));
    // Landscape too.
    const wide = { width: 1166, height: 827 };
    expectNear(share(wide, paperDpi({ dpi: 100, source: 'text', estimate: 100 }, wide), [11.69, 8.27]));
  });

  it('keeps a tag, and a page near no paper, as measured', () => {
    expect(paperDpi({ dpi: 150, source: 'metadata', estimate: 120 }, { width: 1240, height: 1754 })).toBe(150);
    // A receipt, an ID card and a square photo keep the size their text gives them.
    expect(paperDpi({ dpi: 200, source: 'text', estimate: 200 }, { width: 640, height: 1600 })).toBe(200);
    expect(paperDpi({ dpi: 300, source: 'text', estimate: 300 }, { width: 1012, height: 638 })).toBe(300);
    expect(paperDpi({ dpi: 100, source: 'text', estimate: 100 }, { width: 1000, height: 1000 })).toBe(100);
    // A drawing half again as large as A3 is not shrunk to it.
    expect(paperDpi({ dpi: 100, source: 'text', estimate: 100 }, { width: 1750, height: 2480 })).toBe(100);
  });
});

describe.runIf(RUN)('orientation checked by reading', () => {
  let engine: OcrEngine;
  let source: SourcePage;
  beforeAll(async () => {
    engine = createTesseractEngine({ workers: 1, model: 'fast' });
    source = await extractPage('sample.jpg', sample, 0);
  });
  afterAll(() => engine.close());

  const reclean = (geometry: Parameters<typeof cleanupPage>[3]) => cleanupPage('sample', source, undefined, geometry);

  it('reads a confident page once', async () => {
    const first = await cleanupPage('sample', source);
    const reading = await readPage(engine, first, reclean);
    expect(reading.analysis.orientationCheck).toBeUndefined();
    expect(reading.cleaned).toBeUndefined();
    expect(reading.ocr.confidence).toBeGreaterThanOrEqual(85);
  }, 120_000);

  it('turns back a page cleaned upside down, and records why and what it read', async () => {
    const upright = await cleanupPage('sample', source);
    const first = await reclean({ rotation: 180, skew: upright.analysis.skew });
    const reading = await readPage(engine, first, reclean);
    const check = reading.analysis.orientationCheck!;
    expect(check.reason).toMatch(/^confidence [\d.]+ < 85$/);
    expect(check.tried[0]).toMatchObject({ rotation: 180 });
    expect(check.tried[0]!.confidence).toBeLessThan(70);
    expect(check.tried[check.kept]).toMatchObject({ rotation: 0, skew: upright.analysis.skew });
    expect(reading.analysis.rotation).toBe(0);
    expect(reading.cleaned?.archival.image.equals(upright.archival.image)).toBe(true);
    expect(characterErrorRate(truth, reading.ocr.text)).toBeLessThan(0.02);
  }, 120_000);

  it('unlevels a page given a wrong skew when that reads better', async () => {
    const upright = await cleanupPage('sample', source);
    const first = await reclean({ rotation: 0, skew: upright.analysis.skew + 8 });
    const reading = await readPage(engine, first, reclean);
    const check = reading.analysis.orientationCheck;
    expect(check?.reason).toMatch(/^confidence/);
    expect(reading.analysis.skew).toBe(0);
    expect(characterErrorRate(truth, reading.ocr.text)).toBeLessThan(0.03);
  }, 120_000);
});
